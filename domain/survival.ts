// Kaplan–Meier survival curves: the share of citizens still without a job N weeks after referral (Aarhus's "overlevelseskurve").
import { Z95 } from './statistics.ts';
import { dayNumber } from './time.ts';

/** The dates of one course the curve needs; a full course record has them all. */
export interface CourseDates {
  referralDate: string;
  /** Null while the course is still running. */
  endDate: string | null;
  /** First day in ordinary employment; null if no job is known. */
  firstJobDate: string | null;
}

/** Where one course stands at the cut-off: days from referral to a job (event) or to the end of what we know. */
export interface CourseObservation {
  days: number;
  event: boolean;
}

export interface SurvivalStep {
  /** Days since referral divided by 7 — fractional, so two citizens a day apart are not tied. */
  week: number;
  /** Courses still without a job and still observed just before this time. */
  atRisk: number;
  events: number;
  censored: number;
  /** Share still without a job from this time on. */
  survival: number;
  /** Greenwood's standard error of `survival`. */
  standardError: number;
  low: number;
  high: number;
}

export interface SurvivalCurve {
  /** One step per distinct time with a job start or a censoring, in time order. */
  steps: SurvivalStep[];
  /** Courses in the curve (referred on or before the cut-off). */
  n: number;
  events: number;
  medianWeeks: number | null;
  medianLow: number | null;
  medianHigh: number | null;
}

export const DAYS_PER_WEEK = 7;
// Survival is a product of fractions; allow for rounding when it lands exactly on one half.
const HALF = 0.5 + 1e-12;

/**
 * What the cut-off lets us know about one course, or null if it was referred after the cut-off.
 * A known job start on or before the cut-off is an event — even after the course's end date, since
 * a course often ends the day before the job starts. Otherwise the course is censored at its end
 * date, or at the cut-off if it is still running (or ends or finds its job after the cut-off):
 * never counted as a failure.
 */
export function courseObservation(course: CourseDates, cutoff: string): CourseObservation | null {
  const cutoffDay = dayNumber(cutoff);
  const referral = dayNumber(course.referralDate);
  if (referral > cutoffDay) return null;
  const end = course.endDate === null ? null : dayNumber(course.endDate);
  const job = course.firstJobDate === null ? null : dayNumber(course.firstJobDate);
  if (end !== null && end < referral) throw new RangeError(`endDate ${course.endDate} is before referralDate ${course.referralDate}`);
  if (job !== null && job < referral) throw new RangeError(`firstJobDate ${course.firstJobDate} is before referralDate ${course.referralDate}`);
  if (job !== null && job <= cutoffDay) return { days: job - referral, event: true };
  return { days: Math.min(end ?? cutoffDay, cutoffDay) - referral, event: false };
}

/** The log(−log) band: it stays inside [0, 1] and behaves well near the ends, unlike S ± z·SE. */
function band(survival: number, greenwoodSum: number, z: number): { standardError: number; low: number; high: number } {
  if (survival >= 1) return { standardError: 0, low: 1, high: 1 };
  // Everyone left at risk found a job: no one remains to be uncertain about.
  if (survival <= 0) return { standardError: 0, low: 0, high: 0 };
  const logSurvival = Math.log(survival);
  const spread = Math.exp((z * Math.sqrt(greenwoodSum)) / Math.abs(logSurvival));
  return {
    standardError: survival * Math.sqrt(greenwoodSum),
    low: Math.min(survival, survival ** spread),
    high: Math.max(survival, survival ** (1 / spread)),
  };
}

/**
 * Kaplan–Meier estimate of time from referral to the first day in ordinary employment. Time is
 * counted in days and reported as days/7, so weeks are fractional and ties are real ties. At a
 * time with both job starts and censorings, the censored courses count as at risk (the usual
 * convention: they were still without a job that day).
 *
 * Pointwise 95 % band: Greenwood's variance on the log(−log) scale.
 * Median: the first time the survival is ≤ 0.5 (null if it never gets there).
 * Median interval (the band-inversion method R's survfit uses, in the spirit of Brookmeyer–Crowley):
 * the times where the pointwise band contains 0.5 —
 *   medianLow  = the first time the band's LOWER limit is ≤ 0.5,
 *   medianHigh = the first time the band's UPPER limit is ≤ 0.5 (null: not yet reached).
 */
export function kaplanMeier(courses: readonly CourseDates[], cutoff: string, z = Z95): SurvivalCurve {
  if (!(z > 0 && Number.isFinite(z))) throw new RangeError(`z must be a positive number, got ${z}`);
  const observations = courses
    .map((c) => courseObservation(c, cutoff))
    .filter((o): o is CourseObservation => o !== null)
    .sort((a, b) => a.days - b.days);

  const steps: SurvivalStep[] = [];
  let atRisk = observations.length;
  let survival = 1;
  let greenwoodSum = 0;
  let totalEvents = 0;
  for (let i = 0; i < observations.length; ) {
    const days = observations[i].days;
    let events = 0;
    let censored = 0;
    for (; i < observations.length && observations[i].days === days; i++) {
      if (observations[i].event) events++;
      else censored++;
    }
    if (events > 0) {
      survival *= 1 - events / atRisk;
      if (atRisk > events) greenwoodSum += events / (atRisk * (atRisk - events));
    }
    steps.push({ week: days / DAYS_PER_WEEK, atRisk, events, censored, survival, ...band(survival, greenwoodSum, z) });
    totalEvents += events;
    atRisk -= events + censored;
  }

  const firstAtOrBelowHalf = (value: (s: SurvivalStep) => number) => steps.find((s) => value(s) <= HALF)?.week ?? null;
  return {
    steps,
    n: observations.length,
    events: totalEvents,
    medianWeeks: firstAtOrBelowHalf((s) => s.survival),
    medianLow: firstAtOrBelowHalf((s) => s.low),
    medianHigh: firstAtOrBelowHalf((s) => s.high),
  };
}

/**
 * The curve's value at a given week: 1 before the first job start, then the last step at or
 * before that week. Null beyond the last observed time (the curve says nothing there, unless it
 * has already reached 0) and for an empty curve.
 */
export function survivalAt(curve: SurvivalCurve, week: number): { survival: number; low: number; high: number } | null {
  if (!Number.isFinite(week) || week < 0) throw new RangeError(`week must be a finite number ≥ 0, got ${week}`);
  const last = curve.steps.at(-1);
  if (!last) return null;
  if (week > last.week) return last.survival === 0 ? { survival: 0, low: 0, high: 0 } : null;
  let current = { survival: 1, low: 1, high: 1 };
  for (const s of curve.steps) {
    if (s.week > week) break;
    current = { survival: s.survival, low: s.low, high: s.high };
  }
  return current;
}
