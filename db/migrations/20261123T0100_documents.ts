// Co-edited documents: the Yjs update log and snapshots, and method-note publication state.
// Frozen once landed: later changes are new migrations.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytes = postgres ? sql`bytea` : sql`blob`;

  // One row per document: the compacted state and how far the update log has been folded into it.
  await db.schema
    .createTable('yjs_documents')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('snapshot', bytes)
    /** Highest yjs_updates.id folded into the snapshot. */
    .addColumn('snapshot_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    /** Set when the server found a CPR number in the text; cleared when it is gone. */
    .addColumn('cpr_flagged_at', 'text')
    .execute();

  // Append-only log of updates since the snapshot; an update is stored here before anyone sees it.
  let updates = db.schema.createTable('yjs_updates');
  updates = postgres
    ? updates.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : updates.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await updates
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('yjs_updates_name_idx').on('yjs_updates').columns(['name', 'id']).execute();

  // Whether a provider has published its note for a meeting (drafts are private to the provider).
  await db.schema
    .createTable('method_notes')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('method_notes_pk', ['meeting_id', 'provider_id'])
    .execute();

  // The host may hold all published notes back until the meeting opens.
  await db.schema.alterTable('meetings').addColumn('notes_held', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('notes_held').execute();
  await db.schema.dropTable('method_notes').execute();
  await db.schema.dropTable('yjs_updates').execute();
  await db.schema.dropTable('yjs_documents').execute();
}
