// The archive of closed meetings: snapshots, frozen documents, addenda and the full-text search index.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { DialectName } from '../dialect.ts';
import type { ArchiveEntryRow, NewArchiveEntry, NewMeetingAddendum, NewMeetingSnapshot, NewSnapshotDocument } from '../tables/archive.table.ts';

export async function insertSnapshot(db: Kysely<Database>, snapshot: NewMeetingSnapshot): Promise<void> {
  await db.insertInto('meeting_snapshots').values(snapshot).execute();
}

export async function insertSnapshotDocument(db: Kysely<Database>, document: NewSnapshotDocument): Promise<void> {
  await db.insertInto('snapshot_documents').values(document).execute();
}

/** The snapshot's JSON content, if the meeting has been archived. */
export async function snapshotContent(db: Kysely<Database>, meetingId: string): Promise<string | undefined> {
  const row = await db.selectFrom('meeting_snapshots').select('content').where('meeting_id', '=', meetingId).executeTakeFirst();
  return row?.content;
}

/** Adds an entry to the search index; SQLite keeps its FTS5 table beside it, PostgreSQL a generated column. */
export async function insertArchiveEntry(db: Kysely<Database>, dialect: DialectName, entry: NewArchiveEntry): Promise<void> {
  await db.insertInto('archive_entries').values(entry).execute();
  if (dialect === 'sqlite') await sql`insert into archive_fts (entry_id, title, body) values (${entry.id}, ${entry.title}, ${entry.body})`.execute(db);
}

export async function insertAddendum(db: Kysely<Database>, addendum: NewMeetingAddendum): Promise<void> {
  await db.insertInto('meeting_addenda').values(addendum).execute();
}

export async function addendaOf(db: Kysely<Database>, meetingId: string) {
  return db
    .selectFrom('meeting_addenda')
    .innerJoin('users', 'users.id', 'meeting_addenda.created_by')
    .select(['meeting_addenda.id', 'meeting_addenda.text', 'users.name as createdBy', 'meeting_addenda.created_at as createdAt'])
    .where('meeting_id', '=', meetingId)
    .orderBy('meeting_addenda.created_at')
    .execute();
}

export interface ArchiveSearch {
  networkId: string;
  /** Words of the query, already stripped of search syntax. */
  words: readonly string[];
  /** The host finds unpublished entries too. */
  seesDrafts: boolean;
  /** A provider finds its own unpublished entries. */
  ownProvider: string | null;
  limit: number;
  /** Characters put around each hit in the snippet. */
  marks: { start: string; stop: string };
}

export interface ArchiveSearchRow {
  meeting_id: string;
  kind: ArchiveEntryRow['kind'];
  provider_id: string | null;
  title: string;
  snippet: string;
  meeting_title: string;
  starts_at: string;
}

/** Best hits first: SQLite FTS5 on the embedded database, PostgreSQL full-text search (Danish) otherwise. */
export async function searchArchiveEntries(db: Kysely<Database>, dialect: DialectName, s: ArchiveSearch): Promise<ArchiveSearchRow[]> {
  const { networkId, words, seesDrafts, ownProvider, limit, marks } = s;
  if (dialect === 'sqlite') {
    const match = words.map((w) => `"${w}"*`).join(' ');
    return (
      await sql<ArchiveSearchRow>`
        select e.meeting_id, e.kind, e.provider_id, e.title, snippet(archive_fts, 2, ${marks.start}, ${marks.stop}, '…', 16) as snippet,
               m.title as meeting_title, m.starts_at
        from archive_fts f
        join archive_entries e on e.id = f.entry_id
        join meetings m on m.id = e.meeting_id
        where archive_fts match ${match} and e.network_id = ${networkId}
          and (e.published = 1 or ${seesDrafts ? 1 : 0} = 1 or e.provider_id = ${ownProvider})
        order by rank, m.starts_at desc
        limit ${limit}`.execute(db)
    ).rows;
  }
  const query = words.join(' ');
  return (
    await sql<ArchiveSearchRow>`
      select e.meeting_id, e.kind, e.provider_id, e.title,
             ts_headline('danish', e.body, plainto_tsquery('danish', ${query}), ${`StartSel=${marks.start}, StopSel=${marks.stop}, MaxWords=30, MinWords=12`}) as snippet,
             m.title as meeting_title, m.starts_at
      from archive_entries e
      join meetings m on m.id = e.meeting_id
      where e.search @@ plainto_tsquery('danish', ${query}) and e.network_id = ${networkId}
        and (e.published = 1 or ${seesDrafts} or e.provider_id = ${ownProvider})
      order by ts_rank(e.search, plainto_tsquery('danish', ${query})) desc, m.starts_at desc
      limit ${limit}`.execute(db)
  ).rows;
}
