// The contract register: per provider and network, versioned terms (a change is a new version with a
// reason, never an edit), every create and change audited in the same transaction.
import type { Kysely } from 'kysely';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { basisPointsToPercent, percentToBasisPoints } from '../../domain/money.ts';
import type { SettlementTerms } from '../../domain/settlement.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { contractVersions, currentContracts, findContract, insertContract, insertContractVersion, type ContractWithVersion } from '../../db/queries/contracts.ts';
import { userNames } from '../../db/queries/users.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { Database } from '../../db/database.ts';
import type { ContractVersionRow } from '../../db/tables/contracts.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { Contract, ContractInput } from '../wire/contracts.ts';
import type { SettlementTermsInput } from '../wire/settlements.ts';
import { assertProviderInNetwork } from '../results/reports.ts';

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

export function contractDto(c: ContractWithVersion, providerName: string, author: { id: string; name: string }): Contract {
  const v = c.current;
  return {
    id: c.contract.id,
    networkId: c.contract.network_id,
    providerId: c.contract.provider_id,
    providerName,
    version: v.version,
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

function versionRow(ctx: Pick<AppContext, 'newId' | 'now'>, contractId: string, version: number, input: ContractInput, previous: Commitment[], userId: string): ContractVersionRow {
  const terms = termsOf(input.terms);
  // Commitments keep their id across versions (monthly records point at it); new ones get one.
  const known = new Set(previous.map((c) => c.id));
  const commitments = input.commitments.map((c) => ({ id: c.id && known.has(c.id) ? c.id : ctx.newId(), text: c.text, measure: c.measure }));
  return {
    contract_id: contractId,
    version,
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

export async function createContract(ctx: AppContext, who: Who, networkId: string, providerId: string, input: ContractInput): Promise<Contract> {
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  if (!can(who.actor, { action: 'contract.write', networkId })) throw new AppError('forbidden', 'Only the host registers contracts.');
  assertValid(input);
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const contract = { id: ctx.newId(), network_id: networkId, provider_id: providerId, created_by: who.userId, created_at: ctx.now().toISOString() };
    await insertContract(trx, contract);
    const current = versionRow(ctx, contract.id, 1, input, [], who.userId);
    await insertContractVersion(trx, current);
    await audit(trx, ctx, who, networkId, 'contract.create', contract.id, undefined, current);
    return { contract, current };
  });
  return toDto(ctx.db, stored);
}

/** A change is a new version; the reason is required and kept. */
export async function changeContract(ctx: AppContext, who: Who, networkId: string, contractId: string, input: ContractInput): Promise<Contract> {
  if (!can(who.actor, { action: 'contract.write', networkId })) throw new AppError('forbidden', 'Only the host changes contracts.');
  if (!input.reason) throw new AppError('validation_failed', 'A change to a contract needs a reason.', [{ path: 'reason', message: 'Say why the contract changes.' }]);
  assertValid(input);
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const existing = await findContract(trx, networkId, contractId);
    if (!existing) throw new AppError('not_found', 'No such contract in this network.');
    const current = versionRow(ctx, contractId, existing.current.version + 1, input, commitmentsOf(existing.current), who.userId);
    await insertContractVersion(trx, current);
    await audit(trx, ctx, who, networkId, 'contract.change', contractId, existing.current, current);
    return { contract: existing.contract, current };
  });
  return toDto(ctx.db, stored);
}

/** The contracts the caller may see: all for the host, a provider's own, none for viewers. */
export async function listContracts(ctx: AppContext, actor: Actor, networkId: string): Promise<Contract[]> {
  if (!membershipIn(actor, networkId)) throw new AppError('forbidden', 'You are not a member of this network.');
  const all = await currentContracts(ctx.db, networkId);
  const visible = all.filter((c) => can(actor, { action: 'contract.read', networkId, providerId: c.contract.provider_id }));
  return Promise.all(visible.map((c) => toDto(ctx.db, c)));
}

/** Every version of one contract, oldest first (host and the contract's provider). */
export async function contractHistory(ctx: AppContext, actor: Actor, networkId: string, contractId: string): Promise<Contract[]> {
  const found = await findContract(ctx.db, networkId, contractId);
  if (!found || !can(actor, { action: 'contract.read', networkId, providerId: found.contract.provider_id })) {
    // A provider learns nothing about another's contract, not even that it exists.
    throw new AppError('not_found', 'No such contract in this network.');
  }
  const versions = await contractVersions(ctx.db, contractId);
  return Promise.all(versions.map((current) => toDto(ctx.db, { contract: found.contract, current })));
}

async function toDto(db: Kysely<Database>, c: ContractWithVersion): Promise<Contract> {
  const providers = await providersOfNetwork(db, c.contract.network_id);
  const names = await userNames(db, [c.current.created_by]);
  return contractDto(c, providers.find((p) => p.id === c.contract.provider_id)?.name ?? c.contract.provider_id, {
    id: c.current.created_by,
    name: names.get(c.current.created_by) ?? '',
  });
}

async function audit(trx: Kysely<Database>, ctx: AppContext, who: Who, networkId: string, action: string, subjectId: string, before: unknown, after: unknown) {
  await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: who.userId, action, subjectType: 'contract', subjectId, before, after });
}
