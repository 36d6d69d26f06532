// Provider results for the leaderboard and the archive: monthly report totals, and course-based job rates standardised for intake.
import { poissonRatioInterval, satisfactionSummary, wilsonInterval, Z95, type Interval, type SatisfactionSummary } from './statistics.ts';
import { courseObservation, DAYS_PER_WEEK, kaplanMeier, type CourseDates, type SurvivalCurve } from './survival.ts';
import { windowViolations, violationMessage, type ReportFigures, type ReportViolation } from './reportInvariants.ts';
import { dayNumber, monthAt, monthIndex, monthsBetween } from './time.ts';

// ── Periods ────────────────────────────────────────────────────────────────────────────────────

export interface Period {
  kind: 'month' | 'quarter' | 'contract';
  from: string;
  to: string;
  months: string[];
  /** '2026-03', '2026-Q1' or '2026-01–2026-12'. */
  label: string;
}

/** The month itself, the calendar quarter containing it, or a contract's span of months. */
export function periodOf(kind: 'month' | 'quarter', anchor: string): Period;
export function periodOf(kind: 'contract', anchor: { from: string; to: string }): Period;
export function periodOf(kind: Period['kind'], anchor: string | { from: string; to: string }): Period {
  if (kind === 'contract' && typeof anchor === 'object') {
    const months = monthsBetween(anchor.from, anchor.to);
    if (months.length === 0) throw new RangeError(`contract ends (${anchor.to}) before it starts (${anchor.from})`);
    return { kind, from: anchor.from, to: anchor.to, months, label: `${anchor.from}–${anchor.to}` };
  }
  if (typeof anchor !== 'string') throw new TypeError(`a ${kind} period is anchored on a month (YYYY-MM)`);
  const index = monthIndex(anchor);
  if (kind === 'month') return { kind, from: anchor, to: anchor, months: [anchor], label: anchor };
  const first = index - (index % 3);
  const months = monthsBetween(monthAt(first), monthAt(first + 2));
  return { kind: 'quarter', from: months[0], to: months[2], months, label: `${anchor.slice(0, 4)}-Q${(first % 12) / 3 + 1}` };
}

// ── Monthly reports ────────────────────────────────────────────────────────────────────────────

export interface MonthlyReport extends ReportFigures {
  /** A correction is a new version; the highest one counts. */
  version: number;
}

/** The highest version of each provider's month, ordered by provider and month. */
export function latestVersions<R extends Pick<MonthlyReport, 'providerId' | 'month' | 'version'>>(reports: readonly R[]): R[] {
  const latest = new Map<string, R>();
  for (const r of reports) {
    const key = JSON.stringify([r.providerId, r.month]);
    const kept = latest.get(key);
    if (kept && kept.version === r.version) throw new RangeError(`two reports claim version ${r.version} of ${r.providerId} ${r.month}`);
    if (!kept || r.version > kept.version) latest.set(key, r);
  }
  return [...latest.values()].sort((a, b) => cmp(a.providerId, b.providerId) || cmp(a.month, b.month));
}

/**
 * Thrown by providerMetrics when given months that break the report invariants (see
 * reportInvariants.ts); callers set such months aside with partitionReports first.
 */
export class InvalidReportsError extends Error {
  readonly problems: ReportViolation[];
  constructor(problems: ReportViolation[]) {
    super(problems.map((p) => `${p.providerId} ${p.month}: ${violationMessage(p, 'en')}`).join('; '));
    this.problems = problems;
    this.name = 'InvalidReportsError';
  }
}

/** A share with its interval, the count behind it and its denominator. */
export interface ShareFigure extends Interval {
  count: number;
  n: number;
}

export interface ProviderMetrics {
  months: string[];
  referred: number;
  /** Job starts per citizen-month in course; n = Σ active. */
  jobRate: ShareFigure | null;
  /** Job starts held ≥ 13 of 26 weeks; n = Σ job starts. */
  retention: ShareFigure | null;
  activation: { sharePct: number; n: number; requirementPct: number; meetsRequirement: boolean } | null;
  satisfaction: SatisfactionSummary | null;
}

function share(count: number, n: number, z: number): ShareFigure | null {
  const interval = wilsonInterval(count, n, z);
  return interval && { ...interval, count, n };
}

