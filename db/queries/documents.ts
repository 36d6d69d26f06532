// Stored Yjs documents: an append-only update log folded now and then into one snapshot.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface StoredDocument {
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  updates: Array<{ id: number; data: Uint8Array }>;
}

/**
 * Reads the snapshot and the log after it. A compaction may commit between the two reads (it moves
 * updates into the snapshot and deletes them); if the snapshot moved meanwhile, read again.
 */
export async function readDocument(db: Kysely<Database>, name: string): Promise<StoredDocument | null> {
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
      return { snapshot: row.snapshot, snapshotSeq: row.snapshot_seq, updates: updates.map((u) => ({ id: Number(u.id), data: u.data })) };
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

export async function appendUpdates(db: Kysely<Database>, name: string, updates: Uint8Array[], now: string): Promise<void> {
  if (updates.length === 0) return;
  await db
    .insertInto('yjs_updates')
    .values(updates.map((data) => ({ name, data, created_at: now })))
    .execute();
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
