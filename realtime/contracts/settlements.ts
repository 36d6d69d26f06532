// Settlement statements: what each provider is owed per month under its contracts, computed from
// the course records; the host's approval locks a statement (stored exactly as approved) and later
// changes are correction lines with an author and a reason.
import type { Kysely } from 'kysely';
import { can, type Actor } from '../../domain/access.ts';
import { copenhagenDate, copenhagenMonth } from '../../domain/time.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { courseProblems, settleCourse, type Locale } from '../../domain/settlement.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { contractsWithHistory, correctionsOf, findStatement, insertCorrection, insertStatement } from '../../db/queries/contracts.ts';
import { findNetwork } from '../../db/queries/networks.ts';
import { buildVersionedStatement, coverageOf, coversMonth, governingContract, overlapOf, versionInForce } from '../../domain/contractVersions.ts';
import { userNames } from '../../db/queries/users.ts';
import { coursesOfNetwork } from '../../db/queries/courses.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { SettlementPreview, SettlementStatement, StatementContract, StatementLetter } from '../wire/settlements.ts';
import { SettlementCorrectionInput, SettlementPreviewRequest } from '../wire/settlements.ts';
import { isUniqueViolation } from '../results/reports.ts';
import { contractLabel, datedVersions, termsOf, termsOfVersion, type Who } from './contracts.ts';
import type { z } from '@hono/zod-openapi';

/** Course records count weeks in work within the 26 weeks after the job start (the column says so). */
const COURSE_RECORD_WINDOW_WEEKS = 26;

type PreviewRequest = z.infer<typeof SettlementPreviewRequest>;
type CorrectionInput = z.infer<typeof SettlementCorrectionInput>;
/** The figures and the wording of one language, plus the contracts and warnings that go with them. */
type Computed = Pick<SettlementStatement, 'courses' | 'pending' | 'totalOre' | 'pendingOre' | 'warnings'> & { contracts: StatementContract[] };

