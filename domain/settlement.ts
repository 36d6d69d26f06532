// What a provider is owed for one course under its contract, line by line, in whole øre.
//
// Performance model (Aalborg): a base share of the price pro-rated by the days the citizen was
// attached (capped at the course length); the whole price when the citizen held ordinary
// employment for at least N of the M weeks after the job start, the job starting within the
// course year. Fixed price (Aarhus): the price per course, never a bonus.
//
// Rounding: amounts are exact fractions until the end, rounded half-up to whole øre once per
// course. Where a course has two amount lines, the second is the rounded total minus the first,
// so the lines always add up to the total.
import { formatKroner, formatPercent, roundHalfUp } from './money.ts';
import { addDays, addMonths, dayNumber, lastDayOf } from './time.ts';

export type PaymentModel = 'performance' | 'fixed';
export type Locale = 'da' | 'en';

export interface SettlementTerms {
  model: PaymentModel;
  priceOre: number;
  /** Shares in basis points: 2500 = 25 %. Performance terms need base + success = 10000. */
  baseShareBp: number;
  successShareBp: number;
  successWeeks: number;
  successWindowWeeks: number;
  courseDays: number;
  /** The contract was ended on this date: courses referred after it earn nothing. */
  endedOn?: string | null;
}

export interface CourseFacts {
  referralDate: string;
  endDate: string | null;
  jobStartDate: string | null;
  /** Weeks in ordinary employment within the window after the job start, as reported. */
  weeksEmployed: number | null;
  /** The window the weeks were counted in, when the data fixes it (course records: 26); default the contract's. */
  weeksCountedWithin?: number;
}

export type LineKind = 'base' | 'success' | 'fixed' | 'info' | 'earlier';

export interface SettlementLine {
  kind: LineKind;
  text: string;
  amountOre: number;
}

/** Why part of a course's money is not yet decidable. */
export type PendingReason = 'course_running' | 'success_undecided';

export interface CourseSettlement {
  totalOre: number;
  lines: SettlementLine[];
  pending: PendingReason | null;
  /** The most that may still become payable for this course. */
  pendingOre: number;
}

export interface SettleOptions {
  /** Settle with what was decidable on this date (statements); without it the facts are final (preview). */
  asOf?: string;
  locale?: Locale;
}

const phrases = {
  da: {
    base: (pct: string, price: string, days: number, of: number, amount: string) => `${pct} af ${price} × ${days}/${of} dage = ${amount}`,
    baseFull: (pct: string, price: string, amount: string) => `${pct} af ${price} fuldt ud ved ordinær beskæftigelse = ${amount}`,
    success: (weeks: number, window: number, required: number, pct: string, price: string, amount: string) =>
      `Ordinær beskæftigelse ${weeks} af ${window} uger (krav ${required}): ${pct} af ${price} = ${amount}`,
    noSuccess: (weeks: number, window: number, required: number) =>
      `Ordinær beskæftigelse ${weeks} af ${window} uger, under kravet på ${required}: ingen resultatandel`,
    noJob: () => 'Intet ordinært job i forløbsåret: ingen resultatandel',
    jobAfterYear: (date: string) => `Job startet ${date}, efter forløbsåret: ingen resultatandel`,
    undecided: (date: string, until: string) => `Resultatandel afventer: job startet ${date}, afgøres senest ${until}`,
    otherWindow: (weeks: number, counted: number, window: number) =>
      `Resultatandel afventer: forløbet har ${weeks} uger i job talt inden for ${counted} uger, kontrakten måler inden for ${window} uger; afgøres manuelt`,
    running: (until: string) => `Forløbet er i gang (senest til ${until}): intet at afregne endnu`,
    fixed: (price: string) => `Fast pris pr. forløb = ${price}`,
    afterEnd: (date: string) => `Henvist efter kontraktens ophør ${date}: intet at afregne`,
    earlier: (amount: string) => `Fratrukket tidligere afregnet = −${amount}`,
  },
  en: {
    base: (pct: string, price: string, days: number, of: number, amount: string) => `${pct} of ${price} × ${days}/${of} days = ${amount}`,
    baseFull: (pct: string, price: string, amount: string) => `${pct} of ${price} in full on ordinary employment = ${amount}`,
    success: (weeks: number, window: number, required: number, pct: string, price: string, amount: string) =>
      `Ordinary employment ${weeks} of ${window} weeks (required ${required}): ${pct} of ${price} = ${amount}`,
    noSuccess: (weeks: number, window: number, required: number) =>
      `Ordinary employment ${weeks} of ${window} weeks, below the required ${required}: no success share`,
    noJob: () => 'No ordinary job within the course year: no success share',
    jobAfterYear: (date: string) => `Job started ${date}, after the course year: no success share`,
    undecided: (date: string, until: string) => `Success share pending: job started ${date}, decided by ${until}`,
    otherWindow: (weeks: number, counted: number, window: number) =>
      `Success share pending: the course record has ${weeks} weeks in work counted within ${counted} weeks, the contract measures within ${window} weeks; decide by hand`,
    running: (until: string) => `Course running (until ${until} at the latest): nothing due yet`,
    fixed: (price: string) => `Fixed price per course = ${price}`,
    afterEnd: (date: string) => `Referred after the contract ended on ${date}: nothing due`,
    earlier: (amount: string) => `Less settled earlier = −${amount}`,
  },
} satisfies Record<Locale, Record<string, (...args: never[]) => string>>;

