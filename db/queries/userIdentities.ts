// Single sign-on links: which account a person at the identity provider (issuer + sub) is.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { NewUserIdentity, UserIdentityRow } from '../tables/users.table.ts';

export async function findIdentity(db: Kysely<Database>, issuer: string, subject: string): Promise<UserIdentityRow | undefined> {
  return db.selectFrom('user_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
}

export async function identitiesOfUser(db: Kysely<Database>, userId: string): Promise<UserIdentityRow[]> {
  return db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).execute();
}

export async function insertIdentity(db: Kysely<Database>, identity: NewUserIdentity): Promise<void> {
  await db.insertInto('user_identities').values(identity).execute();
}

export async function touchIdentity(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('user_identities').set({ last_sign_in_at: at }).where('id', '=', id).execute();
}

/** Accounts that sign in only through the identity provider keep no password. */
export async function clearPassword(db: Kysely<Database>, userId: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: '' }).where('id', '=', userId).execute();
}

/** Pending invitations to this address in any network (not accepted, revoked or expired). */
export async function pendingInvitationsTo(db: Kysely<Database>, email: string, now: string) {
  return db.selectFrom('invitations').selectAll().where('email', '=', email).where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now).execute();
}
