// Calendar feeds: a secret URL per member that serves a network's meetings to their calendar.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { NewCalendarFeed } from '../tables/meetings.table.ts';

export async function insertCalendarFeed(db: Kysely<Database>, feed: NewCalendarFeed): Promise<void> {
  await db.insertInto('calendar_feeds').values(feed).execute();
}

/** A network's feeds that still serve, newest first; only `createdBy`'s when given. */
export async function liveFeedsOfNetwork(db: Kysely<Database>, networkId: string, createdBy?: string) {
  let query = db
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.created_by')
    .select(['calendar_feeds.id', 'calendar_feeds.created_at as createdAt', 'users.name as createdBy'])
    .where('calendar_feeds.network_id', '=', networkId)
    .where('calendar_feeds.revoked_at', 'is', null);
  if (createdBy !== undefined) query = query.where('calendar_feeds.created_by', '=', createdBy);
  return query.orderBy('calendar_feeds.created_at', 'desc').execute();
}

/** Revokes a live feed of the network (only `createdBy`'s when given); answers whether one was revoked. */
export async function revokeCalendarFeed(db: Kysely<Database>, f: { feedId: string; networkId: string; createdBy?: string; at: string }): Promise<boolean> {
  let query = db
    .updateTable('calendar_feeds')
    .set({ revoked_at: f.at })
    .where('id', '=', f.feedId)
    .where('network_id', '=', f.networkId)
    .where('revoked_at', 'is', null);
  if (f.createdBy !== undefined) query = query.where('created_by', '=', f.createdBy);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The network a live feed serves, found by the hash of its secret. */
export async function liveFeedBySecretHash(db: Kysely<Database>, secretHash: string): Promise<{ network_id: string; created_by: string } | undefined> {
  return db.selectFrom('calendar_feeds').select(['network_id', 'created_by']).where('secret_hash', '=', secretHash).where('revoked_at', 'is', null).executeTakeFirst();
}
