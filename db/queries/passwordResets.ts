// Password reset links: one row per link, looked up by the SHA-256 of its token.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { IsoTime } from '../tables/columns.ts';
import type { NewPasswordReset, PasswordResetRow } from '../tables/users.table.ts';

export async function insertPasswordReset(db: Kysely<Database>, reset: NewPasswordReset): Promise<void> {
  await db.insertInto('password_resets').values(reset).execute();
}

/** The link and its account's e-mail, whatever its state (the caller tells used and expired apart). */
export async function findPasswordReset(db: Kysely<Database>, tokenHash: string): Promise<(PasswordResetRow & { email: string; disabled_at: IsoTime | null }) | undefined> {
  return db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .selectAll('password_resets')
    .select(['users.email', 'users.disabled_at'])
    .where('password_resets.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Sets the new password, uses up every open link of the account, and ends all its sessions and API
 * tokens, in one transaction. Answers the credentials ended (session hashes and token ids), or null
 * when the link was used in the meantime (a second tab, a double click): then nothing is changed.
 */
export async function completePasswordReset(
  db: Kysely<Database>,
  reset: { id: string; userId: string },
  passwordHash: string,
  now: IsoTime,
): Promise<{ sessions: string[]; tokens: string[] } | null> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('password_resets').set({ used_at: now }).where('id', '=', reset.id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return null;
    await trx.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', reset.userId).where('used_at', 'is', null).execute();
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', reset.userId).execute();
    const sessions = (await trx.selectFrom('sessions').select('id').where('user_id', '=', reset.userId).where('revoked_at', 'is', null).execute()).map((r) => r.id);
    if (sessions.length) await trx.updateTable('sessions').set({ revoked_at: now }).where('id', 'in', sessions).execute();
    const tokens = (await trx.selectFrom('api_tokens').select('id').where('user_id', '=', reset.userId).where('revoked_at', 'is', null).execute()).map((r) => r.id);
    if (tokens.length) await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', 'in', tokens).execute();
    return { sessions, tokens };
  });
}