/** One course under given terms, for the host to try terms out before writing them into a contract. */
export function previewSettlement(actor: Actor, input: PreviewRequest, fallbackLocale: Locale): SettlementPreview {
  if (!actor.memberships.some((m) => can(actor, { action: 'contract.write', networkId: m.networkId }))) {
    throw new AppError('forbidden', 'Only a host previews settlements.');
  }
  const course = { referralDate: input.course.referralDate, endDate: input.course.endDate, jobStartDate: input.course.jobStartDate ?? null, weeksEmployed: input.course.weeksEmployed ?? null };
  const problems = courseProblems(course).map((p) => ({ path: `course.${p.path}`, message: p.message }));
  if (problems.length) throw new AppError('validation_failed', `The course is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  return settleCourse(termsOf(input.terms), course, { locale: input.locale ?? fallbackLocale });
}

const overlapText = {
  da: (a: string, b: string, from: string, to: string) => `Kontrakterne ${a} og ${b} dækker begge ${from} – ${to}. Hvert forløb afregnes efter den først registrerede, indtil værten afslutter den ene.`,
  en: (a: string, b: string, from: string, to: string) => `Contracts ${a} and ${b} both cover ${from} – ${to}. Each course is settled under the one registered first until the host ends one of them.`,
};

/**
 * The statement as computed now from the contracts and course records. Each course is settled under
 * the contract covering its referral date, with the terms of the version in force when it was referred.
 */
async function computeStatement(db: Kysely<Database>, networkId: string, providerId: string, month: string, today: string, locale: Locale): Promise<Computed> {
  const contracts = (await contractsWithHistory(db, networkId, providerId)).map((c) => ({
    ...c,
    coverage: coverageOf({ periodStart: c.current.period_start, periodEnd: c.current.period_end, endedOn: c.current.ended_on }),
    period: { start: c.current.period_start, end: c.current.period_end },
    dated: datedVersions(c.versions),
  }));
  const courses = await coursesOfNetwork(db, networkId, providerId);
  const out: Computed = { courses: [], pending: [], totalOre: 0, pendingOre: 0, warnings: [], contracts: [] };
  for (const [i, a] of contracts.entries()) {
    for (const b of contracts.slice(i + 1)) {
      const shared = overlapOf(a.coverage, b.coverage);
      if (shared && coversMonth(shared, month)) {
        out.warnings.push({ kind: 'overlapping_contracts', text: overlapText[locale](contractLabel(a.contract), contractLabel(b.contract), shared.start, shared.end), contractIds: [a.contract.id, b.contract.id] });
      }
    }
  }
  for (const c of contracts) {
    const mine = courses.filter((course) => governingContract(contracts, course.referral_date) === c);
    const byId = new Map(mine.map((course) => [course.id, course]));
    const statement = buildVersionedStatement(
      c.versions.map((v) => ({ version: v.version, effectiveFrom: v.effective_from, terms: termsOfVersion(v) })),
      mine.map((course) => ({ key: course.id, referralDate: course.referral_date, endDate: course.end_date, jobStartDate: course.first_job_date, weeksEmployed: course.weeks_employed_of_26, weeksCountedWithin: COURSE_RECORD_WINDOW_WEEKS })),
      month,
      today,
      locale,
    );
    // The letter names the versions that priced the month's courses, or the one in force when none did.
    const used = new Set(statement.courses.map((part) => part.version));
    if (used.size === 0 && coversMonth(c.coverage, month)) used.add(versionInForce(c.dated, month).version);
    for (const v of c.versions.filter((v) => used.has(v.version))) {
      out.contracts.push({ id: c.contract.id, name: c.contract.name, number: c.contract.number, version: v.version, effectiveFrom: v.effective_from, periodStart: v.period_start, periodEnd: v.period_end });
    }
    for (const part of statement.courses) {
      const course = byId.get(part.key)!;
      out.courses.push({
        caseKey: course.case_key,
        programme: course.programme,
        referralDate: course.referral_date,
        endDate: course.end_date,
        jobStartDate: course.first_job_date,
        weeksEmployed: course.weeks_employed_of_26,
        contractId: c.contract.id,
        contractVersion: part.version,
        amountOre: part.amountOre,
        lines: part.lines,
      });
    }
    for (const p of statement.pending) {
      const course = byId.get(p.key)!;
      out.pending.push({ caseKey: course.case_key, programme: course.programme, reason: p.reason, pendingOre: p.pendingOre });
    }
    out.totalOre += statement.totalOre;
    out.pendingOre += statement.pendingOre;
  }
  out.courses.sort((a, b) => a.referralDate.localeCompare(b.referralDate) || a.caseKey.localeCompare(b.caseKey));
  return out;
}

/** Sender and recipient as they stand now; frozen into the statement when it is approved. */
async function lettersParties(db: Kysely<Database>, networkId: string, providerId: string): Promise<Omit<StatementLetter, 'contracts'>> {
  const found = await findNetwork(db, networkId);
  if (!found) throw new AppError('not_found', 'No such network.');
  const provider = found.providers.find((p) => p.id === providerId);
  return {
    networkName: found.network.name,
    sender: { name: found.host.name, cvr: found.host.cvr },
    recipient: { name: provider?.name ?? providerId, cvr: provider?.cvr ?? null },
  };
}

async function assertMayRead(ctx: AppContext, actor: Actor, networkId: string, providerId: string): Promise<string> {
  const provider = (await providersOfNetwork(ctx.db, networkId)).find((p) => p.id === providerId);
  if (!provider) throw new AppError('not_found', 'That provider is not part of this network.');
  if (!can(actor, { action: 'settlement.read', networkId, providerId })) {
    throw new AppError('forbidden', "Only the provider's own members and the host see its settlements.");
  }
  return provider.name;
}

/** What an approval stores: both languages' wording and the letter head, exactly as they stood. */
interface FrozenStatement {
  da: Computed;
  en: Computed;
  /** Absent in statements approved before letters existed: those take today's parties. */
  letter?: Omit<StatementLetter, 'contracts'>;
}

/** A month's statement: the frozen, approved one with its corrections, or a draft computed now. */
export async function statementFor(ctx: AppContext, actor: Actor, networkId: string, providerId: string, month: string, locale: Locale): Promise<SettlementStatement> {
  const providerName = await assertMayRead(ctx, actor, networkId, providerId);
  const today = copenhagenDate(ctx.now());
  const computed = await computeStatement(ctx.db, networkId, providerId, month, today, locale);
  const approved = await findStatement(ctx.db, networkId, providerId, month);
  const base = { networkId, providerId, providerName, month };
  if (!approved) {
    const { contracts, warnings, ...figures } = computed;
    const letter = { ...(await lettersParties(ctx.db, networkId, providerId)), contracts };
    return { ...base, status: 'draft', ...figures, letter, warnings, approvedAt: null, approvedBy: null, corrections: [], totalWithCorrectionsOre: computed.totalOre, recomputedTotalOre: computed.totalOre };
  }
  const frozen = JSON.parse(approved.content_json) as FrozenStatement;
  // Statements approved before contracts and warnings were frozen with them carry none.
  const { contracts = [], warnings = [], ...figures } = frozen[locale];
  const letter = { ...(frozen.letter ?? (await lettersParties(ctx.db, networkId, providerId))), contracts };
  const corrections = await correctionsOf(ctx.db, approved.id);
  const names = await userNames(ctx.db, [approved.approved_by, ...corrections.map((c) => c.created_by)]);
  return {
    ...base,
    providerName: frozen.letter?.recipient.name ?? providerName,
    status: 'approved',
    ...figures,
    letter,
    warnings,
    totalOre: approved.total_ore,
    approvedAt: approved.approved_at,
    approvedBy: { id: approved.approved_by, name: names.get(approved.approved_by) ?? '' },
    corrections: corrections.map((c) => ({
      id: c.id,
      text: c.text,
      amountOre: c.amount_ore,
      reason: c.reason,
      createdBy: { id: c.created_by, name: names.get(c.created_by) ?? '' },
      createdAt: c.created_at,
    })),
    totalWithCorrectionsOre: approved.total_ore + corrections.reduce((sum, c) => sum + c.amount_ore, 0),
    recomputedTotalOre: computed.totalOre,
  };
}

/** Freezes a finished month's statement exactly as computed now: both languages' wording and the letter head. */
export async function approveStatement(ctx: AppContext, who: Who, networkId: string, providerId: string, month: string): Promise<void> {
  await assertMayRead(ctx, who.actor, networkId, providerId);
  if (!can(who.actor, { action: 'settlement.approve', networkId })) throw new AppError('forbidden', 'Only the host approves settlements.');
  if (month >= copenhagenMonth(ctx.now())) throw new AppError('conflict', `${month} is not over yet; a statement can be approved once its month has ended.`);
  const today = copenhagenDate(ctx.now());
  const da = await computeStatement(ctx.db, networkId, providerId, month, today, 'da');
  const en = await computeStatement(ctx.db, networkId, providerId, month, today, 'en');
  const frozen: FrozenStatement = { da, en, letter: await lettersParties(ctx.db, networkId, providerId) };
  const at = ctx.now().toISOString();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (await findStatement(trx, networkId, providerId, month)) throw new AppError('conflict', `The statement for ${month} is already approved; add a correction line instead.`);
      const id = ctx.newId();
      await insertStatement(trx, { id, network_id: networkId, provider_id: providerId, month, total_ore: da.totalOre, content_json: JSON.stringify(frozen), approved_by: who.userId, approved_at: at });
      await appendAudit(trx, {
        id: ctx.newId(),
        at,
        networkId,
        actorUserId: who.userId,
        action: 'settlement.approve',
        subjectType: 'settlementStatement',
        subjectId: `${providerId}/${month}`,
        after: { statementId: id, totalOre: da.totalOre, courses: da.courses.length, pendingOre: da.pendingOre },
      });
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUniqueViolation(err)) throw new AppError('conflict', `The statement for ${month} was approved at the same moment by someone else.`);
    throw err;
  }
}

/** A later correction to a locked statement: a new, attributed line; the approved lines stay as they were. */
export async function addCorrection(ctx: AppContext, who: Who, networkId: string, providerId: string, month: string, input: CorrectionInput): Promise<void> {
  await assertMayRead(ctx, who.actor, networkId, providerId);
  if (!can(who.actor, { action: 'settlement.approve', networkId })) throw new AppError('forbidden', 'Only the host corrects settlements.');
  const issues = (['text', 'reason'] as const).filter((f) => containsCpr(input[f])).map((f) => ({ path: f, message: CPR_MESSAGE.en }));
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  await ctx.db.transaction().execute(async (trx) => {
    const statement = await findStatement(trx, networkId, providerId, month);
    if (!statement) throw new AppError('conflict', `The statement for ${month} is a draft: it is recomputed from the course records and takes no correction lines until it is approved.`);
    const row = { id: ctx.newId(), statement_id: statement.id, text: input.text, amount_ore: input.amountOre, reason: input.reason, created_by: who.userId, created_at: ctx.now().toISOString() };
    await insertCorrection(trx, row);
    await appendAudit(trx, { id: ctx.newId(), at: row.created_at, networkId, actorUserId: who.userId, action: 'settlement.correct', subjectType: 'settlementStatement', subjectId: `${providerId}/${month}`, after: row });
  });
}
