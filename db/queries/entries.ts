// Decisions and action items captured in meetings, and who attended.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { MeetingEntryRow, MeetingEntryUpdate, NewMeetingAttendance, NewMeetingEntry } from '../tables/meetings.table.ts';

export async function entriesOfMeeting(db: Kysely<Database>, meetingId: string): Promise<MeetingEntryRow[]> {
  return db.selectFrom('meeting_entries').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').execute();
}

/** Action items still open from the network's earlier meetings: they come back on the next agenda. */
export async function openActionsBefore(db: Kysely<Database>, networkId: string, meetingId: string): Promise<MeetingEntryRow[]> {
  return db
    .selectFrom('meeting_entries')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('meeting_id', '!=', meetingId)
    .where('kind', '=', 'action')
    .where('status', '=', 'open')
    .orderBy('due_date')
    .orderBy('created_at')
    .execute();
}

export async function insertEntries(db: Kysely<Database>, entries: NewMeetingEntry | readonly NewMeetingEntry[]): Promise<void> {
  await db.insertInto('meeting_entries').values(entries).execute();
}

/** One decision or action item, if it belongs to this network. */
export async function findEntry(db: Kysely<Database>, networkId: string, entryId: string): Promise<MeetingEntryRow | undefined> {
  return db.selectFrom('meeting_entries').selectAll().where('id', '=', entryId).where('network_id', '=', networkId).executeTakeFirst();
}

export async function updateEntry(db: Kysely<Database>, entryId: string, changes: MeetingEntryUpdate): Promise<void> {
  await db.updateTable('meeting_entries').set(changes).where('id', '=', entryId).execute();
}

export async function recordAttendance(db: Kysely<Database>, meetingId: string, userId: string, at: string): Promise<void> {
  await db
    .insertInto('meeting_attendance')
    .values({ meeting_id: meetingId, user_id: userId, first_joined_at: at, last_seen_at: at })
    .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doUpdateSet({ last_seen_at: at }))
    .execute();
}

/** Attendance as given, without merging into an earlier visit (the demo's past meetings). */
export async function insertAttendance(db: Kysely<Database>, attendance: NewMeetingAttendance): Promise<void> {
  await db.insertInto('meeting_attendance').values(attendance).execute();
}

export async function attendanceOf(db: Kysely<Database>, meetingId: string) {
  return db
    .selectFrom('meeting_attendance')
    .innerJoin('users', 'users.id', 'meeting_attendance.user_id')
    .select(['users.id as userId', 'users.name as name', 'meeting_attendance.first_joined_at as firstJoinedAt'])
    .where('meeting_attendance.meeting_id', '=', meetingId)
    .orderBy('users.name')
    .execute();
}
