// Small statistics for the benchmark: nearest-rank percentiles and number formatting.
import { seededRandom } from '../../db/seed.ts';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const median = (values: number[]) => percentile(values, 50);

export function summary(values: number[]) {
  // Not Math.max(...values): spreading 126,000 latencies overflows the call stack.
  const max = values.reduce((m, v) => (v > m ? v : m), Number.NEGATIVE_INFINITY);
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max };
}

/** Milliseconds with sensible precision: 0.42, 4.2, 42. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return value.toFixed(0);
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export const ratio = (ours: number, reference: number) => (reference > 0 ? ours / reference : Number.NaN);

function percentileOfRounds(rounds: number[][], pick: () => number, p: number): number {
  const chosen = rounds.map(() => rounds[Math.floor(pick() * rounds.length)]);
  const all = new Float64Array(chosen.reduce((n, r) => n + r.length, 0));
  let i = 0;
  for (const r of chosen) for (const v of r) all[i++] = v;
  all.sort();
  return all[Math.min(all.length - 1, Math.max(0, Math.ceil((p / 100) * all.length) - 1))];
}

/**
 * 95 % bootstrap interval of percentile(a) / percentile(b), resampling whole rounds: the
 * deliveries of one round share its pauses, so they are not independent of each other.
 */
export function bootstrapRatio(a: number[][], b: number[][], p: number, resamples = 400, seed = 1): { low: number; high: number } {
  // Seeded, so a bootstrap gives the same interval for the same data.
  const pick = seededRandom(seed);
  const ratios = Array.from({ length: resamples }, () => percentileOfRounds(a, pick, p) / percentileOfRounds(b, pick, p)).sort((x, y) => x - y);
  return { low: ratios[Math.floor(0.025 * resamples)], high: ratios[Math.ceil(0.975 * resamples) - 1] };
}
