// Kaplan–Meier against the textbook 6-MP example, the cut-off rules for courses, and the curve's invariants.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { courseObservation, kaplanMeier, survivalAt, type CourseDates } from '../../domain/survival.ts';
import { dayNumber } from '../../domain/time.ts';

const SEED = { seed: 20260402, numRuns: 300 };
const BASE = Date.UTC(2024, 0, 1);
const dateAfter = (days: number) => new Date(BASE + days * 86_400_000).toISOString().slice(0, 10);
const CUTOFF_DAY = 1000;
const CUTOFF = dateAfter(CUTOFF_DAY);

/*
 * The 6-MP arm of Freireich et al. (1963), as in Gehan (1965): weeks of remission for 21 patients,
 * + = censored. Read "remission ended" as "found a job". Hand-computed product-limit estimate:
 *   t   at risk  events  S(t)
 *   6   21       3       18/21                = 0.857143
 *   7   17       1       0.857143 · 16/17     = 0.806723
 *   10  15       1       0.806723 · 14/15     = 0.752941
 *   13  12       1       0.752941 · 11/12     = 0.690196
 *   16  11       1       0.690196 · 10/11     = 0.627451
 *   22  7        1       0.627451 · 6/7       = 0.537815
 *   23  6        1       0.537815 · 5/6       = 0.448179   → median 23 weeks
 */
const SIX_MP: Array<[number, boolean]> = [
  [6, true], [6, true], [6, true], [6, false], [7, true], [9, false], [10, true], [10, false], [11, false], [13, true],
  [16, true], [17, false], [19, false], [20, false], [22, true], [23, true], [25, false], [32, false], [32, false], [34, false], [35, false],
];

/** Events find a job 7·t days after referral; censorings alternate between a course ending and one still running at the cut-off. */
function sixMpCourses(): CourseDates[] {
  return SIX_MP.map(([weeks, job], i) => {
    const days = weeks * 7;
    if (job) return { referralDate: dateAfter(0), endDate: null, firstJobDate: dateAfter(days) };
    if (i % 2 === 0) return { referralDate: dateAfter(0), endDate: dateAfter(days), firstJobDate: null };
    return { referralDate: dateAfter(CUTOFF_DAY - days), endDate: null, firstJobDate: null };
  });
}

