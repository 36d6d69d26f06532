// Re-derives the archive's plain text, Markdown and search index from its stored Yjs document states
// with the renderer that follows the editor's schema; the one before dropped hard breaks, inline
// code, strike, underline and rules. The stored states are the record and are not touched.
// Frozen once landed. It imports the server's renderer on purpose: what it must write is exactly
// what archiving a meeting writes today, and a copy here could drift from it. A later change to
// the rendering brings its own migration if the archive must follow.
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { renderState } from '../../realtime/yjs/render.ts';

interface StoredContent {
  minutes?: { name: string; markdown: string };
  notes?: Array<{ name: string; markdown: string }>;
}

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const meetings = await db.selectFrom('meeting_snapshots').select(['meeting_id', 'content']).orderBy('meeting_id').execute();
  // One meeting at a time, so memory stays bounded by the largest meeting, not the archive.
  for (const meeting of meetings as Array<{ meeting_id: string; content: string }>) {
    const documents = (await db.selectFrom('snapshot_documents').select(['name', 'provider_id', 'state']).where('meeting_id', '=', meeting.meeting_id).execute()) as Array<{
      name: string;
      provider_id: string | null;
      state: Uint8Array;
    }>;
    const content = JSON.parse(meeting.content) as StoredContent;
    for (const document of documents) {
      const { markdown, text } = renderState(new Uint8Array(document.state));
      await db.updateTable('snapshot_documents').set({ text }).where('meeting_id', '=', meeting.meeting_id).where('name', '=', document.name).execute();
      if (content.minutes?.name === document.name) content.minutes.markdown = markdown;
      for (const note of content.notes ?? []) if (note.name === document.name) note.markdown = markdown;
      // The search index has one entry per document: the minutes, or a provider's method note.
      const entries = db
        .selectFrom('archive_entries')
        .select('id')
        .where('meeting_id', '=', meeting.meeting_id)
        .where((eb) => (document.provider_id === null ? eb('kind', '=', 'minutes') : eb.and([eb('kind', '=', 'methodNote'), eb('provider_id', '=', document.provider_id)])));
      // PostgreSQL's search column is generated from the body; SQLite keeps an FTS5 table beside it.
      if (sqlite) await sql`update archive_fts set body = ${text} where entry_id in (${entries})`.execute(db);
      await db.updateTable('archive_entries').set({ body: text }).where('id', 'in', entries).execute();
    }
    await db.updateTable('meeting_snapshots').set({ content: JSON.stringify(content) }).where('meeting_id', '=', meeting.meeting_id).execute();
  }
}

/** Derived data only: there is nothing to restore (the old renderer is gone). */
export async function down(): Promise<void> {}
