// Interval formulas checked against hand computations, and their invariants checked on random inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanInterval, poissonRatioInterval, satisfactionSummary, wilsonInterval } from '../../domain/statistics.ts';

const SEED = { seed: 20260401, numRuns: 300 };
const TOLERANCE = 4; // toBeCloseTo digits: |difference| < 5e-5, within the brief's 1e-4

/*
 * Wilson by hand, z = 1.959963984540054, z² = 3.8414588206941254:
 *   denominator d = 1 + z²/n, centre c = (p + z²/2n)/d, half-width h = (z/d)·√(p(1−p)/n + z²/4n²)
 *   n = 10: d = 1.3841458821
 *     0/10:  c = 0.3841458821/2/1.3841458821 = 0.1387664, h = (1.9599640/1.3841458821)·(1.9599640/20) = 0.1387664
 *            → [0, 0.2775328]
 *     10/10: c = (1 + 0.1920729)/1.3841459 = 0.8612336, h = 0.1387664 → [0.7224672, 1]
 *     5/10:  c = 0.5, h = 1.4160107·√(0.025 + 0.0096036) = 1.4160107·0.1860206 = 0.2634069 → [0.2365931, 0.7634069]
 *   81/263: p = 0.3079848, d = 1.0146063, c = (0.3079848 + 0.0073032)/1.0146063 = 0.3107490,
 *           h = 1.9317483·√(0.00081038 + 0.00001388) = 1.9317483·0.0287100 = 0.0554605 → [0.2552885, 0.3662096]
 */
