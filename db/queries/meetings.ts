// Meetings of a network and their agendas.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { AgendaItemRow, MeetingRow, MeetingUpdate, NewAgendaItem, NewMeeting } from '../tables/meetings.table.ts';

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

export async function insertMeeting(db: Kysely<Database>, meeting: NewMeeting): Promise<void> {
  await db.insertInto('meetings').values(meeting).execute();
}

export async function updateMeetingRow(db: Kysely<Database>, meetingId: string, changes: MeetingUpdate): Promise<void> {
  await db.updateTable('meetings').set(changes).where('id', '=', meetingId).execute();
}

/** Replaces a meeting's agenda with these items, in this order. */
export async function replaceAgendaItems(db: Kysely<Database>, meetingId: string, items: readonly NewAgendaItem[]): Promise<void> {
  await db.deleteFrom('agenda_items').where('meeting_id', '=', meetingId).execute();
  for (const item of items) await db.insertInto('agenda_items').values(item).execute();
}

/** A network's closed meetings that have no archive snapshot yet, oldest first. */
export async function closedMeetingsWithoutSnapshot(db: Kysely<Database>, networkId: string): Promise<MeetingRow[]> {
  return db
    .selectFrom('meetings')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('status', '=', 'closed')
    .where('id', 'not in', db.selectFrom('meeting_snapshots').select('meeting_id'))
    .orderBy('starts_at')
    .execute();
}