/**
 * Totals over a set of monthly reports — one provider's (or the network's) latest versions for a period.
 *
 * Job rate denominator: Σ active, i.e. citizen-months in course. Referrals count inflow, not the
 * time a provider had to help someone; a provider holding citizens for longer has more chances to
 * produce a job start. Counting each citizen-month as one trial makes the rate a monthly chance of
 * a job start, comparable between providers whose intake arrived at different times.
 *
 * Retention counts only the job starts in these months, so it is incomplete for the last 26 weeks;
 * compare retention over periods that have matured.
 */
export function providerMetrics(reports: readonly MonthlyReport[], options: { activationRequirementPct?: number; z?: number } = {}): ProviderMetrics {
  const { activationRequirementPct = 30, z = Z95 } = options;
  const months = [...new Set(reports.map((r) => r.month))].sort();
  const problems = windowViolations(reports);
  if (problems.length > 0) throw new InvalidReportsError(problems);
  const sum = (f: (r: MonthlyReport) => number) => reports.reduce((total, r) => total + f(r), 0);
  const [active, jobStarts, retained] = [sum((r) => r.active), sum((r) => r.jobStarts), sum((r) => r.retained13of26)];

  const activationPct = active === 0 ? 0 : sum((r) => r.activationPct * r.active) / active;
  return {
    months,
    referred: sum((r) => r.referred),
    jobRate: share(jobStarts, active, z),
    retention: share(retained, jobStarts, z),
    activation: active === 0 ? null : {
      sharePct: activationPct,
      n: active,
      requirementPct: activationRequirementPct,
      // A weighted mean of months exactly at the requirement may land a rounding error below it.
      meetsRequirement: activationPct >= activationRequirementPct - 1e-9,
    },
    satisfaction: satisfactionSummary(reports, z),
  };
}

// ── Course records ─────────────────────────────────────────────────────────────────────────────

export interface Intake {
  unemploymentBand: string;
  educationField: string;
  ageBand: string;
}

export interface CourseRecord extends CourseDates {
  caseKey: string;
  providerId: string;
  programme: string;
  weeksEmployedOf26: number | null;
  intake: Intake;
}

export interface WindowOptions {
  /** The last day the records describe, 'YYYY-MM-DD'. */
  cutoff: string;
  /** Default 26. */
  withinWeeks?: number;
  z?: number;
}

/**
 * Did the course's first job start within N weeks of referral? Null when the course was referred
 * less than N weeks before the cut-off, so the answer is not known yet. Intention to treat: a
 * course that ended early without a job counts as "no job" (unlike the survival curve, which
 * censors it), because it is still a citizen referred to this provider.
 */
function jobWithin(course: CourseDates, cutoff: string, withinWeeks: number): boolean | null {
  const windowDays = withinWeeks * DAYS_PER_WEEK;
  if (dayNumber(course.referralDate) + windowDays > dayNumber(cutoff)) return null;
  const seen = courseObservation(course, cutoff);
  return seen !== null && seen.event && seen.days <= windowDays;
}

function windowOutcomes(courses: readonly CourseRecord[], options: WindowOptions) {
  const withinWeeks = options.withinWeeks ?? 26;
  if (!(withinWeeks > 0 && Number.isFinite(withinWeeks))) throw new RangeError(`withinWeeks must be positive, got ${withinWeeks}`);
  return courses.flatMap((course) => {
    const job = jobWithin(course, options.cutoff, withinWeeks);
    return job === null ? [] : [{ course, job }];
  });
}

/** Share of courses with a job within N weeks, among courses referred at least N weeks before the cut-off. */
export function jobRateFromCourses(courses: readonly CourseRecord[], options: WindowOptions): ShareFigure | null {
  const outcomes = windowOutcomes(courses, options);
  return share(outcomes.filter((o) => o.job).length, outcomes.length, options.z ?? Z95);
}

/** Kaplan–Meier median weeks from referral to a job, with its interval (see survival.ts). */
export function medianWeeksToJob(courses: readonly CourseDates[], cutoff: string, z = Z95): Pick<SurvivalCurve, 'medianWeeks' | 'medianLow' | 'medianHigh' | 'n' | 'events'> {
  const { medianWeeks, medianLow, medianHigh, n, events } = kaplanMeier(courses, cutoff, z);
  return { medianWeeks, medianLow, medianHigh, n, events };
}

export interface Stratum {
  /** 'intake': a full intake group; 'unemploymentBand': the small groups of one band pooled; 'network': what is left. */
  level: 'intake' | 'unemploymentBand' | 'network';
  intake: Partial<Intake>;
  n: number;
  jobs: number;
  rate: number;
}

