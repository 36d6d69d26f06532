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

export async function membershipsOf(db: Kysely<Database>, userId: string): Promise<MembershipRow[]> {
  return db.selectFrom('memberships').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
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

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