describe('kaplanMeier on the 6-MP textbook data', () => {
  const curve = kaplanMeier(sixMpCourses(), CUTOFF);
  const at = (week: number) => curve.steps.find((s) => s.week === week)!;

  it('reproduces the hand-computed product-limit estimate', () => {
    const expected: Array<[number, number]> = [[6, 0.857143], [7, 0.806723], [10, 0.752941], [13, 0.690196], [16, 0.627451], [22, 0.537815], [23, 0.448179]];
    for (const [week, survival] of expected) expect(at(week).survival).toBeCloseTo(survival, 5);
    expect(at(35).survival).toBeCloseTo(0.448179, 5);
    expect(curve.n).toBe(21);
    expect(curve.events).toBe(9);
    expect(curve.medianWeeks).toBe(23);
  });

  it('keeps the at-risk table: censored at a job-start time still count as at risk', () => {
    expect([at(6).atRisk, at(6).events, at(6).censored]).toEqual([21, 3, 1]);
    expect([at(10).atRisk, at(10).events, at(10).censored]).toEqual([15, 1, 1]);
    expect(curve.steps.map((s) => s.week)).toEqual([6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35]);
  });

  /*
   * Greenwood by hand. At 6: Σ d/(n(n−d)) = 3/(21·18) = 0.0079365, SE = 0.857143·√0.0079365 = 0.857143·0.0890871 = 0.0763604.
   * At 13: Σ = 3/378 + 1/(17·16) + 1/(15·14) + 1/(12·11) = 0.0079365 + 0.0036765 + 0.0047619 + 0.0075758 = 0.0239507,
   *        SE = 0.690196·0.1547599 = 0.1068147.
   * log(−log) band at 6: log S = −0.1541507; spread = exp(1.959964·0.0890871/0.1541507) = exp(1.1327065) = 3.1040461;
   *   low = S^3.1040461 = exp(−0.4784908) = 0.619718, high = S^(1/3.1040461) = exp(−0.0496612) = 0.951552
   *   (scipy.stats.ecdf(...).sf.confidence_interval(method='log-log') gives the same: 0.619718, 0.951552).
   */
  it("gives Greenwood's standard error and the log(−log) band as computed by hand", () => {
    expect(at(6).standardError).toBeCloseTo(0.0763604, 6);
    expect(at(13).standardError).toBeCloseTo(0.1068147, 6);
    expect(at(6).low).toBeCloseTo(0.619718, 5);
    expect(at(6).high).toBeCloseTo(0.951552, 5);
    // Independent values from scipy for the last step: 0.188052, 0.680143.
    expect(at(23).low).toBeCloseTo(0.188052, 5);
    expect(at(23).high).toBeCloseTo(0.680143, 5);
  });

  it('brackets the median where the band crosses one half', () => {
    // Lower band at 10 is 0.503200, at 13 it is 0.431610 → the median could be as early as 13.
    expect(curve.medianLow).toBe(13);
    // The upper band never falls to 0.5 (its lowest is 0.680143): no upper limit yet.
    expect(curve.medianHigh).toBeNull();
  });

  it('reads the curve between steps, before the first and not beyond the last', () => {
    expect(survivalAt(curve, 0)).toEqual({ survival: 1, low: 1, high: 1 });
    expect(survivalAt(curve, 5.9)!.survival).toBe(1);
    expect(survivalAt(curve, 6)!.survival).toBeCloseTo(0.857143, 5);
    expect(survivalAt(curve, 12.5)!.survival).toBeCloseTo(0.752941, 5);
    expect(survivalAt(curve, 35)!.survival).toBeCloseTo(0.448179, 5);
    expect(survivalAt(curve, 36)).toBeNull();
  });
});

describe('which courses count and when', () => {
  const course = (referral: number, end: number | null, job: number | null): CourseDates => ({
    referralDate: dateAfter(referral),
    endDate: end === null ? null : dateAfter(end),
    firstJobDate: job === null ? null : dateAfter(job),
  });

  it('leaves out courses referred after the cut-off', () => {
    expect(courseObservation(course(CUTOFF_DAY + 1, null, null), CUTOFF)).toBeNull();
    expect(kaplanMeier([course(CUTOFF_DAY + 1, null, CUTOFF_DAY + 3)], CUTOFF).n).toBe(0);
  });

  it('censors at the cut-off a course still running, ending later, or finding its job later', () => {
    expect(courseObservation(course(900, null, null), CUTOFF)).toEqual({ days: 100, event: false });
    expect(courseObservation(course(900, CUTOFF_DAY + 50, null), CUTOFF)).toEqual({ days: 100, event: false });
    expect(courseObservation(course(900, null, CUTOFF_DAY + 5), CUTOFF)).toEqual({ days: 100, event: false });
  });

  it('censors at its end a course that ended without a job', () => {
    expect(courseObservation(course(900, 930, null), CUTOFF)).toEqual({ days: 30, event: false });
  });

  it('counts a job that starts the day after the course ends', () => {
    expect(courseObservation(course(900, 929, 930), CUTOFF)).toEqual({ days: 30, event: true });
  });

  it('keeps fractional weeks, so citizens a day apart are not tied', () => {
    const curve = kaplanMeier([course(0, null, 10), course(0, null, 11)], CUTOFF);
    expect(curve.steps.map((s) => s.week)).toEqual([10 / 7, 11 / 7]);
  });

  it('refuses a job or an end before the referral, and dates that do not exist', () => {
    expect(() => courseObservation(course(100, null, 99), CUTOFF)).toThrow(RangeError);
    expect(() => courseObservation(course(100, 99, null), CUTOFF)).toThrow(RangeError);
    expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => dayNumber('0099-01-01')).toThrow(RangeError); // Date.UTC would silently read it as 1999
    expect(() => dayNumber('26-01-01')).toThrow(RangeError);
  });

  it('gives both median limits when the band crosses one half on both sides', () => {
    // 40 citizens, one job every week from week 1 to week 40: S(t) = 1 − t/40, median at week 20.
    const curve = kaplanMeier(Array.from({ length: 40 }, (_, i) => course(0, null, 7 * (i + 1))), CUTOFF);
    expect(curve.medianWeeks).toBe(20);
    expect(curve.medianLow!).toBeLessThan(20);
    expect(curve.medianHigh!).toBeGreaterThan(20);
    expect(survivalAt(curve, 41)).toEqual({ survival: 0, low: 0, high: 0 });
  });

  it('is empty without courses', () => {
    const curve = kaplanMeier([], CUTOFF);
    expect(curve).toMatchObject({ steps: [], n: 0, events: 0, medianWeeks: null });
    expect(survivalAt(curve, 4)).toBeNull();
  });
});

