// Memberships of one network: who sees which, changing a role or provider, deactivating and removing,
// and what a change ends (the person's live connections here; their sessions when no network is left).
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import {
  activeHostIds,
  countActiveMemberships,
  deleteMembership,
  findMembership,
  membersWithAccounts,
  providerPeriod,
  updateMembership,
} from '../../db/queries/members.ts';
import { networkById } from '../../db/queries/networks.ts';
import { revokeAllApiTokens, revokeOtherSessions } from '../../db/queries/sessions.ts';
import type { NetworkRow, MembershipRow } from '../../db/tables/networks.table.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import type { Member, UpdateMemberRequest } from '../wire/members.ts';

export interface Who {
  userId: string;
  actor: Actor;
}

type MemberRow = Awaited<ReturnType<typeof membersWithAccounts>>[number];

const memberDto = (r: MemberRow): Member => ({
  userId: r.user_id,
  name: r.name,
  email: r.email,
  role: r.role,
  organisationId: r.organisation_id,
  providerAdmin: r.role === 'provider' && Number(r.provider_admin) === 1,
  status: r.disabled_at ? 'deactivated' : 'active',
  lastSignInAt: r.last_sign_in_at,
  memberSince: r.created_at,
});

export async function networkOrNotFound(ctx: AppContext, networkId: string): Promise<NetworkRow> {
  const network = await networkById(ctx.db, networkId);
  if (!network) throw new AppError('not_found', `There is no network with id ${networkId}.`);
  return network;
}

/**
 * Whose memberships the caller may see and manage: every one (host), their own provider's (provider
 * administrator), or none (403).
 */
export function managedScope(actor: Actor, networkId: string): { all: true } | { all: false; providerId: string } {
  const m = membershipIn(actor, networkId);
  if (m?.role === 'host') return { all: true };
  if (m?.role === 'provider' && m.providerAdmin && m.organisationId) return { all: false, providerId: m.organisationId };
  throw new AppError('forbidden', "Only the network's hosts and a provider's administrators manage its members.");
}

export async function listMembers(ctx: AppContext, who: Who, networkId: string): Promise<Member[]> {
  await networkOrNotFound(ctx, networkId);
  const scope = managedScope(who.actor, networkId);
  const rows = await membersWithAccounts(ctx.db, networkId);
  return rows.filter((r) => scope.all || (r.role === 'provider' && r.organisation_id === scope.providerId)).map(memberDto);
}

/** The membership as it is stored, in the terms the audit log and the access rules use. */
const stateOf = (m: Pick<MembershipRow, 'role' | 'organisation_id' | 'provider_admin' | 'disabled_at'>) => ({
  role: m.role,
  organisationId: m.organisation_id,
  providerAdmin: m.role === 'provider' && Number(m.provider_admin) === 1,
  disabled: m.disabled_at !== null,
});
type MembershipState = ReturnType<typeof stateOf>;

/** Only the fields that differ, before and after, for the audit log. */
function difference(before: MembershipState, after: MembershipState) {
  const keys = (Object.keys(before) as Array<keyof MembershipState>).filter((k) => before[k] !== after[k]);
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])), changed: keys };
}

async function membershipOrNotFound(ctx: AppContext, networkId: string, userId: string): Promise<MembershipRow> {
  const m = await findMembership(ctx.db, networkId, userId);
  if (!m) throw new AppError('not_found', 'That person is not a member of this network.');
  return m;
}

function assertMayRevoke(who: Who, networkId: string, m: MembershipState): void {
  if (!can(who.actor, { action: 'membership.revoke', networkId, role: m.role, providerId: m.organisationId, providerAdmin: m.providerAdmin })) {
    throw new AppError('forbidden', "You may change only the plain members of your own provider; the network's hosts change the rest.");
  }
}

/** A provider a membership or invitation points at must be in the network and not have left it. */
export async function assertProviderTakesMembers(ctx: AppContext, networkId: string, providerId: string): Promise<string> {
  const period = await providerPeriod(ctx.db, networkId, providerId);
  if (!period) throw new AppError('not_found', 'That provider is not part of this network.');
  if (period.last_month !== null && period.last_month < copenhagenMonth(ctx.now())) {
    throw new AppError('conflict', `${period.name} has left this network (its last month was ${period.last_month}) and takes no new members here.`);
  }
  return period.name;
}

