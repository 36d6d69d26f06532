// A network's providers: their organisations, membership periods, joining checklists, and the facts
// the provider list derives from other tables (members, contracts, first supervision visit).
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type {
  EarlierProviderPeriodRow,
  NetworkProviderUpdate,
  NewOrganisation,
  OrganisationRow,
  OrganisationUpdate,
  ProviderChecklistRow,
} from '../tables/networks.table.ts';

/** A provider of a network with its organisation and current period. */
export interface NetworkProviderWithOrganisation {
  organisation: OrganisationRow;
  position: number;
  fromMonth: string | null;
  lastMonth: string | null;
}

export async function networkProviders(db: Kysely<Database>, networkId: string, organisationId?: string): Promise<NetworkProviderWithOrganisation[]> {
  let q = db
    .selectFrom('network_providers')
    .innerJoin('organisations', 'organisations.id', 'network_providers.organisation_id')
    .selectAll('organisations')
    .select(['network_providers.position', 'network_providers.from_month', 'network_providers.last_month'])
    .where('network_providers.network_id', '=', networkId);
  if (organisationId) q = q.where('network_providers.organisation_id', '=', organisationId);
  const rows = await q.orderBy('network_providers.position').execute();
  return rows.map(({ position, from_month, last_month, ...organisation }) => ({ organisation, position, fromMonth: from_month, lastMonth: last_month }));
}

export async function organisationByCvr(db: Kysely<Database>, cvr: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('cvr', '=', cvr).executeTakeFirst();
}

export async function insertOrganisation(db: Kysely<Database>, organisation: NewOrganisation): Promise<void> {
  await db.insertInto('organisations').values(organisation).execute();
}

export async function updateOrganisation(db: Kysely<Database>, id: string, changes: OrganisationUpdate): Promise<void> {
  await db.updateTable('organisations').set(changes).where('id', '=', id).execute();
}

/** Adds the organisation as the network's last provider, taking part from `fromMonth` (null: from the start). */
export async function appendNetworkProvider(db: Kysely<Database>, networkId: string, organisationId: string, fromMonth: string | null): Promise<void> {
  const last = await db
    .selectFrom('network_providers')
    .select((eb) => eb.fn.max<number>('position').as('max'))
    .where('network_id', '=', networkId)
    .executeTakeFirst();
  const position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
  await db.insertInto('network_providers').values({ network_id: networkId, organisation_id: organisationId, position, from_month: fromMonth, last_month: null }).execute();
}

export async function updateNetworkProvider(db: Kysely<Database>, networkId: string, organisationId: string, changes: NetworkProviderUpdate): Promise<void> {
  await db.updateTable('network_providers').set(changes).where('network_id', '=', networkId).where('organisation_id', '=', organisationId).execute();
}

/** The ids of these organisations that are a provider in some network other than `networkId`. */
export async function organisationsSharedBeyond(db: Kysely<Database>, networkId: string, organisationIds: readonly string[]): Promise<Set<string>> {
  if (organisationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('network_providers')
    .select('organisation_id')
    .where('organisation_id', 'in', organisationIds)
    .where('network_id', '<>', networkId)
    .execute();
  return new Set(rows.map((r) => r.organisation_id));
}

/** Periods that ended before the provider rejoined, latest first. */
export async function earlierPeriods(db: Kysely<Database>, networkId: string, organisationId?: string): Promise<EarlierProviderPeriodRow[]> {
  let q = db.selectFrom('earlier_provider_periods').selectAll().where('network_id', '=', networkId);
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.orderBy('last_month', 'desc').execute();
}

export async function insertEarlierPeriod(db: Kysely<Database>, period: EarlierProviderPeriodRow): Promise<void> {
  await db.insertInto('earlier_provider_periods').values(period).execute();
}

/** Active (not deactivated) provider members per organisation in the network. */
export async function activeProviderMemberCounts(db: Kysely<Database>, networkId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('memberships')
    .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('network_id', '=', networkId)
    .where('role', '=', 'provider')
    .where('disabled_at', 'is', null)
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.filter((r) => r.organisation_id !== null).map((r) => [r.organisation_id!, Number(r.n)]));
}

/** Every supervision visit date of the network's providers, earliest first. */
export async function firstVisitDates(db: Kysely<Database>, networkId: string): Promise<Array<{ providerId: string; visitDate: string }>> {
  const rows = await db
    .selectFrom('supervision_visits')
    .select(['provider_id', 'visit_date'])
    .where('network_id', '=', networkId)
    .orderBy('visit_date')
    .execute();
  return rows.map((r) => ({ providerId: r.provider_id, visitDate: r.visit_date }));
}

export async function findChecklist(db: Kysely<Database>, networkId: string, organisationId?: string): Promise<ProviderChecklistRow[]> {
  let q = db.selectFrom('provider_checklists').selectAll().where('network_id', '=', networkId);
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.execute();
}

/** Writes the checklist's own part (the contract and first visit are read from their tables). */
export async function saveChecklist(db: Kysely<Database>, row: ProviderChecklistRow): Promise<void> {
  const existing = await db
    .selectFrom('provider_checklists')
    .select('network_id')
    .where('network_id', '=', row.network_id)
    .where('organisation_id', '=', row.organisation_id)
    .executeTakeFirst();
  if (existing) {
    const { network_id, organisation_id, ...changes } = row;
    await db.updateTable('provider_checklists').set(changes).where('network_id', '=', network_id).where('organisation_id', '=', organisation_id).execute();
  } else {
    await db.insertInto('provider_checklists').values(row).execute();
  }
}