export interface StandardisedJobRate {
  providerId: string;
  n: number;
  observed: number;
  expected: number;
  /** Actual/expected with Byar's interval; null when nothing was expected. */
  ratio: Interval | null;
  band: 'above' | 'below' | 'as_expected' | null;
}

export interface StandardisedJobRates {
  withinWeeks: number;
  /** Observable courses in the whole network and how many found a job within the window. */
  network: { n: number; observed: number };
  strata: Stratum[];
  providers: StandardisedJobRate[];
}

/**
 * Indirect standardisation of the job rate within N weeks: what each provider would have achieved
 * with the network's rate for each of its citizens' intake groups, against what it achieved.
 *
 * Strata partition the network's observable courses:
 *  1. each unemploymentBand × educationField × ageBand group with at least `minGroupSize` (5) courses;
 *  2. the courses of smaller groups, pooled per unemploymentBand, if that pool has at least 5;
 *  3. everything still left, pooled network-wide.
 * Pooling only the left-overs (not the whole band) keeps the strata a partition, so Σ expected over
 * providers equals the network's Σ observed exactly — the check that the standard is the network.
 */
export function expectedJobRates(courses: readonly CourseRecord[], options: WindowOptions & { minGroupSize?: number }): StandardisedJobRates {
  const minGroupSize = options.minGroupSize ?? 5;
  const outcomes = windowOutcomes(courses, options);
  const strata: Stratum[] = [];
  const rateOf = new Map<(typeof outcomes)[number], number>();
  const stratify = (level: Stratum['level'], keyOf: (i: Intake) => Partial<Intake>, pool: typeof outcomes, lastLevel: boolean) => {
    const groups = new Map<string, typeof outcomes>();
    for (const o of pool) {
      const key = JSON.stringify(keyOf(o.course.intake));
      const members = groups.get(key);
      if (members) members.push(o);
      else groups.set(key, [o]);
    }
    const leftOver: typeof outcomes = [];
    for (const [key, members] of [...groups].sort(([a], [b]) => cmp(a, b))) {
      if (members.length < minGroupSize && !lastLevel) {
        leftOver.push(...members);
        continue;
      }
      const jobs = members.filter((o) => o.job).length;
      strata.push({ level, intake: JSON.parse(key) as Partial<Intake>, n: members.length, jobs, rate: jobs / members.length });
      for (const o of members) rateOf.set(o, jobs / members.length);
    }
    return leftOver;
  };
  const small = stratify('intake', ({ unemploymentBand, educationField, ageBand }) => ({ unemploymentBand, educationField, ageBand }), outcomes, false);
  const rest = stratify('unemploymentBand', ({ unemploymentBand }) => ({ unemploymentBand }), small, false);
  stratify('network', () => ({}), rest, true);

  const providerIds = [...new Set(courses.map((c) => c.providerId))].sort(cmp);
  const providers = providerIds.map((providerId): StandardisedJobRate => {
    const own = outcomes.filter((o) => o.course.providerId === providerId);
    const observed = own.filter((o) => o.job).length;
    const expected = own.reduce((total, o) => total + (rateOf.get(o) ?? 0), 0);
    const ratio = poissonRatioInterval(observed, expected, options.z ?? Z95);
    const band = ratio === null ? null : ratio.low > 1 ? 'above' : ratio.high < 1 ? 'below' : 'as_expected';
    return { providerId, n: own.length, observed, expected, ratio, band };
  });
  return {
    withinWeeks: options.withinWeeks ?? 26,
    network: { n: outcomes.length, observed: outcomes.filter((o) => o.job).length },
    strata,
    providers,
  };
}

export interface ProgrammeResult {
  programme: string;
  network: ShareFigure | null;
  providers: Array<{ providerId: string; jobRate: ShareFigure | null }>;
}

/** Job rate within N weeks for each programme, network-wide and per provider offering it. */
export function resultsByProgramme(courses: readonly CourseRecord[], options: WindowOptions): ProgrammeResult[] {
  const programmes = [...new Set(courses.map((c) => c.programme))].sort(cmp);
  return programmes.map((programme) => {
    const inProgramme = courses.filter((c) => c.programme === programme);
    const providerIds = [...new Set(inProgramme.map((c) => c.providerId))].sort(cmp);
    return {
      programme,
      network: jobRateFromCourses(inProgramme, options),
      providers: providerIds.map((providerId) => ({
        providerId,
        jobRate: jobRateFromCourses(inProgramme.filter((c) => c.providerId === providerId), options),
      })),
    };
  });
}

/** Code-point order, so sorting does not depend on the runtime's locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