describe('kaplanMeier invariants on random courses', () => {
  const randomCourse = fc.record({
    referral: fc.integer({ min: 0, max: CUTOFF_DAY + 60 }),
    endAfter: fc.option(fc.integer({ min: 0, max: 400 })),
    jobAfter: fc.option(fc.integer({ min: 0, max: 400 })),
  }).map(({ referral, endAfter, jobAfter }): CourseDates => ({
    referralDate: dateAfter(referral),
    endDate: endAfter === null ? null : dateAfter(referral + endAfter),
    firstJobDate: jobAfter === null ? null : dateAfter(referral + jobAfter),
  }));
  const courses = fc.array(randomCourse, { maxLength: 80 });

  it('never rises, stays in [0, 1], and its band contains it', () => {
    fc.assert(
      fc.property(courses, (cs) => {
        const curve = kaplanMeier(cs, CUTOFF);
        let previous = 1;
        for (const s of curve.steps) {
          expect(s.survival).toBeLessThanOrEqual(previous);
          expect(0 <= s.low && s.low <= s.survival && s.survival <= s.high && s.high <= 1).toBe(true);
          previous = s.survival;
        }
      }),
      SEED,
    );
  });

  it('accounts for every course: at risk falls by events and censorings', () => {
    fc.assert(
      fc.property(courses, (cs) => {
        const curve = kaplanMeier(cs, CUTOFF);
        let atRisk = curve.n;
        for (const s of curve.steps) {
          expect(s.atRisk).toBe(atRisk);
          atRisk -= s.events + s.censored;
        }
        expect(atRisk).toBe(0);
        expect(curve.steps.reduce((total, s) => total + s.events, 0)).toBe(curve.events);
      }),
      SEED,
    );
  });

  it('stays at 1 with no median when no one has found a job', () => {
    fc.assert(
      fc.property(courses, (cs) => {
        const curve = kaplanMeier(cs.map((c) => ({ ...c, firstJobDate: null })), CUTOFF);
        expect(curve.steps.every((s) => s.survival === 1 && s.low === 1 && s.high === 1)).toBe(true);
        expect([curve.medianWeeks, curve.medianLow, curve.medianHigh]).toEqual([null, null, null]);
      }),
      SEED,
    );
  });

  it('brackets its median: low ≤ median ≤ high whenever they exist', () => {
    fc.assert(
      fc.property(courses, (cs) => {
        const { medianWeeks, medianLow, medianHigh } = kaplanMeier(cs, CUTOFF);
        if (medianWeeks !== null && medianLow !== null) expect(medianLow).toBeLessThanOrEqual(medianWeeks);
        if (medianWeeks !== null && medianHigh !== null) expect(medianHigh).toBeGreaterThanOrEqual(medianWeeks);
        if (medianHigh !== null) expect(medianWeeks).not.toBeNull();
      }),
      SEED,
    );
  });
});
