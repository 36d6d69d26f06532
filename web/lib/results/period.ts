// Leaderboard periods as month ranges ("2026-01".."2026-12"): the presets people pick (a month, a
// quarter, the last twelve complete months) and reading them from, and writing them to, a URL query.
import type { LeaderboardMetric } from '$wire/leaderboard.ts';
import { addMonths, copenhagenMonth, isMonth } from '$domain/time.ts';

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

export const METRICS: readonly LeaderboardMetric[] = ['jobRate', 'retention', 'activation', 'satisfaction', 'medianWeeksToJob', 'actualVsExpected'];

export type PeriodKind = 'last12' | 'month' | 'quarter' | 'custom';

export interface Period {
  from: string;
  to: string;
}

export const isMetric = (value: unknown): value is LeaderboardMetric => typeof value === 'string' && (METRICS as readonly string[]).includes(value);

/** The server's default period: the last complete month and the eleven before it. */
export function lastTwelveMonths(now: Date): Period {
  const to = addMonths(copenhagenMonth(now), -1);
  return { from: addMonths(to, -11), to };
}

/** "2026-Q3" for a month in July–September 2026. */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

export function quarterPeriod(quarter: string): Period | null {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) return null;
  const first = (Number(match[2]) - 1) * 3 + 1;
  const from = `${match[1]}-${String(first).padStart(2, '0')}`;
  return { from, to: addMonths(from, 2) };
}

/** Which preset a period is, so the picker shows what the board shows. */
export function kindOf(period: Period, now: Date): PeriodKind {
  const last12 = lastTwelveMonths(now);
  if (period.from === last12.from && period.to === last12.to) return 'last12';
  if (period.from === period.to) return 'month';
  const quarter = quarterPeriod(quarterOf(period.from));
  if (quarter && quarter.from === period.from && quarter.to === period.to) return 'quarter';
  return 'custom';
}

/** The `count` months up to the last complete one, newest first, for the month picker. */
export function recentMonths(now: Date, count = 24): string[] {
  const last = addMonths(copenhagenMonth(now), -1);
  return Array.from({ length: count }, (_, i) => addMonths(last, -i));
}

/** The `count` quarters up to the one holding the last complete month, newest first. */
export function recentQuarters(now: Date, count = 8): string[] {
  const last = addMonths(copenhagenMonth(now), -1);
  return Array.from({ length: count }, (_, i) => quarterOf(addMonths(last, -3 * i)));
}

export type PeriodChoice =
  | { ok: true; period: Period | null; redirect: boolean }
  | { ok: false; problem: 'monthInvalid' | 'fromInvalid' | 'toInvalid' | 'fromAfterTo' };

/**
 * Reads the picker's GET form (`period`, `month`, `quarter`, `from`, `to`) or a plain `?from=&to=`
 * query. `period: null` means the default (the last twelve complete months). `redirect` says the
 * query came from the picker and should be rewritten to the canonical `?metric=&from=&to=`.
 */
export function readPeriod(query: URLSearchParams, now: Date): PeriodChoice {
  const kind = query.get('period');
  const from = query.get('from') || null;
  const to = query.get('to') || null;
  switch (kind) {
    case 'last12':
      return { ok: true, period: null, redirect: true };
    case 'month': {
      const month = query.get('month');
      return isMonth(month) ? { ok: true, period: { from: month, to: month }, redirect: true } : { ok: false, problem: 'monthInvalid' };
    }
    case 'quarter': {
      const period = quarterPeriod(query.get('quarter') ?? '');
      return period ? { ok: true, period, redirect: true } : { ok: false, problem: 'monthInvalid' };
    }
    default: {
      if (from === null && to === null) return { ok: true, period: null, redirect: kind !== null };
      if (from !== null && !isMonth(from)) return { ok: false, problem: 'fromInvalid' };
      if (to !== null && !isMonth(to)) return { ok: false, problem: 'toInvalid' };
      const lastComplete = addMonths(copenhagenMonth(now), -1);
      const end = to ?? (from! > lastComplete ? from! : lastComplete);
      const period = { from: from ?? addMonths(end, -11), to: end };
      if (period.from > period.to) return { ok: false, problem: 'fromAfterTo' };
      return { ok: true, period, redirect: kind !== null };
    }
  }
}

/** `?metric=…&from=…&to=…` (only the parts that are set), for links and the API. */
export function boardQuery(metric: LeaderboardMetric | null, period: Period | null): string {
  const params = new URLSearchParams();
  if (metric) params.set('metric', metric);
  if (period) {
    params.set('from', period.from);
    params.set('to', period.to);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
