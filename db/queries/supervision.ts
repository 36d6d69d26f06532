// Supervision visits (tilsyn) and their follow-up actions: rows in, rows out; the rules live in the server's supervision feature.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type {
  NewSupervisionAction, NewSupervisionVisit, SupervisionActionRow, SupervisionActionUpdate, SupervisionVisitRow, SupervisionVisitUpdate,
} from '../tables/supervision.table.ts';

export async function insertVisit(db: Kysely<Database>, visit: NewSupervisionVisit): Promise<void> {
  await db.insertInto('supervision_visits').values(visit).execute();
}

export async function insertActions(db: Kysely<Database>, actions: NewSupervisionAction[]): Promise<void> {
  if (actions.length) await db.insertInto('supervision_actions').values(actions).execute();
}

export async function findVisit(db: Kysely<Database>, networkId: string, visitId: string): Promise<SupervisionVisitRow | undefined> {
  return db.selectFrom('supervision_visits').selectAll().where('network_id', '=', networkId).where('id', '=', visitId).executeTakeFirst();
}

export async function updateVisit(db: Kysely<Database>, visitId: string, changes: SupervisionVisitUpdate): Promise<void> {
  await db.updateTable('supervision_visits').set(changes).where('id', '=', visitId).execute();
}

export async function updateAction(db: Kysely<Database>, actionId: string, changes: SupervisionActionUpdate): Promise<void> {
  await db.updateTable('supervision_actions').set(changes).where('id', '=', actionId).execute();
}

/** A network's visits, newest first; only those of `providerIds` when given (a provider sees its own). */
export async function visitsOfNetwork(db: Kysely<Database>, networkId: string, providerIds?: readonly string[]): Promise<SupervisionVisitRow[]> {
  if (providerIds && providerIds.length === 0) return [];
  let q = db.selectFrom('supervision_visits').selectAll().where('network_id', '=', networkId);
  if (providerIds) q = q.where('provider_id', 'in', providerIds);
  return q.orderBy('visit_date', 'desc').orderBy('created_at', 'desc').execute();
}

/** The follow-up actions of these visits, by due date. */
export async function actionsOfVisits(db: Kysely<Database>, visitIds: readonly string[]): Promise<SupervisionActionRow[]> {
  if (visitIds.length === 0) return [];
  return db.selectFrom('supervision_actions').selectAll().where('visit_id', 'in', visitIds).orderBy('due_date').orderBy('created_at').execute();
}

/** Open follow-ups due before `today` ('YYYY-MM-DD'), with their visit's provider and date, oldest due first. */
export async function overdueActions(db: Kysely<Database>, networkId: string, today: string) {
  return db
    .selectFrom('supervision_actions')
    .innerJoin('supervision_visits', 'supervision_visits.id', 'supervision_actions.visit_id')
    .selectAll('supervision_actions')
    .select(['supervision_visits.provider_id', 'supervision_visits.visit_date'])
    .where('supervision_actions.network_id', '=', networkId)
    .where('supervision_actions.status', '=', 'open')
    .where('supervision_actions.due_date', '<', today)
    .orderBy('supervision_actions.due_date')
    .orderBy('supervision_actions.created_at')
    .execute();
}