/** Checks the facts a settlement needs; returns field-named problems (empty when fine). */
export function courseProblems(course: CourseFacts): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (course.endDate && course.endDate < course.referralDate) problems.push({ path: 'endDate', message: 'The end date is before the referral date.' });
  if (course.jobStartDate && course.jobStartDate < course.referralDate) {
    problems.push({ path: 'jobStartDate', message: 'The job start is before the referral date.' });
  }
  if (course.weeksEmployed !== null && !course.jobStartDate) {
    problems.push({ path: 'weeksEmployed', message: 'Weeks employed needs a job start date.' });
  }
  return problems;
}

/** Checks terms; returns field-named problems (empty when fine). */
export function termsProblems(terms: SettlementTerms): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (!Number.isSafeInteger(terms.priceOre) || terms.priceOre < 0) problems.push({ path: 'priceOre', message: 'The price must be a whole, non-negative number of øre.' });
  if (terms.model === 'performance') {
    if (terms.baseShareBp + terms.successShareBp !== 10_000) {
      problems.push({ path: 'successSharePct', message: 'The base share and the success share must add up to 100 %.' });
    }
    if (terms.successWeeks > terms.successWindowWeeks) {
      problems.push({ path: 'successWeeks', message: 'The weeks required cannot exceed the window they are counted in.' });
    }
  }
  return problems;
}

export function settleCourse(terms: SettlementTerms, course: CourseFacts, options: SettleOptions = {}): CourseSettlement {
  const say = phrases[options.locale ?? 'da'];
  const price = terms.priceOre;
  const asOf = options.asOf;
  if (terms.endedOn && course.referralDate > terms.endedOn) {
    return { totalOre: 0, lines: [{ kind: 'info', text: say.afterEnd(terms.endedOn), amountOre: 0 }], pending: null, pendingOre: 0 };
  }
  if (terms.model === 'fixed') {
    return { totalOre: price, lines: [{ kind: 'fixed', text: say.fixed(formatKroner(price)), amountOre: price }], pending: null, pendingOre: 0 };
  }

  const courseYearEnd = addDays(course.referralDate, terms.courseDays);
  const effectiveEnd = course.endDate && course.endDate < courseYearEnd ? course.endDate : courseYearEnd;
  const running = asOf !== undefined ? effectiveEnd > asOf : course.endDate === null;
  const basePct = formatPercent(terms.baseShareBp);
  const successPct = formatPercent(terms.successShareBp);

  const success = successDecision(terms, course, courseYearEnd, asOf);
  if (success.kind === 'met') {
    const totalOre = roundHalfUp({ num: BigInt(price) * BigInt(terms.baseShareBp + terms.successShareBp), den: 10_000n });
    const baseOre = roundHalfUp({ num: BigInt(price) * BigInt(terms.baseShareBp), den: 10_000n });
    const successOre = totalOre - baseOre;
    return {
      totalOre,
      lines: [
        { kind: 'base', text: say.baseFull(basePct, formatKroner(price), formatKroner(baseOre)), amountOre: baseOre },
        {
          kind: 'success',
          text: say.success(course.weeksEmployed!, terms.successWindowWeeks, terms.successWeeks, successPct, formatKroner(price), formatKroner(successOre)),
          amountOre: successOre,
        },
      ],
      pending: null,
      pendingOre: 0,
    };
  }
  if (running) {
    return { totalOre: 0, lines: [{ kind: 'info', text: say.running(courseYearEnd), amountOre: 0 }], pending: 'course_running', pendingOre: price };
  }

  const days = Math.min(dayNumber(effectiveEnd) - dayNumber(course.referralDate), terms.courseDays);
  const baseOre = roundHalfUp({ num: BigInt(price) * BigInt(terms.baseShareBp) * BigInt(days), den: 10_000n * BigInt(terms.courseDays) });
  const lines: SettlementLine[] = [{ kind: 'base', text: say.base(basePct, formatKroner(price), days, terms.courseDays, formatKroner(baseOre)), amountOre: baseOre }];
  switch (success.kind) {
    case 'noJob':
      lines.push({ kind: 'info', text: say.noJob(), amountOre: 0 });
      break;
    case 'jobAfterYear':
      lines.push({ kind: 'info', text: say.jobAfterYear(course.jobStartDate!), amountOre: 0 });
      break;
    case 'notMet':
      lines.push({ kind: 'info', text: say.noSuccess(course.weeksEmployed ?? 0, terms.successWindowWeeks, terms.successWeeks), amountOre: 0 });
      break;
    case 'undecided':
      lines.push({ kind: 'info', text: say.undecided(course.jobStartDate!, success.decidedBy), amountOre: 0 });
      return { totalOre: baseOre, lines, pending: 'success_undecided', pendingOre: price - baseOre };
    case 'otherWindow':
      lines.push({ kind: 'info', text: say.otherWindow(course.weeksEmployed!, success.countedWithin, terms.successWindowWeeks), amountOre: 0 });
      return { totalOre: baseOre, lines, pending: 'success_undecided', pendingOre: price - baseOre };
  }
  return { totalOre: baseOre, lines, pending: null, pendingOre: 0 };
}

