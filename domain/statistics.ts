// Confidence intervals for the small numbers providers report: shares, mean scores and observed/expected ratios.

/** A point estimate with its 95 % (or other z) confidence interval; low ≤ estimate ≤ high. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** The standard normal quantile for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** The satisfaction scale providers ask on: 1 (worst) to 5 (best). */
export const SATISFACTION_MIN = 1;
export const SATISFACTION_MAX = 5;

function checkZ(z: number): void {
  if (!Number.isFinite(z) || z <= 0) throw new RangeError(`z must be a positive number, got ${z}`);
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
}

/**
 * Wilson score interval for a share. Unlike the textbook p ± z·√(p(1−p)/n) it never leaves [0, 1] and
 * does not collapse to zero width at 0/n or n/n — both matter with 20–60 citizens per provider.
 * Returns null when there is nothing to estimate (n = 0).
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | null {
  checkCount('n', n);
  checkCount('successes', successes);
  if (successes > n) throw new RangeError(`successes (${successes}) cannot exceed n (${n})`);
  checkZ(z);
  if (n === 0) return null;
  return wilsonForShare(successes / n, n, z);
}

/**
 * The Wilson interval written for any observed share in [0, 1], not only a count over n; the
 * satisfaction interval below uses it for a rescaled mean score.
 */
function wilsonForShare(share: number, n: number, z: number): Interval {
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (share + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n));
  // Exact at the edges, and never let rounding put the estimate outside its own interval.
  const low = share === 0 ? 0 : Math.min(share, Math.max(0, centre - halfWidth));
  const high = share === 1 ? 1 : Math.max(share, Math.min(1, centre + halfWidth));
  return { estimate: share, low, high };
}

/**
 * Normal-approximation interval for a mean when its standard deviation is known. Null below two
 * observations, where a standard deviation says nothing.
 */
export function meanInterval(mean: number, sd: number, n: number, z = Z95): Interval | null {
  if (!Number.isFinite(mean)) throw new RangeError(`mean must be a finite number, got ${mean}`);
  if (!Number.isFinite(sd) || sd < 0) throw new RangeError(`sd must be a finite number ≥ 0, got ${sd}`);
  checkCount('n', n);
  checkZ(z);
  if (n < 2) return null;
  const halfWidth = (z * sd) / Math.sqrt(n);
  return { estimate: mean, low: mean - halfWidth, high: mean + halfWidth };
}

export interface SatisfactionFigures {
  satisfactionMean: number | null;
  satisfactionResponses: number;
}

export interface SatisfactionSummary extends Interval {
  /** Total answers behind the mean. */
  n: number;
}

/**
 * Responses-weighted mean satisfaction over several months, with a conservative interval.
 *
 * Providers report only a mean and a count, never a standard deviation, so the usual t interval is
 * out of reach. But the scores are bounded: by the Bhatia–Davis inequality a score in [1, 5] with
 * mean μ has variance at most (μ − 1)(5 − μ). Rescaled to p = (μ − 1)/4 that bound is exactly the
 * Bernoulli variance p(1 − p), so the Wilson score interval for p — mapped back to the 1–5 scale —
 * is valid whatever the spread of answers, and is at its widest when they are most divided. Wider
 * than a t interval on real answers, which is the honest direction for a leaderboard: it ties
 * rather than crowns.
 *
 * Months with no answers (or no mean) are skipped. Null when there are no answers at all.
 */
export function satisfactionSummary(reports: readonly SatisfactionFigures[], z = Z95): SatisfactionSummary | null {
  checkZ(z);
  let n = 0;
  let weightedSum = 0;
  for (const r of reports) {
    checkCount('satisfactionResponses', r.satisfactionResponses);
    if (r.satisfactionMean === null || r.satisfactionResponses === 0) continue;
    const mean = r.satisfactionMean;
    if (!(mean >= SATISFACTION_MIN && mean <= SATISFACTION_MAX)) {
      throw new RangeError(`satisfactionMean must lie in [${SATISFACTION_MIN}, ${SATISFACTION_MAX}], got ${mean}`);
    }
    n += r.satisfactionResponses;
    weightedSum += mean * r.satisfactionResponses;
  }
  if (n === 0) return null;
  const range = SATISFACTION_MAX - SATISFACTION_MIN;
  const mean = Math.min(SATISFACTION_MAX, Math.max(SATISFACTION_MIN, weightedSum / n));
  const share = wilsonForShare((mean - SATISFACTION_MIN) / range, n, z);
  return {
    estimate: mean,
    low: Math.min(mean, SATISFACTION_MIN + range * share.low),
    high: Math.max(mean, SATISFACTION_MIN + range * share.high),
    n,
  };
}

/**
 * Observed/expected ratio for a count, with the interval from Byar's approximation to the exact
 * Poisson limits of the observed count (divided by the expected count, taken as fixed):
 *   lower = O · (1 − 1/(9O) − z/(3√O))³            (0 when O = 0)
 *   upper = (O+1) · (1 − 1/(9(O+1)) + z/(3√(O+1)))³
 * The upper limit is within 0.2 % of the exact one throughout; the lower within 1 % from five
 * observed events, but about half the exact value at one (too low, so never a false 'above').
 * Null when nothing was expected (the ratio is undefined).
 */
export function poissonRatioInterval(observed: number, expected: number, z = Z95): Interval | null {
  checkCount('observed', observed);
  if (!Number.isFinite(expected) || expected < 0) throw new RangeError(`expected must be a finite number ≥ 0, got ${expected}`);
  checkZ(z);
  if (expected === 0) return null;
  const lowerCount = observed === 0 ? 0 : observed * (1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed))) ** 3;
  const next = observed + 1;
  const upperCount = next * (1 - 1 / (9 * next) + z / (3 * Math.sqrt(next))) ** 3;
  const estimate = observed / expected;
  return {
    estimate,
    low: Math.min(estimate, Math.max(0, lowerCount) / expected),
    high: Math.max(estimate, upperCount / expected),
  };
}
