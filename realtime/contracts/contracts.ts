// The contract register: per provider and network, versioned terms (a change is a new version with a
// reason, never an edit), every create and change audited in the same transaction.
import type { Kysely } from 'kysely';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { basisPointsToPercent, percentToBasisPoints } from '../../domain/money.ts';
import type { SettlementTerms } from '../../domain/settlement.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { contractNumbers, contractsWithHistory, findContract, insertContract, insertContractVersion, lastApprovedMonth, renameContract, type ContractWithHistory } from '../../db/queries/contracts.ts';
import { coverageOf, mayTakeEffect, overlapOf, versionInForce, type Coverage } from '../../domain/contractVersions.ts';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { userNames } from '../../db/queries/users.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { Database } from '../../db/database.ts';
import type { ContractVersionRow } from '../../db/tables/contracts.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { Contract, ContractInput } from '../wire/contracts.ts';
import type { SettlementTermsInput } from '../wire/settlements.ts';
import { assertProviderInNetwork, isUniqueViolation } from '../results/reports.ts';

export interface Who {
  userId: string;
  actor: Actor;
}

export interface Commitment {
  id: string;
  text: string;
  measure: string;
}

export function termsOf(input: SettlementTermsInput): SettlementTerms {
  return {
    model: input.model,
    priceOre: input.priceOre,
    baseShareBp: percentToBasisPoints(input.baseSharePct),
    successShareBp: percentToBasisPoints(input.successSharePct),
    successWeeks: input.successWeeks,
    successWindowWeeks: input.successWindowWeeks,
    courseDays: input.courseDays,
  };
}

export function termsOfVersion(v: ContractVersionRow): SettlementTerms {
  return {
    model: v.model,
    priceOre: v.price_ore,
    baseShareBp: v.base_share_bp,
    successShareBp: v.success_share_bp,
    successWeeks: v.success_weeks,
    successWindowWeeks: v.success_window_weeks,
    courseDays: v.course_days,
    endedOn: v.ended_on,
  };
}

export function commitmentsOf(v: ContractVersionRow): Commitment[] {
  return JSON.parse(v.commitments_json) as Commitment[];
}

/** How a contract reads to people: its name and number, e.g. «K-2026-003 "Nordlys 2026–2027"». */
export function contractLabel(c: { name: string; number: string }): string {
  return `${c.number} «${c.name}»`;
}

function coverageOfVersion(v: ContractVersionRow): Coverage {
  return coverageOf({ periodStart: v.period_start, periodEnd: v.period_end, endedOn: v.ended_on });
}

/** Other contracts of the same provider whose coverage shares dates with `coverage`. */
function overlapsWith(coverage: Coverage, others: readonly ContractWithHistory[]) {
  return others.flatMap((o) => {
    const shared = overlapOf(coverage, coverageOfVersion(o.current));
    return shared ? [{ contractId: o.contract.id, name: o.contract.name, number: o.contract.number, from: shared.start, to: shared.end }] : [];
  });
}

export function datedVersions(versions: readonly ContractVersionRow[]) {
  return versions.map((v) => ({ ...v, effectiveFrom: v.effective_from }));
}

export function contractDto(
  c: ContractWithHistory,
  shown: ContractVersionRow,
  providerName: string,
  author: { id: string; name: string },
  month: string,
  siblings: readonly ContractWithHistory[],
): Contract {
  const v = shown;
  return {
    id: c.contract.id,
    networkId: c.contract.network_id,
    providerId: c.contract.provider_id,
    providerName,
    name: c.contract.name,
    number: c.contract.number,
    version: v.version,
    effectiveFrom: v.effective_from,
    versionInForce: versionInForce(datedVersions(c.versions), month).version,
    periodStart: v.period_start,
    periodEnd: v.period_end,
    endedOn: v.ended_on,
    terms: {
      model: v.model,
      priceOre: v.price_ore,
      baseSharePct: basisPointsToPercent(v.base_share_bp),
      successSharePct: basisPointsToPercent(v.success_share_bp),
      successWeeks: v.success_weeks,
      successWindowWeeks: v.success_window_weeks,
      courseDays: v.course_days,
    },
    activationRequirementPct: v.activation_requirement_pct,
    documentationDeadlineDay: v.documentation_deadline_day,
    commitments: commitmentsOf(v),
    reason: v.reason,
    changedBy: author,
    changedAt: v.created_at,
    overlaps: overlapsWith(coverageOfVersion(c.current), siblings.filter((o) => o.contract.id !== c.contract.id && o.contract.provider_id === c.contract.provider_id)),
  };
}

function cprIssues(input: ContractInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  input.commitments.forEach((item, i) => {
    if (containsCpr(item.text)) issues.push({ path: `commitments.${i}.text`, message: CPR_MESSAGE.en });
    if (containsCpr(item.measure)) issues.push({ path: `commitments.${i}.measure`, message: CPR_MESSAGE.en });
  });
  if (input.reason && containsCpr(input.reason)) issues.push({ path: 'reason', message: CPR_MESSAGE.en });
  return issues;
}