/** The stored membership after the change, checked against the request's combinations. */
function changed(network: NetworkRow, before: MembershipState, change: UpdateMemberRequest): MembershipState {
  const role = change.role ?? before.role;
  let organisationId: string | null;
  if (role === 'host') organisationId = network.host_organisation_id;
  else if (role === 'viewer') organisationId = null;
  else organisationId = change.providerId ?? (before.role === 'provider' ? before.organisationId : null);
  if (role === 'provider' && !organisationId) {
    throw new AppError('validation_failed', 'Choose the provider the person works for.', [{ path: 'providerId', message: 'Choose the provider the person works for' }]);
  }
  if (change.providerId && role !== 'provider') {
    throw new AppError('validation_failed', 'Only provider members belong to a provider.', [{ path: 'providerId', message: 'Only provider members belong to a provider' }]);
  }
  if (change.providerAdmin && role !== 'provider') {
    throw new AppError('validation_failed', 'Only a provider member can be its administrator.', [{ path: 'providerAdmin', message: 'Only a provider member can be its administrator' }]);
  }
  // A move to another provider does not carry the administrator flag along unless asked.
  const sameProvider = before.role === 'provider' && organisationId === before.organisationId;
  const providerAdmin = role === 'provider' && (change.providerAdmin ?? (sameProvider && before.providerAdmin));
  return { role, organisationId, providerAdmin, disabled: change.disabled ?? before.disabled };
}

/** Changes a membership; answers the member as it now is. */
export async function changeMember(ctx: AppContext, live: LiveHooks, who: Who, networkId: string, userId: string, change: UpdateMemberRequest): Promise<Member> {
  const network = await networkOrNotFound(ctx, networkId);
  managedScope(who.actor, networkId);
  const row = await membershipOrNotFound(ctx, networkId, userId);
  const before = stateOf(row);
  assertMayRevoke(who, networkId, before);
  const after = changed(network, before, change);
  const diff = difference(before, after);
  const grants = diff.changed.some((k) => k !== 'disabled');
  if (grants && !can(who.actor, { action: 'membership.grant', networkId, role: after.role, providerId: after.organisationId, providerAdmin: after.providerAdmin })) {
    throw new AppError('forbidden', "You may not give that role: a provider's administrator keeps people plain members of their own provider.");
  }
  if (after.role === 'provider' && after.organisationId !== before.organisationId) await assertProviderTakesMembers(ctx, networkId, after.organisationId!);

  if (diff.changed.length > 0) {
    const at = ctx.now().toISOString();
    await ctx.db.transaction().execute(async (trx) => {
      const stillHost = after.role === 'host' && !after.disabled;
      if (before.role === 'host' && !before.disabled && !stillHost) {
        const hosts = await activeHostIds(trx, networkId, ctx.dialect === 'postgres');
        if (hosts.length <= 1) throw new AppError('conflict', 'This is the last active host of the network: make someone else host first.');
      }
      await updateMembership(trx, row.id, {
        role: after.role,
        organisation_id: after.organisationId,
        provider_admin: after.providerAdmin ? 1 : 0,
        disabled_at: after.disabled ? (row.disabled_at ?? at) : null,
      });
      const action = diff.changed.includes('disabled') ? (after.disabled ? 'member.deactivate' : 'member.reactivate') : 'member.update';
      await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action, subjectType: 'member', subjectId: userId, before: diff.before, after: diff.after });
    });
    await afterAccessChanged(ctx, live, userId);
  }
  const rows = await membersWithAccounts(ctx.db, networkId);
  return memberDto(rows.find((r) => r.user_id === userId)!);
}

/** Removes a membership (the account stays; the person's history keeps their name). */
export async function removeMember(ctx: AppContext, live: LiveHooks, who: Who, networkId: string, userId: string): Promise<void> {
  await networkOrNotFound(ctx, networkId);
  managedScope(who.actor, networkId);
  const row = await membershipOrNotFound(ctx, networkId, userId);
  const before = stateOf(row);
  assertMayRevoke(who, networkId, before);
  await ctx.db.transaction().execute(async (trx) => {
    if (before.role === 'host' && !before.disabled) {
      const hosts = await activeHostIds(trx, networkId, ctx.dialect === 'postgres');
      if (hosts.length <= 1) throw new AppError('conflict', 'This is the last active host of the network: make someone else host first.');
    }
    await deleteMembership(trx, row.id);
    await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: who.userId, action: 'member.remove', subjectType: 'member', subjectId: userId, before });
  });
  await afterAccessChanged(ctx, live, userId);
}

/**
 * Ends at once what the person may no longer do: their connections to this network are closed or
 * downgraded on every instance, and with no active membership left anywhere, their sessions and API
 * tokens end (the account itself is closed only by an operator).
 */
export async function afterAccessChanged(ctx: AppContext, live: LiveHooks, userId: string): Promise<void> {
  if ((await countActiveMemberships(ctx.db, userId)) === 0) {
    const at = ctx.now().toISOString();
    const ended = [...(await revokeOtherSessions(ctx.db, userId, null, at)), ...(await revokeAllApiTokens(ctx.db, userId, at))];
    for (const id of ended) live.credentialRevoked(id);
  }
  await live.membershipChanged(userId);
}