describe('wilsonInterval', () => {
  it.each([
    [0, 10, 0, 0, 0.2775328],
    [10, 10, 1, 0.7224672, 1],
    [5, 10, 0.5, 0.2365931, 0.7634069],
    [81, 263, 0.3079848, 0.2552885, 0.3662096],
  ])('%i of %i matches the hand computation', (x, n, estimate, low, high) => {
    const interval = wilsonInterval(x, n)!;
    expect(interval.estimate).toBeCloseTo(estimate, TOLERANCE);
    expect(interval.low).toBeCloseTo(low, TOLERANCE);
    expect(interval.high).toBeCloseTo(high, TOLERANCE);
  });

  it('is exactly 0 and 1 at the edges', () => {
    expect(wilsonInterval(0, 7)!.low).toBe(0);
    expect(wilsonInterval(7, 7)!.high).toBe(1);
  });

  it('has nothing to say about zero observations', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('refuses counts that are not whole, negative, or above n', () => {
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10.5)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(RangeError);
  });

  const countAndN = fc.integer({ min: 1, max: 2000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('always contains its estimate and stays within [0, 1]', () => {
    fc.assert(
      fc.property(countAndN, ([x, n]) => {
        const { estimate, low, high } = wilsonInterval(x, n)!;
        expect(0 <= low && low <= estimate && estimate <= high && high <= 1).toBe(true);
      }),
      SEED,
    );
  });

  it('is wider for a smaller sample with the same share', () => {
    fc.assert(
      fc.property(countAndN, fc.integer({ min: 2, max: 20 }), ([x, n], factor) => {
        const small = wilsonInterval(x, n)!;
        const large = wilsonInterval(x * factor, n * factor)!;
        expect(small.high - small.low).toBeGreaterThan(large.high - large.low);
      }),
      SEED,
    );
  });
});

describe('meanInterval', () => {
  it('is mean ± z·sd/√n', () => {
    // 4 ± 1.959964·1/√25 = 4 ± 0.3919928
    const interval = meanInterval(4, 1, 25)!;
    expect(interval.low).toBeCloseTo(3.6080072, 6);
    expect(interval.high).toBeCloseTo(4.3919928, 6);
  });

  it('needs at least two observations', () => {
    expect(meanInterval(4, 1, 1)).toBeNull();
  });
});

/*
 * Satisfaction by hand: months (4.0, 10 answers) and (3.0, 10 answers) → mean 3.5, n = 20.
 * Rescaled p = (3.5 − 1)/4 = 0.625; Wilson with n = 20: d = 1.1920729, c = (0.625 + 0.0960365)/d = 0.6048594,
 * h = (1.9599640/1.1920729)·√(0.01171875 + 0.00240091) = 1.6441645·0.1188262 = 0.1953698
 * → p in [0.4094895, 0.8002292] → score in [1 + 4·0.4094895, 1 + 4·0.8002292] = [2.6379583, 4.2009166].
 */
describe('satisfactionSummary', () => {
  const month = (satisfactionMean: number | null, satisfactionResponses: number) => ({ satisfactionMean, satisfactionResponses });

  it('weights each month by its answers and bounds the spread by the 1–5 scale', () => {
    const summary = satisfactionSummary([month(4, 10), month(3, 10)])!;
    expect(summary.estimate).toBeCloseTo(3.5, 10);
    expect(summary.n).toBe(20);
    expect(summary.low).toBeCloseTo(2.6379583, TOLERANCE);
    expect(summary.high).toBeCloseTo(4.2009166, TOLERANCE);
  });

  it('weights by answers, not by months', () => {
    // (5·30 + 1·10)/40 = 4
    expect(satisfactionSummary([month(5, 30), month(1, 10)])!.estimate).toBeCloseTo(4, 10);
  });

  it('skips months without answers and is null when no one answered', () => {
    expect(satisfactionSummary([month(null, 0), month(2, 0)])).toBeNull();
    expect(satisfactionSummary([month(null, 0), month(4.2, 5)])!.n).toBe(5);
  });

  it('refuses a mean off the scale', () => {
    expect(() => satisfactionSummary([month(5.5, 3)])).toThrow(RangeError);
    expect(() => satisfactionSummary([month(0, 3)])).toThrow(RangeError);
  });

  it('keeps its interval on the scale and around the estimate', () => {
    const months = fc.array(fc.tuple(fc.double({ min: 1, max: 5, noNaN: true }), fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(months, (ms) => {
        const summary = satisfactionSummary(ms.map(([mean, n]) => month(mean, n)));
        if (summary === null) return;
        expect(1 <= summary.low && summary.low <= summary.estimate && summary.estimate <= summary.high && summary.high <= 5).toBe(true);
      }),
      SEED,
    );
  });
});

/*
 * Byar by hand, O = 10, E = 8:
 *   lower: 1 − 1/90 − 1.959964/(3·√10) = 1 − 0.0111111 − 0.2065984 = 0.7822905; ³ = 0.4787450; ·10/8 = 0.5984312
 *   upper: 1 − 1/99 + 1.959964/(3·√11) = 1 − 0.0101010 + 0.1969838 = 1.1868828; ³ = 1.6719508; ·11/8 = 2.2989323
 *   (exact Poisson limits from χ² quantiles: 0.599424 and 2.298795 — Byar is within 0.2 %)
 * O = 0, E = 2.5: lower 0; upper 1 − 1/9 + 1.959964/3 = 1.5422102; ³ = 3.6680118; /2.5 = 1.4672047
 */
describe('poissonRatioInterval', () => {
  it('matches Byar by hand for 10 observed against 8 expected', () => {
    const ratio = poissonRatioInterval(10, 8)!;
    expect(ratio.estimate).toBe(1.25);
    expect(ratio.low).toBeCloseTo(0.5984312, TOLERANCE);
    expect(ratio.high).toBeCloseTo(2.2989323, TOLERANCE);
  });

  it('starts at 0 when nothing was observed', () => {
    const ratio = poissonRatioInterval(0, 2.5)!;
    expect(ratio.low).toBe(0);
    expect(ratio.high).toBeCloseTo(1.4672047, TOLERANCE);
  });

  it('is undefined when nothing was expected, and refuses impossible counts', () => {
    expect(poissonRatioInterval(0, 0)).toBeNull();
    expect(() => poissonRatioInterval(-1, 3)).toThrow(RangeError);
    expect(() => poissonRatioInterval(2.5, 3)).toThrow(RangeError);
    expect(() => poissonRatioInterval(2, -3)).toThrow(RangeError);
  });

  it('always contains its estimate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0.01, max: 500, noNaN: true }), (observed, expected) => {
        const { estimate, low, high } = poissonRatioInterval(observed, expected)!;
        expect(0 <= low && low <= estimate && estimate <= high).toBe(true);
      }),
      SEED,
    );
  });
});
