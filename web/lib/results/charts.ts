// The two charts, drawn with Observable Plot as SVG: a dot-and-whisker chart of the leading figure
// and step lines of the survival curves. Sized and coloured for a meeting-room projector: large
// type, dark ink, and nothing told by colour alone (hollow dots and labels; dash patterns).
import type * as PlotModule from '@observablehq/plot';

type Plot = typeof PlotModule;

const INK = '#1a1a1a';
const ACCENT = '#004993';
const FONT = { fontSize: '18px', color: INK, background: 'transparent', fontFamily: 'inherit', overflow: 'visible' } as const;

/** Six colours with at least 3:1 contrast on white, each paired with its own dash pattern. */
export const SERIES_STYLES = [
  { colour: '#004993', dash: 'none' },
  { colour: '#b3400a', dash: '10 5' },
  { colour: '#1b6e3a', dash: '2 4' },
  { colour: '#6b2c91', dash: '14 4 3 4' },
  { colour: '#a4225f', dash: '5 5' },
  { colour: '#333333', dash: '18 6' },
] as const;

export interface IntervalRow {
  label: string;
  estimate: number;
  low: number | null;
  high: number | null;
  /** Written next to the whisker: the value, and "too few" when it is not rated. */
  text: string;
  tooFew: boolean;
}

export interface IntervalChartOptions {
  width: number;
  xLabel: string;
  /** Axis tick labels. */
  tickFormat: (value: number) => string;
  /** A vertical reference line, e.g. 1 for actual vs expected or the activation requirement. */
  reference: { value: number; label: string } | null;
  /** Start the axis at zero (shares and counts), or fit it to the data (scores, ratios). */
  zero: boolean;
}

/**
 * One accessible image with one name: Plot labels its inner groups ("dot", "x-axis tick"), which
 * is not allowed on plain SVG groups and means nothing inside an image, so those labels go.
 */
const attach = (chart: Element, label: string) => {
  for (const inner of chart.querySelectorAll('[aria-label], [aria-description]')) {
    inner.removeAttribute('aria-label');
    inner.removeAttribute('aria-description');
  }
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  return chart;
};

/** One row per provider: the estimate as a dot, its 95 % interval as a line with end ticks. */
export function intervalChart(plot: Plot, rows: IntervalRow[], options: IntervalChartOptions & { ariaLabel: string }): Element {
  const withInterval = rows.filter((r) => r.low !== null && r.high !== null);
  const longest = Math.max(...rows.map((r) => r.label.length), 6);
  const chart = plot.plot({
    width: options.width,
    height: 70 + rows.length * 58,
    marginLeft: Math.min(260, 24 + longest * 11),
    // Room for the value written after each whisker; less of it on a phone.
    marginRight: options.width < 640 ? 96 : 150,
    marginTop: options.reference ? 40 : 16,
    marginBottom: 60,
    style: FONT,
    x: { label: options.xLabel, labelAnchor: 'center', labelArrow: 'none', labelOffset: 48, grid: true, zero: options.zero, nice: true, tickFormat: options.tickFormat },
    y: { label: null, domain: rows.map((r) => r.label), padding: 0.4 },
    marks: [
      options.reference ? plot.ruleX([options.reference.value], { stroke: INK, strokeWidth: 2, strokeDasharray: '6 4' }) : null,
      options.reference ? plot.text([options.reference], { x: 'value', text: 'label', frameAnchor: 'top', dy: -30, fontWeight: 600 }) : null,
      plot.ruleY(withInterval, { y: 'label', x1: 'low', x2: 'high', stroke: INK, strokeWidth: 4 }),
      plot.tickX(withInterval, { x: 'low', y: 'label', stroke: INK, strokeWidth: 3 }),
      plot.tickX(withInterval, { x: 'high', y: 'label', stroke: INK, strokeWidth: 3 }),
      plot.dot(rows.filter((r) => !r.tooFew), { x: 'estimate', y: 'label', r: 10, fill: ACCENT, stroke: 'white', strokeWidth: 2 }),
      // Too few to rate: a hollow dot and the words, not a different colour.
      plot.dot(rows.filter((r) => r.tooFew), { x: 'estimate', y: 'label', r: 10, fill: 'white', stroke: ACCENT, strokeWidth: 3 }),
      plot.text(rows, { x: (r: IntervalRow) => r.high ?? r.estimate, y: 'label', text: 'text', dx: 18, textAnchor: 'start', fontSize: 18 }),
    ],
  });
  return attach(chart, options.ariaLabel);
}

export interface SurvivalSeries {
  label: string;
  colour: string;
  dash: string;
  points: Array<{ week: number; pct: number }>;
}

/** Step lines: the share still without a job (0–100 %) against weeks since referral. */
export function survivalChart(
  plot: Plot,
  series: SurvivalSeries[],
  options: { width: number; xLabel: string; yLabel: string; tickFormat: (pct: number) => string; ariaLabel: string },
): Element {
  const maxWeek = Math.max(26, ...series.flatMap((s) => s.points.map((p) => p.week)));
  const chart = plot.plot({
    width: options.width,
    height: Math.round(Math.min(560, Math.max(380, options.width * 0.5))),
    marginLeft: 80,
    marginRight: 24,
    marginTop: 40,
    marginBottom: 64,
    style: FONT,
    x: { label: options.xLabel, labelAnchor: 'center', labelArrow: 'none', labelOffset: 50, domain: [0, Math.ceil(maxWeek / 13) * 13], ticks: 8, grid: true },
    y: { label: options.yLabel, labelAnchor: 'top', labelArrow: 'none', domain: [0, 100], grid: true, tickFormat: options.tickFormat },
    marks: [
      plot.ruleY([0], { stroke: INK }),
      plot.ruleX([0], { stroke: INK }),
      ...series.map((s) =>
        plot.line(s.points, { x: 'week', y: 'pct', curve: 'step-after', stroke: s.colour, strokeWidth: 3.5, strokeDasharray: s.dash === 'none' ? undefined : s.dash }),
      ),
    ],
  });
  return attach(chart, options.ariaLabel);
}
