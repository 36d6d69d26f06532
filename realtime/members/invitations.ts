// Invitations by e-mail: creating, resending and revoking them (hosts, provider administrators),
// and what the invited person sees and does with the link. Only a hash of each link's token is kept.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { can, type Role } from '../../domain/access.ts';
import { containsCpr, CPR_MESSAGE } from '../../domain/cpr.ts';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '../../domain/passwordPolicy.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { claimInvitation, findInvitation, findInvitationByTokenHash, insertInvitation, invitationsOfNetwork, pendingInvitationsFor, updateInvitation } from '../../db/queries/invitations.ts';
import { addMembership, findMembership, updateMembership } from '../../db/queries/members.ts';
import { networkById } from '../../db/queries/networks.ts';
import { findUserByEmail, insertUser, userNameOf } from '../../db/queries/users.ts';
import type { NetworkRow } from '../../db/tables/networks.table.ts';
import type { InvitationMailStatus, InvitationRow } from '../../db/tables/users.table.ts';
import { hashPassword } from '../auth/password.ts';
import { sha256 } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { AcceptInvitationRequest, CreatedInvitation, CreateInvitationRequest, Invitation, InvitationPreview } from '../wire/members.ts';
import { invitationMail } from './invitationMail.ts';
import { assertProviderTakesMembers, managedScope, networkOrNotFound, type Who } from './memberships.ts';

/** An invitation link works this long. */
export const INVITATION_TTL_MS = 7 * 86400_000;

const newToken = () => randomBytes(32).toString('base64url');

export function invitationStatus(inv: Pick<InvitationRow, 'accepted_at' | 'revoked_at' | 'expires_at'>, now: Date): Invitation['status'] {
  if (inv.accepted_at) return 'accepted';
  if (inv.revoked_at) return 'revoked';
  return Date.parse(inv.expires_at) <= now.getTime() ? 'expired' : 'pending';
}

/** The organisation a membership in this role belongs to: the jobcenter (host), the provider, none (viewer). */
function organisationFor(network: NetworkRow, role: Role, providerId: string | undefined): string | null {
  if (role === 'host') return network.host_organisation_id;
  if (role === 'provider') return providerId ?? null;
  return null;
}

function assertMayInvite(who: Who, networkId: string, role: Role, organisationId: string | null, providerAdmin: boolean): void {
  managedScope(who.actor, networkId);
  if (!can(who.actor, { action: 'membership.grant', networkId, role, providerId: organisationId, providerAdmin })) {
    throw new AppError('forbidden', "A provider's administrator invites plain members of their own provider only; the network's hosts invite the rest.");
  }
}

async function organisationName(ctx: AppContext, organisationId: string | null): Promise<string | null> {
  if (!organisationId) return null;
  const row = await ctx.db.selectFrom('organisations').select('name').where('id', '=', organisationId).executeTakeFirst();
  return row?.name ?? null;
}

/** Mails the link; never throws: the answer tells the host whether they must pass the link on. */
async function sendInvitation(ctx: AppContext, network: NetworkRow, inv: InvitationRow, link: string): Promise<InvitationMailStatus> {
  if (!ctx.mailer) return 'not_configured';
  const [account, inviter, organisation] = await Promise.all([findUserByEmail(ctx.db, inv.email), userNameOf(ctx.db, inv.invited_by), organisationName(ctx, inv.organisation_id)]);
  const message = invitationMail(account?.locale ?? 'da', {
    networkName: network.name,
    organisationName: organisation,
    role: inv.role,
    inviterName: inviter?.name ?? '',
    link,
    expiresAt: new Date(inv.expires_at),
  });
  try {
    await ctx.mailer.send({ to: inv.email, ...message });
    return 'sent';
  } catch (err) {
    // The invitation stays valid; the host is told and gets the link to pass on.
    ctx.log.warn('invitation e-mail not sent', { invitation: inv.id, error: String(err) });
    return 'failed';
  }
}

