// Networks, their host jobcenter and their providers.
import type { Kysely } from 'kysely';
import { takesPartIn, type ProviderPeriod } from '../../domain/providerPeriods.ts';
import type { Database } from '../database.ts';
import type { NetworkRow, NetworkUpdate, OrganisationRow } from '../tables/networks.table.ts';

export interface NetworkWithOrganisations {
  network: NetworkRow;
  host: OrganisationRow;
  providers: OrganisationRow[];
}

export async function networksByIds(db: Kysely<Database>, ids: readonly string[]): Promise<NetworkRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('networks').selectAll().where('id', 'in', ids).orderBy('name').execute();
}

export async function networkById(db: Kysely<Database>, id: string): Promise<NetworkRow | undefined> {
  return db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A network's name; throws when there is no such network. */
export async function networkName(db: Kysely<Database>, id: string): Promise<string> {
  return (await db.selectFrom('networks').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

/** Every network, oldest first. */
export async function allNetworks(db: Kysely<Database>): Promise<Array<Pick<NetworkRow, 'id' | 'name'>>> {
  return db.selectFrom('networks').select(['id', 'name']).orderBy('created_at').execute();
}

/** The host's leaderboard settings; throws when there is no such network. */
export async function leaderboardSettings(db: Kysely<Database>, id: string): Promise<Pick<NetworkRow, 'leading_metric' | 'min_citizens_to_rate'>> {
  return db.selectFrom('networks').select(['leading_metric', 'min_citizens_to_rate']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function updateNetwork(db: Kysely<Database>, id: string, changes: NetworkUpdate): Promise<void> {
  await db.updateTable('networks').set(changes).where('id', '=', id).execute();
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

/** A network's providers, in the order they are listed and present in. */
export async function providersOfNetwork(db: Kysely<Database>, networkId: string) {
  return db
    .selectFrom('network_providers')
    .innerJoin('organisations', 'organisations.id', 'network_providers.organisation_id')
    .select(['organisations.id', 'organisations.name', 'organisations.short_name'])
    .where('network_providers.network_id', '=', networkId)
    .orderBy('network_providers.position')
    .execute();
}

export async function countNetworks(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('networks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface HostedNetwork {
  now: string;
  newId: () => string;
  email: string;
  name: string;
  passwordHash: string;
  /** Name of the host jobcenter, also its short name. */
  jobcenter: string;
  network: string;
  targetGroup: string;
}

/** A new network with its jobcenter and a first host user, in one transaction (`npm run create-host`). */
export async function createHostedNetwork(db: Kysely<Database>, h: HostedNetwork): Promise<void> {
  const jobcenterId = h.newId();
  const networkId = h.newId();
  const userId = h.newId();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values({ id: jobcenterId, kind: 'jobcenter', name: h.jobcenter, short_name: h.jobcenter, created_at: h.now }).execute();
    await trx.insertInto('networks').values({ id: networkId, name: h.network, host_organisation_id: jobcenterId, target_group: h.targetGroup, meeting_cadence_months: 2, activation_requirement_pct: 30, created_at: h.now }).execute();
    await trx.insertInto('users').values({ id: userId, email: h.email.toLowerCase(), name: h.name, password_hash: h.passwordHash, locale: 'da', created_at: h.now, disabled_at: null }).execute();
    await trx.insertInto('memberships').values({ id: h.newId(), user_id: userId, network_id: networkId, role: 'host', organisation_id: jobcenterId, created_at: h.now }).execute();
    await trx.insertInto('audit_log').values({ id: h.newId(), network_id: networkId, actor_user_id: null, action: 'host.create', subject_type: 'user', subject_id: userId, before_json: null, after_json: JSON.stringify({ email: h.email }), at: h.now }).execute();
  });
}

/** Every provider's periods in the network: the current one (network_providers) and the earlier ones. */
export async function providerPeriodsOfNetwork(db: Kysely<Database>, networkId: string): Promise<Map<string, ProviderPeriod[]>> {
  const [current, earlier] = await Promise.all([
    db.selectFrom('network_providers').select(['organisation_id', 'from_month', 'last_month']).where('network_id', '=', networkId).execute(),
    db.selectFrom('earlier_provider_periods').select(['organisation_id', 'from_month', 'last_month']).where('network_id', '=', networkId).execute(),
  ]);
  const periods = new Map<string, ProviderPeriod[]>();
  for (const r of [...current, ...earlier]) {
    periods.set(r.organisation_id, [...(periods.get(r.organisation_id) ?? []), { fromMonth: r.from_month, lastMonth: r.last_month }]);
  }
  return periods;
}

/** A network's providers in their order, each with its periods. */
export async function providersWithPeriods(db: Kysely<Database>, networkId: string) {
  const [providers, periods] = await Promise.all([providersOfNetwork(db, networkId), providerPeriodsOfNetwork(db, networkId)]);
  return providers.map((p) => ({ ...p, periods: periods.get(p.id) ?? [] }));
}

/** The providers taking part in the month (or in any of the months), in their order. */
export async function providersTakingPartIn(db: Kysely<Database>, networkId: string, months: string | readonly string[]) {
  const list = typeof months === 'string' ? [months] : months;
  return (await providersWithPeriods(db, networkId)).filter((p) => list.some((month) => takesPartIn(p.periods, month)));
}
