// Invitations into a network by e-mail; looked up by the SHA-256 of the link's token, never the token.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { InvitationRow, InvitationUpdate, NewInvitation } from '../tables/users.table.ts';

export async function insertInvitation(db: Kysely<Database>, invitation: NewInvitation): Promise<void> {
  await db.insertInto('invitations').values(invitation).execute();
}

export async function findInvitation(db: Kysely<Database>, networkId: string, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('network_id', '=', networkId).where('id', '=', id).executeTakeFirst();
}

export async function findInvitationByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** A network's invitations, newest first, with the inviter's name. */
export async function invitationsOfNetwork(db: Kysely<Database>, networkId: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('users', 'users.id', 'invitations.invited_by')
    .selectAll('invitations')
    .select('users.name as invited_by_name')
    .where('invitations.network_id', '=', networkId)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.id', 'desc')
    .execute();
}

/** Pending invitations for this e-mail into the network (not accepted, not revoked, not expired). */
export async function pendingInvitationsFor(db: Kysely<Database>, networkId: string, email: string, now: string): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export async function updateInvitation(db: Kysely<Database>, id: string, changes: InvitationUpdate): Promise<void> {
  await db.updateTable('invitations').set(changes).where('id', '=', id).execute();
}

/**
 * Marks a pending invitation accepted, only if it still is pending: of two accepts racing for one
 * link, exactly one gets true. Who accepted is set after (their account may be created in between).
 */
export async function claimInvitation(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
