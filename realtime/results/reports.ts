// Saving monthly reports: never in place — the first report of a month is version 1, every
// correction a new version with a reason; each save is audited in the same transaction.
import type { Kysely } from 'kysely';
import { can, type Actor } from '../../domain/access.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { monthViolations, violationMessage, type Locale, type ReportFigures } from '../../domain/reportInvariants.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import type { Database } from '../../db/database.ts';
import type { MonthlyReportRow } from '../../db/tables/results.table.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { providerPeriodsOfNetwork, providersOfNetwork } from '../../db/queries/networks.ts';
import { takesPartIn } from '../../domain/providerPeriods.ts';
import { insertReport, latestVersionOfMonth } from '../../db/queries/reports.ts';
import { userNameOf } from '../../db/queries/users.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { MonthlyReportInput, MonthlyReportVersion } from '../wire/reports.ts';

/** The figures of an input as the invariants read them. */
export const inputFigures = (input: MonthlyReportInput): ReportFigures => ({
  providerId: '', month: input.month, referred: input.referred, active: input.active, jobStarts: input.jobStarts, retained13of26: input.retained13of26,
  activationPct: input.activationPct, satisfactionMean: input.satisfactionMean ?? null, satisfactionResponses: input.satisfactionResponses,
});

/**
 * Rules that span fields, shared by the API and the importer, in the user's language: the report
 * invariants the figures need (domain/reportInvariants.ts), and what input alone refuses — months
 * not begun, a mean without answers, a CPR number in the reason.
 */
export function reportIssues(input: MonthlyReportInput, now: Date, locale: Locale = 'da'): FieldIssue[] {
  const da = locale === 'da';
  const issues: FieldIssue[] = monthViolations(inputFigures(input)).map((v) => ({ path: v.field, message: violationMessage(v, locale) }));
  const current = copenhagenMonth(now);
  if (input.month > current) issues.push({ path: 'month', message: da ? `${input.month} er ikke begyndt endnu; indberet måneder til og med ${current}.` : `${input.month} has not begun yet; report months up to ${current}.` });
  if (input.satisfactionResponses === 0 && (input.satisfactionMean ?? null) !== null) {
    issues.push({ path: 'satisfactionResponses', message: da ? 'Et gennemsnit kræver mindst ét svar.' : 'A mean score needs at least one answer.' });
  }
  if (input.reason && containsCpr(input.reason)) issues.push({ path: 'reason', message: CPR_MESSAGE[locale] });
  return issues;
}

export async function reportVersionDto(db: Kysely<Database>, r: MonthlyReportRow): Promise<MonthlyReportVersion> {
  const author = await userNameOf(db, r.created_by);
  return toDto(r, author ?? { id: r.created_by, name: '?' });
}

export function toDto(r: MonthlyReportRow, author: { id: string; name: string }): MonthlyReportVersion {
  return {
    id: r.id,
    networkId: r.network_id,
    providerId: r.provider_id,
    month: r.month,
    version: r.version,
    referred: r.referred,
    active: r.active,
    jobStarts: r.job_starts,
    retained13of26: r.retained_13_of_26,
    activationPct: r.activation_pct,
    satisfactionMean: r.satisfaction_mean,
    satisfactionResponses: r.satisfaction_responses,
    reason: r.reason,
    createdBy: author,
    createdAt: r.created_at,
  };
}

export async function assertProviderInNetwork(db: Kysely<Database>, networkId: string, providerId: string): Promise<void> {
  const providers = await providersOfNetwork(db, networkId);
  if (!providers.some((p) => p.id === providerId)) throw new AppError('not_found', 'That provider is not part of this network.');
}

/** A checker of months the provider takes part in: a report for any other month is refused (it would count nowhere). */
export async function monthsTakenPartIn(db: Kysely<Database>, networkId: string, providerId: string): Promise<(month: string) => FieldIssue | null> {
  const periods = (await providerPeriodsOfNetwork(db, networkId)).get(providerId) ?? [];
  return (month) => (takesPartIn(periods, month) ? null : { path: 'month', message: `the provider does not take part in the network in ${month}` });
}

export function assertMayWriteReports(actor: Actor, networkId: string, providerId: string): void {
  if (!can(actor, { action: 'report.write', networkId, providerId })) {
    throw new AppError('forbidden', "Only the provider's own members and the host may enter its reports.");
  }
}

/**
 * Stores one month as a new version inside `trx` (the caller owns the transaction, so an import of
 * many months is all-or-nothing). Without a reason an existing month is a conflict.
 */
export async function storeReportVersion(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'newId' | 'now'>,
  who: { userId: string },
  networkId: string,
  providerId: string,
  input: MonthlyReportInput,
): Promise<MonthlyReportRow> {
  const previous = await latestVersionOfMonth(trx, networkId, providerId, input.month);
  if (previous && !input.reason) {
    throw new AppError(
      'conflict',
      `${input.month} is already reported (version ${previous.version}). A correction needs a reason; it is stored as a new version and the old one is kept.`,
    );
  }
  const row: MonthlyReportRow = {
    id: ctx.newId(),
    network_id: networkId,
    provider_id: providerId,
    month: input.month,
    version: (previous?.version ?? 0) + 1,
    referred: input.referred,
    active: input.active,
    job_starts: input.jobStarts,
    retained_13_of_26: input.retained13of26,
    activation_pct: input.activationPct,
    satisfaction_mean: input.satisfactionMean ?? null,
    satisfaction_responses: input.satisfactionResponses,
    reason: input.reason ?? null,
    created_by: who.userId,
    created_at: ctx.now().toISOString(),
  };
  await insertReport(trx, row);
  await appendAudit(trx, {
    id: ctx.newId(),
    at: row.created_at,
    networkId,
    actorUserId: who.userId,
    action: previous ? 'report.correct' : 'report.create',
    subjectType: 'monthlyReport',
    subjectId: `${providerId}/${input.month}`,
    before: previous ?? undefined,
    after: row,
  });
  return row;
}

/** One month through the API: checked, stored as a version, audited. */
export async function saveReport(
  ctx: AppContext,
  who: { userId: string; actor: Actor; locale?: Locale },
  networkId: string,
  providerId: string,
  input: MonthlyReportInput,
): Promise<MonthlyReportRow> {
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  assertMayWriteReports(who.actor, networkId, providerId);
  const outsidePeriods = (await monthsTakenPartIn(ctx.db, networkId, providerId))(input.month);
  const issues = [...reportIssues(input, ctx.now(), who.locale), ...(outsidePeriods ? [outsidePeriods] : [])];
  if (issues.length) {
    const intro = who.locale === 'en' ? `The report for ${input.month} is not valid` : `Indberetningen for ${input.month} er ikke gyldig`;
    throw new AppError('validation_failed', `${intro}: ${issues.map((i) => i.message).join(' ')}`, issues);
  }
  try {
    return await ctx.db.transaction().execute((trx) => storeReportVersion(trx, ctx, who, networkId, providerId, input));
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUniqueViolation(err)) throw new AppError('conflict', `Someone saved ${input.month} at the same moment. Reload to see their version, then correct it if needed.`);
    throw err;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
