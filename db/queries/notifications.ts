// In-app notifications: one per user, kind and subject (the unique key makes a second insert a no-op),
// read marks, and the e-mail claim that keeps a reminder from being sent twice.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { NotificationRow } from '../tables/notifications.table.ts';
import type { UserRow } from '../tables/users.table.ts';

/** Inserts the notices that do not exist yet; returns how many were new. */
export async function insertNotifications(db: Kysely<Database>, rows: NotificationRow[]): Promise<number> {
  let created = 0;
  for (const row of rows) {
    const result = await db
      .insertInto('notifications')
      .values(row)
      .onConflict((oc) => oc.columns(['user_id', 'kind', 'subject_key']).doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return created;
}

export async function notificationsOf(db: Kysely<Database>, userId: string, limit: number): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<string | number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findNotification(db: Kysely<Database>, userId: string, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function markNotificationRead(db: Kysely<Database>, userId: string, id: string, at: string): Promise<void> {
  await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

/** Notices of these kinds and subjects not e-mailed yet, with their (enabled) recipient. */
export async function unemailed(db: Kysely<Database>, kind: string, subjectKeys: readonly string[]): Promise<Array<NotificationRow & Pick<UserRow, 'email' | 'name' | 'locale'>>> {
  if (subjectKeys.length === 0) return [];
  return db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .selectAll('notifications')
    .select(['users.email', 'users.name', 'users.locale'])
    .where('notifications.kind', '=', kind)
    .where('notifications.subject_key', 'in', [...subjectKeys])
    .where('notifications.emailed_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .orderBy('notifications.created_at')
    .execute();
}

/** Takes the notice for sending: true for exactly one caller, however many instances try. */
export async function claimForEmail(db: Kysely<Database>, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('notifications').set({ emailed_at: at }).where('id', '=', id).where('emailed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a claimed notice back after a failed send, so a later run tries again. */
export async function releaseEmailClaim(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('notifications').set({ emailed_at: null }).where('id', '=', id).where('emailed_at', '=', at).execute();
}

/** The enabled members who get a network's reminders: a provider's own members, and its hosts. */
export async function reminderRecipients(db: Kysely<Database>, networkId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'memberships.role', 'memberships.organisation_id as organisationId'])
    .where('memberships.network_id', '=', networkId)
    .where('memberships.role', 'in', ['host', 'provider'])
    .where('users.disabled_at', 'is', null)
    .execute();
}
