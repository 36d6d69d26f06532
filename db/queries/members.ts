// The people of a network: memberships with their accounts, as the members page and its changes need them.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { MembershipRow, MembershipUpdate, NewMembership } from '../tables/networks.table.ts';

/** Everyone in the network with their account's name, e-mail and last sign-in, oldest membership first. */
export async function membersWithAccounts(db: Kysely<Database>, networkId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.id',
      'memberships.user_id',
      'memberships.role',
      'memberships.organisation_id',
      'memberships.provider_admin',
      'memberships.disabled_at',
      'memberships.created_at',
      'users.name',
      'users.email',
      'users.last_sign_in_at',
    ])
    .where('memberships.network_id', '=', networkId)
    .orderBy('memberships.created_at')
    .orderBy('users.name')
    .execute();
}

export async function findMembership(db: Kysely<Database>, networkId: string, userId: string): Promise<MembershipRow | undefined> {
  return db.selectFrom('memberships').selectAll().where('network_id', '=', networkId).where('user_id', '=', userId).executeTakeFirst();
}

export async function addMembership(db: Kysely<Database>, membership: NewMembership): Promise<void> {
  await db.insertInto('memberships').values(membership).execute();
}

export async function updateMembership(db: Kysely<Database>, id: string, changes: MembershipUpdate): Promise<void> {
  await db.updateTable('memberships').set(changes).where('id', '=', id).execute();
}

export async function deleteMembership(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('memberships').where('id', '=', id).execute();
}

/** Hosts of the network whose membership is not deactivated. */
/**
 * The network's active hosts. `lock` (PostgreSQL, inside a transaction): their rows stay locked until
 * it ends, so two hosts removing each other at once cannot both pass a "not the last host" check.
 * SQLite needs no lock: it runs one writing transaction at a time.
 */
export async function activeHostIds(db: Kysely<Database>, networkId: string, lock = false): Promise<string[]> {
  const query = db
    .selectFrom('memberships')
    .select('user_id')
    .where('network_id', '=', networkId)
    .where('role', '=', 'host')
    .where('disabled_at', 'is', null);
  const rows = await (lock ? query.forUpdate() : query).execute();
  return rows.map((r) => r.user_id);
}

/** How many memberships of the person, in any network, are not deactivated. */
export async function countActiveMemberships(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The provider's current period in the network, or undefined when it is not one of the network's providers. */
export async function providerPeriod(db: Kysely<Database>, networkId: string, organisationId: string) {
  return db
    .selectFrom('network_providers')
    .innerJoin('organisations', 'organisations.id', 'network_providers.organisation_id')
    .select(['organisations.name', 'network_providers.from_month', 'network_providers.last_month'])
    .where('network_providers.network_id', '=', networkId)
    .where('network_providers.organisation_id', '=', organisationId)
    .executeTakeFirst();
}
