// The six leaderboard figures in display terms: the value, its 95 % interval and n of one
// provider's figure for a metric, in the unit people read (shares as 0–100 %), and how to write it.
import type { LeaderboardMetric, ProviderFigures } from '$wire/leaderboard.ts';
import type { Figures } from './format.ts';

export interface MetricValue {
  estimate: number;
  /** Null when the figure has no interval (activation is a plain share) or its limit is open. */
  low: number | null;
  high: number | null;
  n: number;
}

/** One provider's value for a metric, in display units; null when there is no figure. */
export function metricValue(metric: LeaderboardMetric, f: ProviderFigures | null): MetricValue | null {
  if (!f) return null;
  switch (metric) {
    case 'jobRate':
    case 'retention': {
      const s = f[metric];
      return s && { estimate: s.estimate * 100, low: s.low * 100, high: s.high * 100, n: s.n };
    }
    case 'activation':
      return f.activation && { estimate: f.activation.sharePct, low: null, high: null, n: f.activation.n };
    case 'satisfaction':
      return f.satisfaction && { estimate: f.satisfaction.estimate, low: f.satisfaction.low, high: f.satisfaction.high, n: f.satisfaction.n };
    case 'medianWeeksToJob': {
      const m = f.medianWeeksToJob;
      return m && m.medianWeeks !== null ? { estimate: m.medianWeeks, low: m.medianLow, high: m.medianHigh, n: m.n } : null;
    }
    case 'actualVsExpected': {
      const s = f.standardised;
      return s?.ratio ? { estimate: s.ratio.estimate, low: s.ratio.low, high: s.ratio.high, n: s.n } : null;
    }
  }
}

/** A value of a metric as text: "12,3 %", "4,1", "22" (weeks), "0,95". */
export function formatMetric(fig: Figures, metric: LeaderboardMetric, value: number): string {
  switch (metric) {
    case 'jobRate':
    case 'retention':
    case 'activation':
      return fig.pct(value);
    case 'satisfaction':
      return fig.one(value);
    case 'medianWeeksToJob':
      return fig.weeks(value);
    case 'actualVsExpected':
      return fig.two(value);
  }
}

/** Whether a bigger number is better (fewer weeks to a job is better). */
export const higherIsBetter = (metric: LeaderboardMetric) => metric !== 'medianWeeksToJob';

/** Axis ticks for a metric: percentages without trailing zeros, other numbers plainly. */
export function formatTick(fig: Figures, metric: LeaderboardMetric, value: number): string {
  return metric === 'jobRate' || metric === 'retention' || metric === 'activation' ? fig.pctTick(value) : fig.tick(value);
}
