// Meetings run live and archived: live state, decisions and action items, attendance, the frozen
// snapshot taken at close, addenda, calendar feed secrets, and the archive search index.
// Frozen once landed: later changes are new migrations.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? sql`bytea` : sql`blob`;

  await db.schema.alterTable('meetings').addColumn('live_state', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('started_at', 'text').execute();

  await db.schema
    .createTable('meeting_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('meeting_entries_network_idx').on('meeting_entries').columns(['network_id', 'status']).execute();

  await db.schema
    .createTable('meeting_attendance')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('first_joined_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_attendance_pk', ['meeting_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('meeting_snapshots')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id').onDelete('cascade'))
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text', (c) => c.notNull().references('users.id'))
    /** JSON: agenda, entries, attendance, leaderboard as shown, document texts. */
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('snapshot_documents')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('state', bytes, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('snapshot_documents_pk', ['meeting_id', 'name'])
    .execute();

  await db.schema
    .createTable('meeting_addenda')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // One searchable row per archived text (method note, minutes, decision, addendum).
  await db.schema
    .createTable('archive_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    /** Method-note drafts stay private in the archive: only their provider and the host find them. */
    .addColumn('published', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  if (postgres) {
    await sql`alter table archive_entries add column search tsvector generated always as (to_tsvector('danish', title || ' ' || body)) stored`.execute(db);
    await sql`create index archive_entries_search_idx on archive_entries using gin (search)`.execute(db);
  } else {
    await sql`create virtual table archive_fts using fts5(entry_id unindexed, title, body, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (!postgres) await sql`drop table archive_fts`.execute(db);
  for (const t of ['archive_entries', 'calendar_feeds', 'meeting_addenda', 'snapshot_documents', 'meeting_snapshots', 'meeting_attendance', 'meeting_entries']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('meetings').dropColumn('started_at').execute();
  await db.schema.alterTable('meetings').dropColumn('live_state').execute();
}