/** `linkBase`: the public address of the invitation pages, ending in /invitations/. */
const linkOf = (linkBase: string, token: string) => linkBase + token;

const created = (inv: InvitationRow, mailStatus: InvitationMailStatus, link: string): CreatedInvitation =>
  mailStatus === 'sent' ? { id: inv.id, expiresAt: inv.expires_at, mailStatus } : { id: inv.id, expiresAt: inv.expires_at, mailStatus, link };

export async function createInvitation(ctx: AppContext, linkBase: string, who: Who, networkId: string, req: CreateInvitationRequest): Promise<CreatedInvitation> {
  const network = await networkOrNotFound(ctx, networkId);
  const providerAdmin = req.providerAdmin ?? false;
  if (providerAdmin && req.role !== 'provider') {
    throw new AppError('validation_failed', 'Only a provider member can be its administrator.', [{ path: 'providerAdmin', message: 'Only a provider member can be its administrator' }]);
  }
  const organisationId = organisationFor(network, req.role, req.providerId);
  assertMayInvite(who, networkId, req.role, organisationId, providerAdmin);
  if (req.role === 'provider') await assertProviderTakesMembers(ctx, networkId, organisationId!);
  const existing = await findUserByEmail(ctx.db, req.email);
  const membership = existing ? await findMembership(ctx.db, networkId, existing.id) : undefined;
  if (membership && !membership.disabled_at) throw new AppError('conflict', `${req.email} is already a member of this network.`);

  const token = newToken();
  const now = ctx.now();
  const at = now.toISOString();
  const inv: InvitationRow = {
    id: ctx.newId(),
    network_id: networkId,
    email: req.email,
    role: req.role,
    organisation_id: organisationId,
    provider_admin: providerAdmin ? 1 : 0,
    token_hash: sha256(token),
    invited_by: who.userId,
    created_at: at,
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
    mail_status: ctx.mailer ? 'failed' : 'not_configured',
  };
  await ctx.db.transaction().execute(async (trx) => {
    // A new invitation replaces a pending one to the same address: one link works, the newest.
    for (const earlier of await pendingInvitationsFor(trx, networkId, req.email, at)) await updateInvitation(trx, earlier.id, { revoked_at: at });
    await insertInvitation(trx, inv);
    await appendAudit(trx, {
      id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'invitation.create', subjectType: 'invitation', subjectId: inv.id,
      after: { email: inv.email, role: inv.role, organisationId, providerAdmin, expiresAt: inv.expires_at },
    });
  });
  const link = linkOf(linkBase, token);
  const mailStatus = await sendInvitation(ctx, network, inv, link);
  await updateInvitation(ctx.db, inv.id, { mail_status: mailStatus });
  return created(inv, mailStatus, link);
}

export async function listInvitations(ctx: AppContext, who: Who, networkId: string): Promise<Invitation[]> {
  await networkOrNotFound(ctx, networkId);
  const scope = managedScope(who.actor, networkId);
  const now = ctx.now();
  const rows = await invitationsOfNetwork(ctx.db, networkId);
  return rows
    .filter((r) => scope.all || (r.role === 'provider' && r.organisation_id === scope.providerId))
    .map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      providerId: r.role === 'provider' ? r.organisation_id : null,
      providerAdmin: Number(r.provider_admin) === 1,
      invitedBy: { id: r.invited_by, name: r.invited_by_name },
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      status: invitationStatus(r, now),
      mailStatus: r.mail_status,
    }));
}

async function managedInvitation(ctx: AppContext, who: Who, networkId: string, invitationId: string): Promise<InvitationRow> {
  await networkOrNotFound(ctx, networkId);
  managedScope(who.actor, networkId);
  const inv = await findInvitation(ctx.db, networkId, invitationId);
  if (!inv) throw new AppError('not_found', 'There is no such invitation in this network.');
  assertMayInvite(who, networkId, inv.role, inv.organisation_id, Number(inv.provider_admin) === 1);
  return inv;
}

