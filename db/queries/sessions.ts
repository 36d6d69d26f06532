// Server-side sign-in sessions and API tokens, both looked up by the SHA-256 of their secret.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { ApiTokenRow, SessionRow } from '../tables/users.table.ts';

export async function insertSession(db: Kysely<Database>, session: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findLiveSession(db: Kysely<Database>, idHash: string, now: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', idHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, idHash: string, now: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', idHash).execute();
}

/** The user's live sessions, most recently used first. */
export async function liveSessionsOf(db: Kysely<Database>, userId: string, now: string): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function revokeSession(db: Kysely<Database>, idHash: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', idHash).execute();
}

export async function insertApiToken(db: Kysely<Database>, token: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

export async function findLiveApiToken(db: Kysely<Database>, tokenHash: string, now: string): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
}

export async function touchApiToken(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function listApiTokens(db: Kysely<Database>, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/** Revokes one of the user's own tokens; answers whether there was such a live token. */
export async function revokeApiToken(db: Kysely<Database>, userId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every live session of the user except `keepId`; answers the ids ended. */
export async function revokeOtherSessions(db: Kysely<Database>, userId: string, keepId: string | null, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  const ids = rows.map((r) => r.id).filter((id) => id !== keepId);
  if (ids.length) await db.updateTable('sessions').set({ revoked_at: now }).where('id', 'in', ids).execute();
  return ids;
}

export async function setPasswordHash(db: Kysely<Database>, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/**
 * Which of these credential ids (session hashes or token ids) are still live: not revoked, not
 * expired, and their account not disabled. Sessions older than `oldestSessionStart` have ended too.
 */
export async function liveCredentialIds(db: Kysely<Database>, ids: readonly string[], now: string, oldestSessionStart: string): Promise<Set<string>> {
  const live = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const sessions = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('sessions.id', 'in', chunk)
      .where('sessions.revoked_at', 'is', null)
      .where('sessions.expires_at', '>', now)
      .where('sessions.created_at', '>', oldestSessionStart)
      .where('users.disabled_at', 'is', null)
      .execute();
    const tokens = await db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select('api_tokens.id')
      .where('api_tokens.id', 'in', chunk)
      .where('api_tokens.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
      .where('users.disabled_at', 'is', null)
      .execute();
    for (const r of [...sessions, ...tokens]) live.add(r.id);
  }
  return live;
}

/** Revokes every live API token of the user; answers the ids revoked. */
export async function revokeAllApiTokens(db: Kysely<Database>, userId: string, now: string): Promise<string[]> {
  const rows = await db.selectFrom('api_tokens').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  const ids = rows.map((r) => r.id);
  if (ids.length) await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', 'in', ids).execute();
  return ids;
}
