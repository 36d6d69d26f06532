// A jobcenter creates its own network and its host changes the settings: each change is checked,
// stored and audited (before → after) in one transaction.
import { can, type Actor } from '../../domain/access.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { insertNetworkWithHost, networkById, updateNetwork } from '../../db/queries/networks.ts';
import type { NetworkRow, NetworkUpdate } from '../../db/tables/networks.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { NetworkSettings } from '../wire/networks.ts';

export interface Who {
  userId: string;
  actor: Actor;
}

/** The settings as the API names them, from a network row. */
export const settingsOf = (n: NetworkRow): NetworkSettings => ({
  name: n.name,
  targetGroup: n.target_group,
  activationRequirementPct: n.activation_requirement_pct,
  meetingCadenceMonths: n.meeting_cadence_months,
  minCitizensToRate: n.min_citizens_to_rate,
});

const columnsOf = (s: Partial<NetworkSettings>): NetworkUpdate => ({
  ...(s.name !== undefined && { name: s.name }),
  ...(s.targetGroup !== undefined && { target_group: s.targetGroup }),
  ...(s.activationRequirementPct !== undefined && { activation_requirement_pct: s.activationRequirementPct }),
  ...(s.meetingCadenceMonths !== undefined && { meeting_cadence_months: s.meetingCadenceMonths }),
  ...(s.minCitizensToRate !== undefined && { min_citizens_to_rate: s.minCitizensToRate }),
});

function refuseCpr(s: Partial<NetworkSettings>): void {
  const issues: FieldIssue[] = (['name', 'targetGroup'] as const)
    .filter((field) => s[field] !== undefined && containsCpr(s[field]))
    .map((path) => ({ path, message: CPR_MESSAGE.en }));
  if (issues.length) throw new AppError('validation_failed', CPR_MESSAGE.en, issues);
}

/**
 * A new network, hosted by the caller's jobcenter: the organisation of the caller's oldest active host
 * membership (jobcenter staff are hosts of at least one network). The caller becomes its first host.
 */
export async function createNetwork(ctx: AppContext, who: Who, settings: NetworkSettings): Promise<{ id: string }> {
  const hosting = who.actor.memberships.find((m) => m.role === 'host' && m.organisationId !== null);
  if (!hosting) throw new AppError('forbidden', 'Only jobcenter staff (the host of a network) may create a network.');
  refuseCpr(settings);
  const at = ctx.now().toISOString();
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    await insertNetworkWithHost(trx, {
      network: {
        id,
        name: settings.name,
        host_organisation_id: hosting.organisationId!,
        target_group: settings.targetGroup,
        meeting_cadence_months: settings.meetingCadenceMonths,
        activation_requirement_pct: settings.activationRequirementPct,
        min_citizens_to_rate: settings.minCitizensToRate,
        created_at: at,
      },
      hostUserId: who.userId,
      membershipId: ctx.newId(),
    });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: id, actorUserId: who.userId, action: 'network.create', subjectType: 'network', subjectId: id, after: { ...settings, hostOrganisationId: hosting.organisationId } });
  });
  return { id };
}

/** The host changes some settings; the audit entry holds only the values that changed. */
export async function changeNetwork(ctx: AppContext, who: Who, networkId: string, change: Partial<NetworkSettings>): Promise<NetworkSettings> {
  if (!can(who.actor, { action: 'network.manage', networkId })) throw new AppError('forbidden', 'Only the host of this network changes its settings.');
  refuseCpr(change);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await networkById(trx, networkId);
    if (!row) throw new AppError('not_found', `There is no network with id ${networkId}.`);
    const current = settingsOf(row);
    const changed = (Object.keys(change) as Array<keyof NetworkSettings>).filter((k) => change[k] !== undefined && change[k] !== current[k]);
    if (changed.length === 0) return current;
    const before = Object.fromEntries(changed.map((k) => [k, current[k]]));
    const after = Object.fromEntries(changed.map((k) => [k, change[k]]));
    await updateNetwork(trx, networkId, columnsOf(after));
    await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: who.userId, action: 'network.update', subjectType: 'network', subjectId: networkId, before, after });
    return { ...current, ...after };
  });
}
