// Which version of a contract settles a course, and when contracts of one provider collide.
//
// Every change to a contract is a new version with the first month it governs (`effectiveFrom`).
// The version in force for a month is the newest version whose effectiveFrom is not after it. A
// course is bought at the terms in force in the month it was referred and keeps them to the end, so
// a price raised "from January" prices January's referrals and never re-prices a course already
// running or paid, and October's statement stays as it was. A change may not take effect from a month
// that is already approved: money for approved months moves only through correction lines.
import { buildStatement, type CourseFacts, type Locale, type SettlementTerms, type Statement, type StatementCourse } from './settlement.ts';
import { lastDayOf } from './time.ts';

export interface DatedVersion {
  version: number;
  effectiveFrom: string;
}

/** The newest version in force for `month`; before any takes effect, the first (courses can't be older). */
export function versionInForce<V extends DatedVersion>(versions: readonly V[], month: string): V {
  if (versions.length === 0) throw new Error('a contract has at least one version');
  let chosen: V | undefined;
  for (const v of versions) if (v.effectiveFrom <= month && (!chosen || v.version > chosen.version)) chosen = v;
  return chosen ?? versions.reduce((a, b) => (b.version < a.version ? b : a));
}

/** Dates (inclusive) a contract covers: its period, cut short where the jobcenter ended it. */
export interface Coverage {
  start: string;
  end: string;
}

export function coverageOf(period: { periodStart: string; periodEnd: string; endedOn?: string | null }): Coverage {
  const end = period.endedOn && period.endedOn < period.periodEnd ? period.endedOn : period.periodEnd;
  return { start: period.periodStart, end };
}

/** The dates two coverages share, or null. */
export function overlapOf(a: Coverage, b: Coverage): Coverage | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}

export function coversMonth(c: Coverage, month: string): boolean {
  return c.start <= lastDayOf(month) && c.end >= `${month}-01`;
}

export function coversDate(c: Coverage, date: string): boolean {
  return c.start <= date && date <= c.end;
}

/** The contract (of one provider) that settles a course referred on `date`: covering it, first registered wins. */
export function governingContract<C extends { coverage: Coverage; period: Coverage }>(contracts: readonly C[], date: string): C | undefined {
  // A course referred after a contract was ended stays with it (it explains "nothing due") unless another covers it.
  return contracts.find((c) => coversDate(c.coverage, date)) ?? contracts.find((c) => coversDate(c.period, date));
}

/** Whether a version may take effect from `effectiveFrom` given the provider's last approved month. */
export function mayTakeEffect(effectiveFrom: string, lastApprovedMonth: string | null): boolean {
  return lastApprovedMonth === null || effectiveFrom > lastApprovedMonth;
}

/** The version a course is settled under: the one in force in the month it was referred. */
export function versionForCourse<V extends DatedVersion>(versions: readonly V[], referralDate: string): V {
  return versionInForce(versions, referralDate.slice(0, 7));
}

export interface VersionedStatement extends Statement {
  courses: Array<StatementCourse & { version: number }>;
}

/** A month's statement under one contract: each course settled under the version it was referred in. */
export function buildVersionedStatement(
  versions: ReadonlyArray<DatedVersion & { terms: SettlementTerms }>,
  courses: ReadonlyArray<CourseFacts & { key: string }>,
  month: string,
  today: string,
  locale: Locale = 'da',
): VersionedStatement {
  const out: VersionedStatement = { month, courses: [], pending: [], totalOre: 0, pendingOre: 0 };
  const groups = new Map<number, Array<CourseFacts & { key: string }>>();
  for (const course of courses) {
    const version = versionForCourse(versions, course.referralDate).version;
    groups.set(version, [...(groups.get(version) ?? []), course]);
  }
  for (const [version, group] of [...groups].sort((a, b) => a[0] - b[0])) {
    const statement = buildStatement(versions.find((v) => v.version === version)!.terms, group, month, today, locale);
    out.courses.push(...statement.courses.map((c) => ({ ...c, version })));
    out.pending.push(...statement.pending);
    out.totalOre += statement.totalOre;
    out.pendingOre += statement.pendingOre;
  }
  return out;
}
