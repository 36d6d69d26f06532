// Monthly reports: every version kept, the latest one per month is what counts.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { MonthlyReportRow, NewMonthlyReport } from '../tables/results.table.ts';

/** The month's current version, if reported: the one a correction replaces (however many came before). */
export async function latestVersionOfMonth(db: Kysely<Database>, networkId: string, providerId: string, month: string): Promise<MonthlyReportRow | null> {
  const row = await db
    .selectFrom('monthly_reports')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('provider_id', '=', providerId)
    .where('month', '=', month)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function insertReport(db: Kysely<Database>, report: NewMonthlyReport): Promise<void> {
  await db.insertInto('monthly_reports').values(report).execute();
}

/** Every version of a network's reports in a month range (inclusive), optionally for one provider. */
export async function reportsInRange(
  db: Kysely<Database>,
  networkId: string,
  range: { from?: string; to?: string; providerId?: string },
): Promise<MonthlyReportRow[]> {
  let q = db.selectFrom('monthly_reports').selectAll().where('network_id', '=', networkId);
  if (range.from) q = q.where('month', '>=', range.from);
  if (range.to) q = q.where('month', '<=', range.to);
  if (range.providerId) q = q.where('provider_id', '=', range.providerId);
  return q.orderBy('provider_id').orderBy('month').orderBy('version').execute();
}

/** The latest version of each (provider, month). */
export function latestOnly(reports: MonthlyReportRow[]): MonthlyReportRow[] {
  const latest = new Map<string, MonthlyReportRow>();
  for (const r of reports) {
    const key = `${r.provider_id}|${r.month}`;
    const seen = latest.get(key);
    if (!seen || seen.version < r.version) latest.set(key, r);
  }
  return [...latest.values()];
}

/** 'providerId|YYYY-MM' for every month a provider has reported (any version), for deadline tracking. */
export async function reportedMonths(db: Kysely<Database>, networkId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('monthly_reports').select(['provider_id', 'month']).distinct().where('network_id', '=', networkId).execute();
  return new Set(rows.map((r) => `${r.provider_id}|${r.month}`));
}

/** Which providers sent a first version for the month, and when. */
export async function firstReportsOfMonth(db: Kysely<Database>, networkId: string, month: string) {
  return db.selectFrom('monthly_reports').select(['provider_id', 'created_at']).where('network_id', '=', networkId).where('month', '=', month).where('version', '=', 1).execute();
}

/** The columns the provider metrics are computed from. */
export const METRIC_COLUMNS = [
  'provider_id', 'month', 'version', 'referred', 'active', 'job_starts', 'retained_13_of_26', 'activation_pct', 'satisfaction_mean', 'satisfaction_responses',
] as const;

export interface ReportPeriod {
  networkId: string;
  /** Months 'YYYY-MM', inclusive. */
  from: string;
  to: string;
}

const reportsInPeriod = (db: Kysely<Database>, p: ReportPeriod) =>
  db.selectFrom('monthly_reports').where('network_id', '=', p.networkId).where('month', '>=', p.from).where('month', '<=', p.to);

/** Per provider, how many versions the period holds and when the last was sent: what a cached figure is keyed on. */
export async function reportVersionsInPeriod(db: Kysely<Database>, p: ReportPeriod) {
  return reportsInPeriod(db, p)
    .select((eb) => ['provider_id', eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('latest')])
    .groupBy('provider_id')
    .execute();
}

/** Every version in the period, metric columns only; only these providers' when given. */
export async function metricRowsInPeriod(db: Kysely<Database>, p: ReportPeriod, providerIds?: readonly string[]) {
  return (providerIds ? reportsInPeriod(db, p).where('provider_id', 'in', providerIds) : reportsInPeriod(db, p)).select(METRIC_COLUMNS).execute();
}