/** A new link (the old one stops working) with a new expiry, mailed again. */
export async function resendInvitation(ctx: AppContext, linkBase: string, who: Who, networkId: string, invitationId: string): Promise<CreatedInvitation> {
  const inv = await managedInvitation(ctx, who, networkId, invitationId);
  if (inv.accepted_at) throw new AppError('conflict', 'This invitation has been accepted already.');
  if (inv.revoked_at) throw new AppError('conflict', 'This invitation was revoked; invite the person again.');
  if (inv.role === 'provider') await assertProviderTakesMembers(ctx, networkId, inv.organisation_id!);
  const token = newToken();
  const now = ctx.now();
  const at = now.toISOString();
  const renewed: InvitationRow = { ...inv, token_hash: sha256(token), expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString() };
  await ctx.db.transaction().execute(async (trx) => {
    await updateInvitation(trx, inv.id, { token_hash: renewed.token_hash, expires_at: renewed.expires_at });
    await appendAudit(trx, {
      id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'invitation.resend', subjectType: 'invitation', subjectId: inv.id,
      before: { expiresAt: inv.expires_at }, after: { expiresAt: renewed.expires_at },
    });
  });
  const link = linkOf(linkBase, token);
  const network = (await networkById(ctx.db, networkId))!;
  const mailStatus = await sendInvitation(ctx, network, renewed, link);
  await updateInvitation(ctx.db, inv.id, { mail_status: mailStatus });
  return created(renewed, mailStatus, link);
}

export async function revokeInvitation(ctx: AppContext, who: Who, networkId: string, invitationId: string): Promise<void> {
  const inv = await managedInvitation(ctx, who, networkId, invitationId);
  if (inv.accepted_at) throw new AppError('conflict', 'This invitation has been accepted already: deactivate or remove the membership instead.');
  if (inv.revoked_at) return;
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateInvitation(trx, inv.id, { revoked_at: at });
    await appendAudit(trx, {
      id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'invitation.revoke', subjectType: 'invitation', subjectId: inv.id,
      before: { status: invitationStatus(inv, ctx.now()) }, after: { status: 'revoked' },
    });
  });
}

// ---------------------------------------------------------------- the invited person

/** The invitation behind a link, if it may still be accepted: 404 unknown, 410 used, revoked or expired. */
async function usableInvitation(ctx: AppContext, token: string): Promise<InvitationRow> {
  const inv = await findInvitationByTokenHash(ctx.db, sha256(token));
  if (!inv) throw new AppError('not_found', 'This invitation link is not known. Ask the person who invited you to send a new one.');
  const status = invitationStatus(inv, ctx.now());
  if (status !== 'pending') {
    const why = status === 'accepted' ? 'has been used already' : status === 'revoked' ? 'was withdrawn' : 'has expired';
    throw new AppError('gone', `This invitation link ${why}. Ask the person who invited you, or a host of the network, for a new one.`);
  }
  return inv;
}

export async function previewInvitation(ctx: AppContext, token: string): Promise<InvitationPreview> {
  const inv = await usableInvitation(ctx, token);
  const [network, inviter, organisation, account] = await Promise.all([
    networkById(ctx.db, inv.network_id),
    userNameOf(ctx.db, inv.invited_by),
    organisationName(ctx, inv.organisation_id),
    findUserByEmail(ctx.db, inv.email),
  ]);
  return {
    networkName: network?.name ?? '',
    organisationName: organisation,
    role: inv.role,
    invitedByName: inviter?.name ?? '',
    email: inv.email,
    accountExists: account !== undefined,
    expiresAt: inv.expires_at,
  };
}

export interface Accepted {
  networkId: string;
  /** The account was created now: the caller starts its session. */
  newUserId: string | null;
}

/**
 * Accepts: with an existing account the person must be signed in as it; otherwise the account is
 * created from name and password. The invitation, account, membership and audit entry are one
 * transaction: a second accept of the same link, or any failure, leaves nothing behind.
 */
