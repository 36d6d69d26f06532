// Stored Yjs documents: an append-only update log folded now and then into one snapshot.
import { sql, type Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { onSqliteConnection } from '../dialect.ts';
import type { Database } from '../database.ts';

export interface StoredDocument {
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  /** The log after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** The id of the last update read (snapshotSeq if none): what the snapshot plus these updates cover. */
  lastSeq: number;
}

/**
 * The hot paths on SQLite, as statements prepared once per connection: appending an edit runs on
 * every keystroke before anyone sees it, and a Kysely query compiles and prepares afresh each time.
 */
interface SqliteDocumentStatements {
  append: (name: string, updates: Uint8Array[], now: string) => void;
  read: (name: string) => StoredDocument | null;
}
const sqliteStatements = new WeakMap<SQLite.Database, SqliteDocumentStatements>();

function documentStatements(sqlite: SQLite.Database): SqliteDocumentStatements {
  let statements = sqliteStatements.get(sqlite);
  if (statements) return statements;
  const insert = sqlite.prepare('insert into yjs_updates (name, data, created_at) values (?, ?, ?)');
  const selectDocument = sqlite.prepare('select snapshot, snapshot_seq from yjs_documents where name = ?');
  const selectUpdates = sqlite.prepare('select data from yjs_updates where name = ? and id > ? order by id').pluck(true);
  // The whole log as one blob plus the length of each update: better-sqlite3 copies every blob into
  // a Buffer of its own, which for a 10,000-update log costs five times the read itself.
  const selectLog = sqlite.prepare(
    "select cast(group_concat(data, x'' order by id) as blob) as data, group_concat(length(data), ',' order by id) as lengths, max(id) as last " +
      'from yjs_updates where name = ? and id > ?',
  );
  const readLog = (name: string, after: number): { updates: Uint8Array[]; lastSeq: number } => {
    const log = selectLog.get(name, after) as { data: Buffer | null; lengths: string | null; last: number | null };
    if (log.data === null || log.lengths === null || log.last === null) return { updates: [], lastSeq: after };
    const lengths = log.lengths.split(',');
    const updates = new Array<Uint8Array>(lengths.length);
    let offset = 0;
    for (let i = 0; i < lengths.length; i++) {
      const end = offset + Number(lengths[i]);
      updates[i] = log.data.subarray(offset, end);
      offset = end;
    }
    // The blobs were concatenated as text, byte for byte in a UTF-8 database; should that ever not
    // hold, the lengths would not add up: then read them one by one.
    if (offset !== log.data.byteLength) return { updates: selectUpdates.all(name, after) as Uint8Array[], lastSeq: log.last };
    return { updates, lastSeq: log.last };
  };
  // One transaction per batch: every update of it is stored, or none (a single insert is one by itself).
  const appendMany = sqlite.transaction((name: string, updates: Uint8Array[], now: string) => {
    for (const data of updates) insert.run(name, data, now);
  });
  statements = {
    append: (name, updates, now) => {
      if (updates.length === 1) insert.run(name, updates[0], now);
      else appendMany(name, updates, now);
    },
    // One read transaction sees the snapshot and the log after it as one consistent state.
    read: sqlite.transaction((name: string): StoredDocument | null => {
      const row = selectDocument.get(name) as { snapshot: Uint8Array | null; snapshot_seq: number } | undefined;
      if (!row) return null;
      return { snapshot: row.snapshot, snapshotSeq: row.snapshot_seq, ...readLog(name, row.snapshot_seq) };
    }),
  };
  sqliteStatements.set(sqlite, statements);
  return statements;
}

/**
 * Reads the snapshot and the log after it, as one consistent state: on SQLite in one read
 * transaction; through Kysely (PostgreSQL), a compaction may commit between the two reads (it moves
 * updates into the snapshot and deletes them), so if the snapshot moved meanwhile, it reads again.
 */
export function readDocument(db: Kysely<Database>, name: string): Promise<StoredDocument | null> {
  return onSqliteConnection(db, (sqlite) => documentStatements(sqlite).read(name)) ?? readDocumentWithKysely(db, name);
}

async function readDocumentWithKysely(db: Kysely<Database>, name: string): Promise<StoredDocument | null> {
  for (let attempt = 0; ; attempt++) {
    const row = await db.selectFrom('yjs_documents').select(['snapshot', 'snapshot_seq']).where('name', '=', name).executeTakeFirst();
    if (!row) return null;
    const updates = await db
      .selectFrom('yjs_updates')
      .select(['id', 'data'])
      .where('name', '=', name)
      .where('id', '>', row.snapshot_seq)
      .orderBy('id')
      .execute();
    const after = await db.selectFrom('yjs_documents').select('snapshot_seq').where('name', '=', name).executeTakeFirst();
    if (after?.snapshot_seq === row.snapshot_seq || attempt >= 10) {
      const lastSeq = updates.length > 0 ? Number(updates[updates.length - 1].id) : row.snapshot_seq;
      return { snapshot: row.snapshot, snapshotSeq: row.snapshot_seq, updates: updates.map((u) => u.data), lastSeq };
    }
  }
}

export async function ensureDocument(db: Kysely<Database>, name: string, now: string): Promise<void> {
  await db
    .insertInto('yjs_documents')
    .values({ name, snapshot: null, snapshot_seq: 0, size_bytes: 0, created_at: now, updated_at: now, cpr_flagged_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Appends updates to the log in one transaction (on PostgreSQL one multi-row insert). */
export function appendUpdates(db: Kysely<Database>, name: string, updates: Uint8Array[], now: string): Promise<void> {
  if (updates.length === 0) return Promise.resolve();
  return (
    onSqliteConnection(db, (sqlite) => documentStatements(sqlite).append(name, updates, now)) ??
    db
      .insertInto('yjs_updates')
      .values(updates.map((data) => ({ name, data, created_at: now })))
      .execute()
      .then(() => undefined)
  );
}

/**
 * Folds the log up to `uptoSeq` into `snapshot` and deletes the folded rows, atomically. On
 * PostgreSQL a transaction-scoped advisory lock keeps two instances from compacting one document
 * at once; the loser simply skips.
 */
export async function writeSnapshot(
  db: Kysely<Database>,
  name: string,
  snapshot: Uint8Array,
  uptoSeq: number,
  now: string,
  postgres: boolean,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (postgres) {
      const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${name})) as locked`.execute(trx);
      if (!lock.rows[0]?.locked) return false;
    }
    const current = await trx.selectFrom('yjs_documents').select('snapshot_seq').where('name', '=', name).executeTakeFirst();
    if (!current || current.snapshot_seq >= uptoSeq) return false;
    await trx
      .updateTable('yjs_documents')
      .set({ snapshot, snapshot_seq: uptoSeq, size_bytes: snapshot.byteLength, updated_at: now })
      .where('name', '=', name)
      .execute();
    await trx.deleteFrom('yjs_updates').where('name', '=', name).where('id', '<=', uptoSeq).execute();
    return true;
  });
}

export async function setCprFlag(db: Kysely<Database>, name: string, flaggedAt: string | null): Promise<void> {
  await db.updateTable('yjs_documents').set({ cpr_flagged_at: flaggedAt }).where('name', '=', name).execute();
}

export async function cprFlaggedDocuments(db: Kysely<Database>, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom('yjs_documents')
    .select(['name', 'cpr_flagged_at'])
    .where('name', 'in', names)
    .where('cpr_flagged_at', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.name, r.cpr_flagged_at!]));
}

export interface PurgeResult {
  /** Stored bytes (snapshot + log) before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** Logged updates folded away. */
  updatesRemoved: number;
}

/**
 * Replaces a document's stored snapshot and whole log by `rebuild(stored)`, atomically (the host's
 * purge). Unlike compaction this always runs and covers every logged row. On SQLite deleted content is
 * overwritten anyway (secure_delete, set in dialect.ts); the WAL, which still holds the pages as they
 * were, is then checkpointed and truncated, so the old bytes are in neither file.
 */
export async function replaceDocument(
  db: Kysely<Database>,
  name: string,
  rebuild: (stored: StoredDocument) => Uint8Array,
  now: string,
  postgres: boolean,
): Promise<PurgeResult | null> {
  const result = await db.transaction().execute(async (trx) => {
    // Waits for a compaction of the same document on another instance rather than skipping.
    if (postgres) await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
    const stored = await readDocument(trx, name);
    if (!stored) return null;
    const bytesBefore = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    const snapshot = rebuild(stored);
    await trx
      .updateTable('yjs_documents')
      .set({ snapshot, snapshot_seq: stored.lastSeq, size_bytes: snapshot.byteLength, updated_at: now })
      .where('name', '=', name)
      .execute();
    await trx.deleteFrom('yjs_updates').where('name', '=', name).where('id', '<=', stored.lastSeq).execute();
    return { bytesBefore, bytesAfter: snapshot.byteLength, updatesRemoved: stored.updates.length };
  });
  if (result) await truncateWal(db);
  return result;
}

/**
 * Copies the WAL into the database file and empties it. The checkpoint worker's own checkpoint or
 * another process's read can keep TRUNCATE from finishing: then it tries again, and if the WAL still
 * holds pages it fails rather than let the purge report success.
 */
async function truncateWal(db: Kysely<Database>, attempts = 20): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const busy = await onSqliteConnection(db, (sqlite) => {
      try {
        const [outcome] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        return outcome?.busy === 1;
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
        throw err;
      }
    });
    if (!busy) return;
    if (attempt >= attempts) throw new Error('the write-ahead log could not be emptied after the purge; run it again');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
