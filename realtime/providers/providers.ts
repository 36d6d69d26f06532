// The providers of a network: the host adds one (a new organisation, or by CVR one that already serves
// another network), sets its last month, lets it rejoin, and keeps its joining checklist. Each change
// is checked, stored and audited (before → after) in one transaction; a refusal stores nothing.
import type { Kysely } from 'kysely';
import { can, type Actor } from '../../domain/access.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { checklistMissing, contractRunsIn, firstVisitCounting, startDateOf } from '../../domain/providerChecklist.ts';
import { providerStatus } from '../../domain/providerPeriods.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { currentContracts, type ContractWithVersion } from '../../db/queries/contracts.ts';
import {
  activeProviderMemberCounts,
  appendNetworkProvider,
  earlierPeriods,
  findChecklist,
  firstVisitDates,
  insertEarlierPeriod,
  insertOrganisation,
  networkProviders,
  organisationByCvr,
  organisationsSharedBeyond,
  saveChecklist,
  updateNetworkProvider,
  updateOrganisation,
  type NetworkProviderWithOrganisation,
} from '../../db/queries/providers.ts';
import type { OrganisationUpdate, ProviderChecklistRow } from '../../db/tables/networks.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { isUniqueViolation } from '../results/reports.ts';
import type { AddProviderRequest, Checklist, ChecklistRequest, ProviderReference, ProviderSummary, UpdateProviderRequest } from '../wire/providers.ts';

export interface Who {
  userId: string;
  actor: Actor;
}