function assertValid(input: ContractInput): void {
  const issues = cprIssues(input);
  if (issues.length) throw new AppError('validation_failed', `The contract is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

function versionRow(
  ctx: Pick<AppContext, 'newId' | 'now'>,
  contractId: string,
  version: number,
  effectiveFrom: string,
  input: ContractInput,
  previous: Commitment[],
  userId: string,
): ContractVersionRow {
  const terms = termsOf(input.terms);
  // Commitments keep their id across versions (monthly records point at it); new ones get one.
  const known = new Set(previous.map((c) => c.id));
  const commitments = input.commitments.map((c) => ({ id: c.id && known.has(c.id) ? c.id : ctx.newId(), text: c.text, measure: c.measure }));
  return {
    contract_id: contractId,
    version,
    effective_from: effectiveFrom,
    period_start: input.periodStart,
    period_end: input.periodEnd,
    ended_on: input.endedOn ?? null,
    model: terms.model,
    price_ore: terms.priceOre,
    base_share_bp: terms.baseShareBp,
    success_share_bp: terms.successShareBp,
    success_weeks: terms.successWeeks,
    success_window_weeks: terms.successWindowWeeks,
    course_days: terms.courseDays,
    activation_requirement_pct: input.activationRequirementPct,
    documentation_deadline_day: input.documentationDeadlineDay,
    commitments_json: JSON.stringify(commitments),
    reason: input.reason ?? null,
    created_by: userId,
    created_at: ctx.now().toISOString(),
  };
}

/** Refuses terms that would take effect in a month already approved, or a period another contract covers. */
async function assertFits(db: Kysely<Database>, networkId: string, providerId: string, contractId: string | null, effectiveFrom: string, input: ContractInput): Promise<void> {
  const lastApproved = await lastApprovedMonth(db, networkId, providerId);
  if (!mayTakeEffect(effectiveFrom, lastApproved)) {
    throw new AppError(
      'conflict',
      `The change cannot take effect from ${effectiveFrom}: ${lastApproved} is the last approved month. Choose ${addMonths(lastApproved!, 1)} or later; money for approved months changes only through a correction line with a reason.`,
      [{ path: 'effectiveFrom', message: `Approved up to ${lastApproved}: choose ${addMonths(lastApproved!, 1)} or later`, value: lastApproved! }],
    );
  }
  const others = (await contractsWithHistory(db, networkId, providerId)).filter((o) => o.contract.id !== contractId);
  const clash = overlapsWith(coverageOf({ periodStart: input.periodStart, periodEnd: input.periodEnd, endedOn: input.endedOn }), others)[0];
  if (clash) {
    throw new AppError('conflict', `The period overlaps contract ${contractLabel(clash)} from ${clash.from} to ${clash.to}; one provider's contracts may not cover the same dates. End or shorten that contract first.`, [
      { path: 'periodStart', message: `Overlaps ${contractLabel(clash)} (${clash.from} – ${clash.to})`, value: `${contractLabel(clash)} (${clash.from} – ${clash.to})` },
    ]);
  }
}

async function nextContractNumber(db: Kysely<Database>, networkId: string, year: string): Promise<string> {
  const used = new Set(await contractNumbers(db, networkId));
  for (let n = used.size + 1; ; n++) {
    const number = `K-${year}-${String(n).padStart(3, '0')}`;
    if (!used.has(number)) return number;
  }
}

export async function createContract(ctx: AppContext, who: Who, networkId: string, providerId: string, input: ContractInput): Promise<Contract> {
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  if (!can(who.actor, { action: 'contract.write', networkId })) throw new AppError('forbidden', 'Only the host registers contracts.');
  assertValid(input);
  const effectiveFrom = input.effectiveFrom ?? input.periodStart.slice(0, 7);
  const providerName = await nameOfProvider(ctx.db, networkId, providerId);
  const years = [input.periodStart.slice(0, 4), input.periodEnd.slice(0, 4)];
  const stored = await ctx.db.transaction().execute(async (trx) => {
    await assertFits(trx, networkId, providerId, null, effectiveFrom, input);
    const at = ctx.now().toISOString();
    const contract = {
      id: ctx.newId(),
      network_id: networkId,
      provider_id: providerId,
      name: input.name ?? `${providerName} ${years[0] === years[1] ? years[0] : `${years[0]}–${years[1]}`}`,
      number: await nextContractNumber(trx, networkId, copenhagenMonth(ctx.now()).slice(0, 4)),
      created_by: who.userId,
      created_at: at,
    };
    await insertContract(trx, contract);
    const current = versionRow(ctx, contract.id, 1, effectiveFrom, input, [], who.userId);
    await insertContractVersion(trx, current);
    await audit(trx, ctx, who, networkId, 'contract.create', contract.id, undefined, { ...current, name: contract.name, number: contract.number });
    return contract.id;
  });
  return contractById(ctx, networkId, stored);
}

