// Users and their network memberships.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { MembershipRow, Role } from '../tables/networks.table.ts';
import type { NewUser, UserRow } from '../tables/users.table.ts';

export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Kysely<Database>, user: NewUser): Promise<void> {
  await db.insertInto('users').values({ ...user, email: user.email.trim().toLowerCase() }).execute();
}

/** A person's own name and language (PATCH /api/me). */
export async function updateProfile(db: Kysely<Database>, userId: string, changes: { name?: string; locale?: 'da' | 'en' }): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

export async function membershipsOf(db: Kysely<Database>, userId: string): Promise<MembershipRow[]> {
  return db.selectFrom('memberships').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/**
 * The memberships that give access now: not deactivated, each with its provider's last month in the
 * network (null while the provider has not left, and for hosts and viewers).
 */
export async function activeMembershipsOf(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('memberships')
    .leftJoin('network_providers', (join) =>
      join.onRef('network_providers.network_id', '=', 'memberships.network_id').onRef('network_providers.organisation_id', '=', 'memberships.organisation_id'),
    )
    .select([
      'memberships.network_id',
      'memberships.role',
      'memberships.organisation_id',
      'memberships.provider_admin',
      'network_providers.last_month as provider_last_month',
    ])
    .where('memberships.user_id', '=', userId)
    .where('memberships.disabled_at', 'is', null)
    .orderBy('memberships.created_at')
    .execute();
}

export async function insertMembership(
  db: Kysely<Database>,
  m: { id: string; userId: string; networkId: string; role: Role; organisationId: string | null; createdAt: string },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({
      id: m.id,
      user_id: m.userId,
      network_id: m.networkId,
      role: m.role,
      organisation_id: m.organisationId,
      created_at: m.createdAt,
    })
    .execute();
}

/** The first host of a network (the demo's past meetings are run by it). */
export async function hostOfNetwork(db: Kysely<Database>, networkId: string): Promise<{ user_id: string }> {
  return db.selectFrom('memberships').select('user_id').where('network_id', '=', networkId).where('role', '=', 'host').executeTakeFirstOrThrow();
}

export async function membersOfNetwork(db: Kysely<Database>, networkId: string): Promise<Array<{ user_id: string }>> {
  return db.selectFrom('memberships').select('user_id').where('network_id', '=', networkId).execute();
}

/** Names by user id, for showing who did what. */
export async function userNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((u) => [u.id, u.name]));
}

/** Every user's name by id. */
export async function allUserNames(db: Kysely<Database>): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
}

export async function userNameOf(db: Kysely<Database>, id: string): Promise<Pick<UserRow, 'id' | 'name'> | undefined> {
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setLastSignIn(db: Kysely<Database>, userId: string, at: string): Promise<void> {
  await db.updateTable('users').set({ last_sign_in_at: at }).where('id', '=', userId).execute();
}

/** Closes or reopens an account as a whole, in every network (an operator's decision, not a host's). */
export async function setAccountDisabled(db: Kysely<Database>, userId: string, disabledAt: string | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: disabledAt }).where('id', '=', userId).execute();
}

/** The people with an active membership of this provider in this network. */
export async function providerMemberIds(db: Kysely<Database>, networkId: string, providerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('network_id', '=', networkId)
    .where('organisation_id', '=', providerId)
    .where('role', '=', 'provider')
    .where('disabled_at', 'is', null)
    .execute();
  return rows.map((r) => r.user_id);
}
