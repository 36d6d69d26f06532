// Meetings of a network and their agendas.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AgendaItemRow, MeetingRow } from '../tables/meetings.table.ts';

export async function meetingsOfNetwork(db: Kysely<Database>, networkId: string): Promise<MeetingRow[]> {
  return db.selectFrom('meetings').selectAll().where('network_id', '=', networkId).orderBy('starts_at', 'desc').execute();
}

/** The next meeting that has not been held yet (planned or running), if any. */
export async function nextMeeting(db: Kysely<Database>, networkId: string, now: string): Promise<MeetingRow | undefined> {
  return db
    .selectFrom('meetings')
    .selectAll()
    .where('network_id', '=', networkId)
    .where((eb) => eb.or([eb('status', '=', 'live'), eb.and([eb('status', '=', 'planned'), eb('starts_at', '>=', now)])]))
    .orderBy('starts_at')
    .executeTakeFirst();
}

export async function findMeeting(db: Kysely<Database>, id: string): Promise<MeetingRow | undefined> {
  return db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function agendaOf(db: Kysely<Database>, meetingId: string): Promise<AgendaItemRow[]> {
  return db.selectFrom('agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
}
