// Who of the people the identity provider vouches for may come in: a linked person is their account;
// otherwise a trustworthy e-mail must match an account or a pending invitation, and is then linked.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { claimInvitation } from '../../db/queries/invitations.ts';
import { countActiveMemberships } from '../../db/queries/members.ts';
import { clearPassword, findIdentity, identitiesOfUser, insertIdentity, pendingInvitationsTo, touchIdentity } from '../../db/queries/userIdentities.ts';
import { findUserByEmail, findUserById, insertUser, membershipsOf, setLastSignIn } from '../../db/queries/users.ts';
import type { InvitationRow } from '../../db/tables/users.table.ts';
import { containsCpr } from '../../domain/cpr.ts';
import type { AppContext } from '../context.ts';
import { joinByInvitation } from '../members/invitations.ts';
import { assertProviderTakesMembers } from '../members/memberships.ts';
import { OidcError, type VerifiedPerson } from './oidc.ts';
import type { OidcSettings } from './oidcConfig.ts';

/** An e-mail we may match an account or invitation by: verified by the provider, or in a domain it owns. */
export function trustworthyEmail(settings: OidcSettings, person: VerifiedPerson): string | null {
  if (!person.email || !person.email.includes('@')) return null;
  if (person.emailVerified) return person.email;
  const domain = person.email.slice(person.email.lastIndexOf('@') + 1);
  return settings.trustedEmailDomains.includes(domain) ? person.email : null;
}

/**
 * Which account the verified person is, linking it on the first sign-in; throws OidcError when they
 * may not come in. Never creates an account for someone without a pending invitation.
 */
export async function admit(ctx: AppContext, settings: OidcSettings, person: VerifiedPerson): Promise<{ userId: string; linked: boolean }> {
  const at = ctx.now().toISOString();
  const link = await findIdentity(ctx.db, person.issuer, person.subject);
  if (link) {
    // Linked: this account, whatever the e-mail says now.
    const user = await findUserById(ctx.db, link.user_id);
    if (!user || user.disabled_at) throw new OidcError('not_invited', 'the linked account is closed');
    // A new invitation to an existing account is accepted on its page, signed in.
    if (!(await mayStillComeIn(ctx, user.id)) && (await usableInvitations(ctx, user.id, user.email)).length === 0) {
      throw new OidcError('not_invited', 'every membership is deactivated');
    }
    await touchIdentity(ctx.db, link.id, at);
    await setLastSignIn(ctx.db, user.id, at);
    return { userId: user.id, linked: false };
  }

  const email = trustworthyEmail(settings, person);
  if (!email) throw new OidcError('email_unverified', `e-mail ${person.email ?? '(none)'} is not verified`);
  const account = await findUserByEmail(ctx.db, email);
  const invitations = await usableInvitations(ctx, account?.id ?? null, email);
  if (account) {
    if (account.disabled_at) throw new OidcError('not_invited', 'the account is closed');
    if ((await identitiesOfUser(ctx.db, account.id)).some((i) => i.issuer === person.issuer)) {
      throw new OidcError('linked_to_other', 'the account is linked to another subject of this issuer');
    }
    if (invitations.length === 0 && !(await mayStillComeIn(ctx, account.id))) throw new OidcError('not_invited', 'every membership is deactivated');
  } else if (invitations.length === 0) {
    throw new OidcError('not_invited', 'no account and no pending invitation');
  }

  const userId = account?.id ?? ctx.newId();
  const name = person.name && !containsCpr(person.name) ? person.name.slice(0, 200) : email;
  // Account, link and memberships together: a failure, or a race lost for every invitation, leaves nothing.
  await ctx.db.transaction().execute(async (trx) => {
    if (!account) {
      // Created only now, from an invitation: it signs in through the identity provider, no password.
      await insertUser(trx, { id: userId, email, name, password_hash: '', locale: 'da', created_at: at, disabled_at: null, last_sign_in_at: at });
    }
    await insertIdentity(trx, { id: ctx.newId(), user_id: userId, issuer: person.issuer, subject: person.subject, linked_at: at, last_sign_in_at: at });
    if (account && ctx.config.passwordSignIn !== 'on') await clearPassword(trx, userId);
    // A new account comes with its invitations accepted; an existing one accepts them on the invitation page.
    if (!account && (await joinAll(ctx, trx, invitations, userId, true, at)) === 0) throw new OidcError('not_invited', 'every invitation was used meanwhile');
  });
  await setLastSignIn(ctx.db, userId, at);
  ctx.log.info('single sign-on: account linked', { userId, issuer: person.issuer, created: !account });
  return { userId, linked: true };
}

/** Deactivated everywhere is refused like a stranger; an account that never had a membership (a new host) is not. */
async function mayStillComeIn(ctx: AppContext, userId: string): Promise<boolean> {
  if ((await countActiveMemberships(ctx.db, userId)) > 0) return true;
  return (await membershipsOf(ctx.db, userId)).length === 0;
}

/** The person's pending invitations that can still be accepted now (the provider still takes members). */
async function usableInvitations(ctx: AppContext, userId: string | null, email: string): Promise<InvitationRow[]> {
  const active = new Set(userId ? (await membershipsOf(ctx.db, userId)).filter((m) => !m.disabled_at).map((m) => m.network_id) : []);
  const usable: InvitationRow[] = [];
  for (const inv of await pendingInvitationsTo(ctx.db, email, ctx.now().toISOString())) {
    if (active.has(inv.network_id)) continue;
    if (inv.role === 'provider') {
      try {
        await assertProviderTakesMembers(ctx, inv.network_id, inv.organisation_id!);
      } catch {
        continue;
      }
    }
    usable.push(inv);
  }
  return usable;
}

/** Signing in through the provider creates an invited person's account with its invitations accepted. */
async function joinAll(ctx: AppContext, trx: Kysely<Database>, invitations: InvitationRow[], userId: string, accountCreated: boolean, at: string): Promise<number> {
  let joined = 0;
  for (const inv of invitations) {
    if (!(await claimInvitation(trx, inv.id, at))) continue;
    await joinByInvitation(ctx, trx, inv, userId, accountCreated && joined === 0, at);
    joined++;
  }
  return joined;
}


/** PASSWORD_SIGN_IN: off, nobody has a password; linked-off, an account linked to single sign-on has none. */
export async function mayUsePassword(ctx: AppContext, userId: string): Promise<boolean> {
  const mode = ctx.config.passwordSignIn ?? 'on';
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return (await identitiesOfUser(ctx.db, userId)).length === 0;
}
