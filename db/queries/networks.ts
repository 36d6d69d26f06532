// Networks, their host jobcenter and their providers.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { NetworkRow, OrganisationRow } from '../tables/networks.table.ts';

export interface NetworkWithOrganisations {
  network: NetworkRow;
  host: OrganisationRow;
  providers: OrganisationRow[];
}

export async function networksByIds(db: Kysely<Database>, ids: readonly string[]): Promise<NetworkRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('networks').selectAll().where('id', 'in', ids).orderBy('name').execute();
}

export async function findNetwork(db: Kysely<Database>, id: string): Promise<NetworkWithOrganisations | null> {
  const network = await db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!network) return null;
  const host = await db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', network.host_organisation_id)
    .executeTakeFirstOrThrow();
  const providers = await db
    .selectFrom('network_providers')
    .innerJoin('organisations', 'organisations.id', 'network_providers.organisation_id')
    .selectAll('organisations')
    .where('network_providers.network_id', '=', id)
    .orderBy('network_providers.position')
    .execute();
  return { network, host, providers };
}

export async function countNetworks(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('networks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