export async function acceptInvitation(ctx: AppContext, token: string, signedInUserId: string | null, req: AcceptInvitationRequest): Promise<Accepted> {
  const inv = await usableInvitation(ctx, token);
  if (inv.role === 'provider') await assertProviderTakesMembers(ctx, inv.network_id, inv.organisation_id!);
  const account = await findUserByEmail(ctx.db, inv.email);
  let newUser: { id: string; name: string; passwordHash: string } | null = null;
  if (account) {
    if (!signedInUserId) throw new AppError('unauthenticated', `An account for ${inv.email} exists: sign in as it, then accept the invitation.`);
    if (signedInUserId !== account.id) throw new AppError('forbidden', `This invitation is for ${inv.email}; you are signed in as someone else. Sign out and sign in as ${inv.email}.`);
    if (account.disabled_at) throw new AppError('forbidden', 'This account is closed.');
  } else {
    if (ctx.config.passwordSignIn === 'off') {
      throw new AppError('forbidden', `Passwords are not used here: accept the invitation by signing in with ${ctx.config.oidc?.displayName ?? 'single sign-on'}.`);
    }
    const issues: FieldIssue[] = [];
    const name = req.name?.trim() ?? '';
    if (!name) issues.push({ path: 'name', message: 'Your name is required' });
    else if (containsCpr(name)) issues.push({ path: 'name', message: CPR_MESSAGE.en });
    const problem = passwordProblem(req.password ?? '');
    if (problem) issues.push({ path: 'password', message: PASSWORD_PROBLEM_TEXT[problem].en });
    if (issues.length) throw new AppError('validation_failed', `The request body is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    newUser = { id: ctx.newId(), name, passwordHash: await hashPassword(req.password!) };
  }
  const userId = account?.id ?? newUser!.id;
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    // Claimed first, inside the transaction: of two accepts of one link exactly one gets further.
    if (!(await claimInvitation(trx, inv.id, at))) throw new AppError('gone', 'This invitation link has been used already.');
    if (newUser) {
      await insertUser(trx, { id: newUser.id, email: inv.email, name: newUser.name, password_hash: newUser.passwordHash, locale: 'da', created_at: at, disabled_at: null, last_sign_in_at: at });
    }
    await joinByInvitation(ctx, trx, inv, userId, newUser !== null, at);
  });
  return { networkId: inv.network_id, newUserId: newUser?.id ?? null };
}

/**
 * The claimed invitation's membership for `userId` (a deactivated one becomes the invited one), with its
 * audit entry; run inside the caller's transaction, after claimInvitation. Also used by single sign-on.
 */
export async function joinByInvitation(ctx: AppContext, trx: Kysely<Database>, inv: InvitationRow, userId: string, accountCreated: boolean, at: string): Promise<void> {
  await updateInvitation(trx, inv.id, { accepted_by: userId });
  const providerAdmin = inv.role === 'provider' && Number(inv.provider_admin) === 1;
  const existing = await findMembership(trx, inv.network_id, userId);
  if (existing && !existing.disabled_at) throw new AppError('conflict', 'You are a member of this network already.');
  if (existing) {
    // A deactivated membership becomes the invited one.
    await updateMembership(trx, existing.id, { role: inv.role, organisation_id: inv.organisation_id, provider_admin: providerAdmin ? 1 : 0, disabled_at: null, invited_by: inv.invited_by });
  } else {
    await addMembership(trx, {
      id: ctx.newId(), user_id: userId, network_id: inv.network_id, role: inv.role, organisation_id: inv.organisation_id,
      created_at: at, disabled_at: null, provider_admin: providerAdmin ? 1 : 0, invited_by: inv.invited_by,
    });
  }
  await appendAudit(trx, {
    id: ctx.newId(), at, networkId: inv.network_id, actorUserId: userId, action: 'invitation.accept', subjectType: 'invitation', subjectId: inv.id,
    before: { status: 'pending' },
    after: { status: 'accepted', userId, accountCreated, role: inv.role, organisationId: inv.organisation_id, providerAdmin },
  });
}