type SuccessDecision =
  | { kind: 'met'; decidedOn: string }
  | { kind: 'notMet' }
  | { kind: 'noJob' }
  | { kind: 'jobAfterYear' }
  | { kind: 'undecided'; decidedBy: string }
  | { kind: 'otherWindow'; countedWithin: number };

/**
 * Whether the success share is earned. Held N weeks is known N weeks after the job start at the
 * earliest; falling short is final when the M-week window has closed (or, without a date to judge
 * by, when the weeks are reported).
 */
function successDecision(terms: SettlementTerms, course: CourseFacts, courseYearEnd: string, asOf: string | undefined): SuccessDecision {
  const job = course.jobStartDate;
  if (!job) return { kind: 'noJob' };
  if (job > courseYearEnd) return { kind: 'jobAfterYear' };
  const metOn = addDays(job, terms.successWeeks * 7);
  const windowCloses = addDays(job, terms.successWindowWeeks * 7);
  const weeks = course.weeksEmployed;
  // Weeks counted in a window no longer than the contract's all lie inside it (enough weeks is a
  // success); counted in one no shorter, too few is a failure. Otherwise the figure cannot say.
  const counted = course.weeksCountedWithin ?? terms.successWindowWeeks;
  if (weeks !== null && weeks >= terms.successWeeks && counted > terms.successWindowWeeks) return { kind: 'otherWindow', countedWithin: counted };
  if (weeks !== null && weeks < terms.successWeeks && counted < terms.successWindowWeeks) return { kind: 'otherWindow', countedWithin: counted };
  if (weeks !== null && weeks >= terms.successWeeks && (asOf === undefined || metOn <= asOf)) return { kind: 'met', decidedOn: metOn };
  if (weeks !== null && weeks < terms.successWeeks && (asOf === undefined || windowCloses <= asOf)) return { kind: 'notMet' };
  return { kind: 'undecided', decidedBy: windowCloses };
}

export interface StatementCourse {
  key: string;
  amountOre: number;
  lines: SettlementLine[];
  pending: PendingReason | null;
  pendingOre: number;
}

/**
 * One course's part of the statement for a month: what became due in the month, i.e. its settlement
 * at the month's end (or `today`, for the month in progress) less what was due at the end of the month
 * before. Null when the month changed nothing and nothing is pending.
 */
export function courseInMonth(
  terms: SettlementTerms,
  course: CourseFacts,
  month: string,
  today: string,
  locale: Locale = 'da',
): Omit<StatementCourse, 'key'> | null {
  const monthEnd = lastDayOf(month);
  const asOf = monthEnd < today ? monthEnd : today;
  if (course.referralDate > asOf) return null;
  const now = settleCourse(terms, course, { asOf, locale });
  const before = course.referralDate <= lastDayOf(addMonths(month, -1)) ? settleCourse(terms, course, { asOf: lastDayOf(addMonths(month, -1)), locale }) : null;
  const changed = !before || before.totalOre !== now.totalOre || before.pending !== now.pending;
  if (!changed && !now.pending) return null;
  if (!changed) return { amountOre: 0, lines: [], pending: now.pending, pendingOre: now.pendingOre };
  const lines = [...now.lines];
  if (before && before.totalOre !== 0) lines.push({ kind: 'earlier', text: phrases[locale].earlier(formatKroner(before.totalOre)), amountOre: -before.totalOre });
  return { amountOre: now.totalOre - (before?.totalOre ?? 0), lines, pending: now.pending, pendingOre: now.pendingOre };
}

export interface Statement {
  month: string;
  /** Courses whose money changed in the month, with the lines that explain it. */
  courses: StatementCourse[];
  /** Courses with money not yet decidable at the month's end. */
  pending: Array<{ key: string; reason: PendingReason; pendingOre: number }>;
  totalOre: number;
  pendingOre: number;
}

/** A provider's statement for a month: each course's change in the month, summed. */
export function buildStatement(
  terms: SettlementTerms,
  courses: ReadonlyArray<CourseFacts & { key: string }>,
  month: string,
  today: string,
  locale: Locale = 'da',
): Statement {
  const statement: Statement = { month, courses: [], pending: [], totalOre: 0, pendingOre: 0 };
  for (const course of courses) {
    const part = courseInMonth(terms, course, month, today, locale);
    if (!part) continue;
    if (part.lines.length > 0) {
      statement.courses.push({ key: course.key, ...part });
      statement.totalOre += part.amountOre;
    }
    if (part.pending) {
      statement.pending.push({ key: course.key, reason: part.pending, pendingOre: part.pendingOre });
      statement.pendingOre += part.pendingOre;
    }
  }
  return statement;
}
