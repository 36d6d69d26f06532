// Publication state of method notes: a note is a draft until its provider publishes it.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

export interface NoteState {
  providerId: string;
  publishedAt: string | null;
  publishedBy: string | null;
}

export async function noteStates(db: Kysely<Database>, meetingId: string): Promise<Map<string, NoteState>> {
  const rows = await db.selectFrom('method_notes').selectAll().where('meeting_id', '=', meetingId).execute();
  return new Map(rows.map((r) => [r.provider_id, { providerId: r.provider_id, publishedAt: r.published_at, publishedBy: r.published_by }]));
}

export async function noteState(db: Kysely<Database>, meetingId: string, providerId: string): Promise<NoteState | null> {
  return (await noteStates(db, meetingId)).get(providerId) ?? null;
}

export async function setPublished(db: Kysely<Database>, meetingId: string, providerId: string, publishedAt: string | null, userId: string | null): Promise<void> {
  await db
    .insertInto('method_notes')
    .values({ meeting_id: meetingId, provider_id: providerId, published_at: publishedAt, published_by: userId })
    .onConflict((oc) => oc.columns(['meeting_id', 'provider_id']).doUpdateSet({ published_at: publishedAt, published_by: userId }))
    .execute();
}

export async function setNotesHeld(db: Kysely<Database>, meetingId: string, held: boolean, now: string): Promise<void> {
  await db.updateTable('meetings').set({ notes_held: held ? 1 : 0, updated_at: now }).where('id', '=', meetingId).execute();
}