/**
 * A change is a new version: the whole new terms, a reason, the month it takes effect from, and the
 * version it was based on (If-Match), so two hosts editing at once cannot overwrite each other.
 */
export async function changeContract(ctx: AppContext, who: Who, networkId: string, contractId: string, basedOn: number | null, input: ContractInput): Promise<Contract> {
  if (!can(who.actor, { action: 'contract.write', networkId })) throw new AppError('forbidden', 'Only the host changes contracts.');
  if (basedOn === null) throw new AppError('precondition_required', 'Say which version the change is based on: send the header If-Match: "<version>".');
  const issues = [
    ...(input.reason ? [] : [{ path: 'reason', message: 'Say why the contract changes.' }]),
    ...(input.effectiveFrom ? [] : [{ path: 'effectiveFrom', message: 'Say from which month (YYYY-MM) the change takes effect.' }]),
  ];
  if (issues.length) throw new AppError('validation_failed', `A change to a contract needs ${issues.map((i) => i.path).join(' and ')}.`, issues);
  assertValid(input);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await findContract(trx, networkId, contractId);
      if (!existing) throw new AppError('not_found', 'No such contract in this network.');
      if (existing.current.version !== basedOn) throw stale(existing.current.version);
      await assertFits(trx, networkId, existing.contract.provider_id, contractId, input.effectiveFrom!, input);
      const current = versionRow(ctx, contractId, existing.current.version + 1, input.effectiveFrom!, input, commitmentsOf(existing.current), who.userId);
      await insertContractVersion(trx, current);
      if (input.name && input.name !== existing.contract.name) await renameContract(trx, contractId, input.name);
      await audit(trx, ctx, who, networkId, 'contract.change', contractId, { ...existing.current, name: existing.contract.name }, { ...current, name: input.name ?? existing.contract.name });
    });
  } catch (err) {
    // Two changes based on the same version: the second finds the version number taken.
    if (isUniqueViolation(err)) throw stale((await findContract(ctx.db, networkId, contractId))?.current.version ?? basedOn + 1);
    throw err;
  }
  return contractById(ctx, networkId, contractId);
}

function stale(currentVersion: number): AppError {
  return new AppError('precondition_failed', `The contract has changed since you opened it: it is at version ${currentVersion} now. Reload, check the change, and make yours again.`, undefined, currentVersion);
}

/** The contracts the caller may see: all for the host, a provider's own, none for viewers. */
export async function listContracts(ctx: AppContext, actor: Actor, networkId: string): Promise<Contract[]> {
  if (!membershipIn(actor, networkId)) throw new AppError('forbidden', 'You are not a member of this network.');
  const all = await contractsWithHistory(ctx.db, networkId);
  const visible = all.filter((c) => can(actor, { action: 'contract.read', networkId, providerId: c.contract.provider_id }));
  return toDtos(ctx, networkId, visible.map((c) => [c, c.current]), all);
}

/** Every version of one contract, oldest first (host and the contract's provider). */
export async function contractHistory(ctx: AppContext, actor: Actor, networkId: string, contractId: string): Promise<Contract[]> {
  const all = await contractsWithHistory(ctx.db, networkId);
  const found = all.find((c) => c.contract.id === contractId);
  if (!found || !can(actor, { action: 'contract.read', networkId, providerId: found.contract.provider_id })) {
    // A provider learns nothing about another's contract, not even that it exists.
    throw new AppError('not_found', 'No such contract in this network.');
  }
  return toDtos(ctx, networkId, found.versions.map((v) => [found, v]), all);
}

async function contractById(ctx: AppContext, networkId: string, contractId: string): Promise<Contract> {
  const all = await contractsWithHistory(ctx.db, networkId);
  const found = all.find((c) => c.contract.id === contractId)!;
  return (await toDtos(ctx, networkId, [[found, found.current]], all))[0];
}

async function nameOfProvider(db: Kysely<Database>, networkId: string, providerId: string): Promise<string> {
  return (await providersOfNetwork(db, networkId)).find((p) => p.id === providerId)?.name ?? providerId;
}

/** Contracts (or versions of one) as the API shows them: provider names and authors looked up once for all. */
async function toDtos(ctx: AppContext, networkId: string, shown: ReadonlyArray<readonly [ContractWithHistory, ContractVersionRow]>, all: readonly ContractWithHistory[]): Promise<Contract[]> {
  const [providers, names] = await Promise.all([providersOfNetwork(ctx.db, networkId), userNames(ctx.db, shown.map(([, v]) => v.created_by))]);
  const month = copenhagenMonth(ctx.now());
  return shown.map(([c, v]) =>
    contractDto(c, v, providers.find((p) => p.id === c.contract.provider_id)?.name ?? c.contract.provider_id, { id: v.created_by, name: names.get(v.created_by) ?? '' }, month, all),
  );
}

async function audit(trx: Kysely<Database>, ctx: AppContext, who: Who, networkId: string, action: string, subjectId: string, before: unknown, after: unknown) {
  await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: who.userId, action, subjectType: 'contract', subjectId, before, after });
}