function refuse(what: string, issues: FieldIssue[]): void {
  if (issues.length) throw new AppError('validation_failed', `The ${what} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

const cprIssues = (texts: Array<[path: string, text: string | undefined]>): FieldIssue[] =>
  texts.filter(([, text]) => text !== undefined && containsCpr(text)).map(([path]) => ({ path, message: CPR_MESSAGE.en }));

function assertHost(actor: Actor, networkId: string): void {
  if (!can(actor, { action: 'network.manage', networkId })) throw new AppError('forbidden', "Only the network's host (the jobcenter) manages its providers.");
}

async function providerOrNotFound(db: Kysely<Database>, networkId: string, providerId: string): Promise<NetworkProviderWithOrganisation> {
  const [row] = await networkProviders(db, networkId, providerId);
  if (!row) throw new AppError('not_found', 'That provider is not part of this network.');
  return row;
}

// ---------------------------------------------------------------- reading

/** Everything the list and the checklist derive from other tables, read once per request. */
async function derivedFacts(db: Kysely<Database>, networkId: string) {
  const [contracts, visits, checklists] = await Promise.all([currentContracts(db, networkId), firstVisitDates(db, networkId), findChecklist(db, networkId)]);
  return { contracts, visits, checklists };
}

type Facts = Awaited<ReturnType<typeof derivedFacts>>;

const spanOf = (c: ContractWithVersion) => ({ periodStart: c.current.period_start, periodEnd: c.current.period_end, endedOn: c.current.ended_on });

function referencesOf(row: ProviderChecklistRow | undefined): ProviderReference[] {
  if (!row) return [];
  const parsed: unknown = JSON.parse(row.references_json);
  return Array.isArray(parsed) ? (parsed as ProviderReference[]) : [];
}

function checklistOf(p: NetworkProviderWithOrganisation, facts: Facts, thisMonth: string): Checklist {
  const providerId = p.organisation.id;
  const own = facts.contracts.filter((c) => c.contract.provider_id === providerId);
  // The contract the checklist points to: the running one, else the first.
  const contract = own.find((c) => contractRunsIn(spanOf(c), thisMonth)) ?? own[0] ?? null;
  const row = facts.checklists.find((c) => c.organisation_id === providerId);
  const startDate = startDateOf(p.fromMonth, contract?.current.period_start ?? null);
  const firstVisitOn = firstVisitCounting(
    facts.visits.filter((v) => v.providerId === providerId).map((v) => v.visitDate),
    startDate,
  );
  const references = referencesOf(row);
  const interviewNotes = row?.interview_notes ?? '';
  const interviewOn = row?.interview_on ?? null;
  return {
    interviewOn,
    interviewNotes,
    references,
    contractId: contract?.contract.id ?? null,
    startDate,
    firstVisitOn,
    missing: checklistMissing({ interviewOn, interviewNotes, referenceCount: references.length, hasContract: contract !== null, firstVisitOn }),
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * The network's providers with their status and periods, for every member (network.read). Whether a
 * contract runs is shown to those who may read that provider's contract; the checklist to the host.
 */
export async function listProviders(ctx: AppContext, actor: Actor, networkId: string): Promise<ProviderSummary[]> {
  if (!can(actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
  const rows = await networkProviders(ctx.db, networkId);
  const ids = rows.map((r) => r.organisation.id);
  const [earlier, shared, members, facts] = await Promise.all([
    earlierPeriods(ctx.db, networkId),
    organisationsSharedBeyond(ctx.db, networkId, ids),
    activeProviderMemberCounts(ctx.db, networkId),
    derivedFacts(ctx.db, networkId),
  ]);
  const thisMonth = copenhagenMonth(ctx.now());
  const isHost = can(actor, { action: 'network.manage', networkId });
  return rows.map((p) => {
    const id = p.organisation.id;
    const mayReadContract = can(actor, { action: 'contract.read', networkId, providerId: id });
    return {
      id,
      name: p.organisation.name,
      shortName: p.organisation.short_name,
      cvr: p.organisation.cvr,
      status: providerStatus(p, thisMonth),
      periods: [
        { fromMonth: p.fromMonth, lastMonth: p.lastMonth },
        ...earlier.filter((e) => e.organisation_id === id).map((e) => ({ fromMonth: e.from_month, lastMonth: e.last_month })),
      ],
      shared: shared.has(id),
      hasRunningContract: mayReadContract ? facts.contracts.some((c) => c.contract.provider_id === id && contractRunsIn(spanOf(c), thisMonth)) : null,
      activeMembers: members.get(id) ?? 0,
      checklistMissing: isHost ? checklistOf(p, facts, thisMonth).missing : null,
    };
  });
}

export async function readChecklist(ctx: AppContext, actor: Actor, networkId: string, providerId: string): Promise<Checklist> {
  assertHost(actor, networkId);
  const p = await providerOrNotFound(ctx.db, networkId, providerId);
  return checklistOf(p, await derivedFacts(ctx.db, networkId), copenhagenMonth(ctx.now()));
}

// ---------------------------------------------------------------- changing

/**
 * Adds a provider. With a CVR number that an organisation already has, that organisation joins (one
 * company is one organisation across networks, with one set of staff); its own name is kept.
 */
export async function addProvider(ctx: AppContext, who: Who, networkId: string, input: AddProviderRequest): Promise<{ id: string }> {
  assertHost(who.actor, networkId);
  refuse('provider', cprIssues([['name', input.name], ['shortName', input.shortName]]));
  const at = ctx.now().toISOString();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const existing = input.cvr ? await organisationByCvr(trx, input.cvr) : undefined;
      if (existing && existing.kind !== 'provider') throw new AppError('conflict', `CVR ${input.cvr} belongs to ${existing.name}, which is a jobcenter, not a provider.`);
      if (existing && (await networkProviders(trx, networkId, existing.id)).length) {
        throw new AppError('conflict', `${existing.name} (CVR ${input.cvr}) is already a provider in this network.`);
      }
      const id = existing?.id ?? ctx.newId();
      if (!existing) await insertOrganisation(trx, { id, kind: 'provider', name: input.name, short_name: input.shortName, cvr: input.cvr ?? null, created_at: at });
      await appendNetworkProvider(trx, networkId, id, input.fromMonth ?? null);
      const after = existing
        ? { existingOrganisation: true, name: existing.name, shortName: existing.short_name, cvr: existing.cvr, fromMonth: input.fromMonth ?? null }
        : { existingOrganisation: false, name: input.name, shortName: input.shortName, cvr: input.cvr ?? null, fromMonth: input.fromMonth ?? null };
      await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'provider.add', subjectType: 'provider', subjectId: id, after });
      return { id };
    });
  } catch (err) {
    // Two hosts adding the same CVR at the same moment: the second finds the first's organisation next time.
    if (isUniqueViolation(err)) throw new AppError('conflict', 'Someone added this provider at the same moment. Reload the list and try again.');
    throw err;
  }
}

/** The organisation's own fields in a change, as the API names them. */
function organisationChange(change: UpdateProviderRequest) {
  return {
    ...(change.name !== undefined && { name: change.name }),
    ...(change.shortName !== undefined && { shortName: change.shortName }),
    ...(change.cvr !== undefined && { cvr: change.cvr }),
  };
}

/**
 * Changes a provider: its organisation's name, short name or CVR (its provider administrator, or the
 * host while no other network shares it), or its membership of this network (the host): the last month
 * of the current period, or a new period for a provider that has left.
 *
 * Rules for the period: a last month is the current month or later and not before the period's first;
 * once it is past the provider has left and the period is closed (it cannot be changed or cleared;
 * rejoining starts a new one after it). Leaving changes no contract.
 */
export async function changeProvider(ctx: AppContext, who: Who, networkId: string, providerId: string, change: UpdateProviderRequest): Promise<ProviderSummary> {
  if (!can(who.actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
  const orgChange = organisationChange(change);
  const changesOrganisation = Object.keys(orgChange).length > 0;
  const changesPeriod = change.lastMonth !== undefined || change.rejoinFromMonth !== undefined;
  if (changesPeriod) assertHost(who.actor, networkId);
  refuse('change', cprIssues([['name', change.name], ['shortName', change.shortName]]));
  const at = ctx.now().toISOString();
  const thisMonth = copenhagenMonth(ctx.now());
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const p = await providerOrNotFound(trx, networkId, providerId);
      const audit = (action: string, before: unknown, after: unknown) =>
        appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action, subjectType: 'provider', subjectId: providerId, before, after });

      if (changesOrganisation) {
        const shared = (await organisationsSharedBeyond(trx, networkId, [providerId])).has(providerId);
        if (!can(who.actor, { action: 'organisation.edit', networkId, providerId, shared })) {
          if (can(who.actor, { action: 'network.manage', networkId })) {
            throw new AppError('conflict', `${p.organisation.name} also serves another network, so its name and CVR are edited by its provider administrator, not by a host.`);
          }
          throw new AppError('forbidden', "Only the provider's administrator or the network's host changes the provider's name and CVR.");
        }
        if (orgChange.cvr) {
          const holder = await organisationByCvr(trx, orgChange.cvr);
          if (holder && holder.id !== providerId) throw new AppError('conflict', `CVR ${orgChange.cvr} already belongs to ${holder.name}.`);
        }
        const current = { name: p.organisation.name, shortName: p.organisation.short_name, cvr: p.organisation.cvr };
        const changed = (Object.keys(orgChange) as Array<keyof typeof orgChange>).filter((k) => orgChange[k] !== current[k]);
        if (changed.length) {
          const after = Object.fromEntries(changed.map((k) => [k, orgChange[k]])) as Partial<typeof current>;
          const columns: OrganisationUpdate = {
            ...(after.name !== undefined && { name: after.name }),
            ...(after.shortName !== undefined && { short_name: after.shortName }),
            ...(after.cvr !== undefined && { cvr: after.cvr }),
          };
          await updateOrganisation(trx, providerId, columns);
          await audit('provider.update', Object.fromEntries(changed.map((k) => [k, current[k]])), after);
        }
      }

      let period = { fromMonth: p.fromMonth, lastMonth: p.lastMonth };
      const status = providerStatus(period, thisMonth);
      if (change.rejoinFromMonth !== undefined) {
        if (status !== 'left') throw new AppError('conflict', `${p.organisation.name} has not left this network, so it cannot rejoin; set or clear its last month instead.`);
        if (change.rejoinFromMonth <= p.lastMonth!) {
          refuse('change', [{ path: 'rejoinFromMonth', message: `The new period starts after the last month of the one that ended (${p.lastMonth})` }]);
        }
        await insertEarlierPeriod(trx, { id: ctx.newId(), network_id: networkId, organisation_id: providerId, from_month: p.fromMonth, last_month: p.lastMonth! });
        const next = { fromMonth: change.rejoinFromMonth, lastMonth: null };
        await updateNetworkProvider(trx, networkId, providerId, { from_month: next.fromMonth, last_month: null });
        await audit('provider.rejoin', period, next);
        period = next;
      }
      if (change.lastMonth !== undefined && change.lastMonth !== period.lastMonth) {
        if (providerStatus(period, thisMonth) === 'left') {
          throw new AppError('conflict', `${p.organisation.name} left after ${period.lastMonth}; that period is closed. Let it rejoin to start a new one.`);
        }
        const last = change.lastMonth;
        if (last !== null && last < thisMonth) refuse('change', [{ path: 'lastMonth', message: `The last month is this month (${thisMonth}) or later` }]);
        if (last !== null && period.fromMonth !== null && last < period.fromMonth) {
          refuse('change', [{ path: 'lastMonth', message: `The last month is not before the first (${period.fromMonth})` }]);
        }
        await updateNetworkProvider(trx, networkId, providerId, { last_month: last });
        await audit('provider.leave', { lastMonth: period.lastMonth }, { lastMonth: last });
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'That CVR number was given to another organisation at the same moment.');
    throw err;
  }
  const summary = (await listProviders(ctx, who.actor, networkId)).find((s) => s.id === providerId);
  return summary!;
}

/** The host writes the checklist's own part: the interview and the references. */
export async function writeChecklist(ctx: AppContext, who: Who, networkId: string, providerId: string, input: ChecklistRequest): Promise<Checklist> {
  assertHost(who.actor, networkId);
  refuse(
    'checklist',
    cprIssues([
      ['interviewNotes', input.interviewNotes],
      ...input.references.flatMap((r, i): Array<[string, string]> => [
        [`references.${i}.who`, r.who],
        [`references.${i}.outcome`, r.outcome],
      ]),
    ]),
  );
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await providerOrNotFound(trx, networkId, providerId);
    const [previous] = await findChecklist(trx, networkId, providerId);
    const before = previous ? { interviewOn: previous.interview_on, interviewNotes: previous.interview_notes, references: referencesOf(previous) } : null;
    const after = { interviewOn: input.interviewOn, interviewNotes: input.interviewNotes, references: input.references };
    await saveChecklist(trx, {
      network_id: networkId,
      organisation_id: providerId,
      interview_on: input.interviewOn,
      interview_notes: input.interviewNotes,
      references_json: JSON.stringify(input.references),
      updated_at: at,
      updated_by: who.userId,
    });
    await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'provider.checklist', subjectType: 'provider', subjectId: providerId, before, after });
  });
  return readChecklist(ctx, who.actor, networkId, providerId);
}
