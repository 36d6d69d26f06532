// Yjs stage 4, persistence: where a document lives between loads. The store interface, and the
// database as the store: snapshot + append-only log, compaction that keeps exactly what was stored,
// and a scan of the compacted text for CPR numbers.
import * as Y from 'yjs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { appendUpdates, ensureDocument, readDocument, replaceDocument, setCprFlag, writeSnapshot, type PurgeResult } from '../../db/queries/documents.ts';

export interface LoadedDocument {
  doc: Y.Doc;
  /** Stored size: the snapshot and the logged updates. */
  bytes: number;
  /** Logged updates applied on top of the snapshot. */
  logLength: number;
  /** The stored position the document reflects exactly (the last logged update applied). */
  seq: number;
}

/** Where document state lives between loads. */
export interface DocumentStore {
  /** The stored document, or null if it was never created. Throws if unreadable. */
  loadDoc(name: string): Promise<LoadedDocument | null>;
  /** Creates the document with its initial content unless someone else created it first. */
  create(name: string, initialContent: () => Promise<Uint8Array | null>): Promise<void>;
  /** Appends updates; resolves only once they are durable. */
  append(name: string, updates: Uint8Array[]): Promise<void>;
  /**
   * Folds the update log into a snapshot (and scans it); called after many updates and on unload.
   * With `loaded`, the snapshot is `state`, the encoded state of a document as `loadDoc` returned it
   * at position `seq`, so the log need not be read and applied again.
   */
  compact(name: string, loaded?: { state: Uint8Array; seq: number }): Promise<void>;
}

/** The store did not take an update (e.g. the database is away): nothing was applied or relayed. */
export class StoreUnavailableError extends Error {
  constructor(readonly cause: unknown) {
    super(`the document store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface DatabaseStoreOptions {
  db: Kysely<Database>;
  postgres: boolean;
  now: () => Date;
  /** Tells whether a document's plain text contains personal data that must be flagged to the host. */
  containsPersonalData?: (text: string) => boolean;
}

/**
 * The plain text of every shared type in a document, in document order, for scanning. Walks the
 * items directly so it works whatever type a client used (text, XML, nested elements).
 */
export function documentText(doc: Y.Doc): string {
  const parts: string[] = [];
  const walk = (type: Y.AbstractType<any>) => {
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (content instanceof Y.ContentString) parts.push(content.str);
      else if (content instanceof Y.ContentType) {
        parts.push('\n');
        walk(content.type);
      }
    }
  };
  for (const type of doc.share.values()) {
    walk(type);
    parts.push('\n');
  }
  return parts.join('');
}

export class DatabaseDocumentStore implements DocumentStore {
  constructor(private readonly options: DatabaseStoreOptions) {}

  /**
   * The stored document, built by applying the snapshot and every logged update in one transaction
   * (Y.mergeUpdates of a long log is quadratic-ish: a second for 10,000 rows). Corrupt data throws,
   * and the caller then refuses the document instead of serving an empty one.
   */
  async loadDoc(name: string): Promise<LoadedDocument | null> {
    const stored = await readDocument(this.options.db, name);
    if (!stored) return null;
    const doc = new Y.Doc({ gc: true });
    let bytes = 0;
    try {
      Y.transact(doc, () => {
        if (stored.snapshot) {
          Y.applyUpdate(doc, stored.snapshot, 'store');
          bytes += stored.snapshot.byteLength;
        }
        for (const update of stored.updates) {
          Y.applyUpdate(doc, update, 'store');
          bytes += update.byteLength;
        }
      });
    } catch (err) {
      doc.destroy();
      throw err;
    }
    return { doc, bytes, logLength: stored.updates.length, seq: stored.lastSeq };
  }

  /** The stored state as one update (archiving, tests). */
  async load(name: string): Promise<Uint8Array | null> {
    const loaded = await this.loadDoc(name);
    if (!loaded) return null;
    const state = Y.encodeStateAsUpdate(loaded.doc);
    loaded.doc.destroy();
    return state;
  }

  async create(name: string, initialContent: () => Promise<Uint8Array | null>): Promise<void> {
    const { db, now } = this.options;
    // Whoever inserts the row writes the initial content; a concurrent creator finds the row and skips.
    const initial = await initialContent();
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('yjs_documents').select('name').where('name', '=', name).executeTakeFirst();
      if (before) return;
      await ensureDocument(trx, name, now().toISOString());
      if (initial) await appendUpdates(trx, name, [initial], now().toISOString());
    });
  }

  append(name: string, updates: Uint8Array[]): Promise<void> {
    return appendUpdates(this.options.db, name, updates, this.options.now().toISOString());
  }

  /**
   * The host's purge: rewrites the stored document as its current content only, replacing snapshot
   * and log in one transaction. The rebuilt state keeps the item ids (so clients' copies merge
   * without duplicating anything) but no deleted content: applied to a garbage-collecting Y.Doc,
   * every deleted item's content is dropped, leaving only its id range. Call it with no connection
   * open (their updates may still be in flight).
   */
  async purge(name: string): Promise<PurgeResult | null> {
    const { db, postgres, now } = this.options;
    let text = '';
    const result = await replaceDocument(
      db,
      name,
      (stored) => {
        const doc = new Y.Doc({ gc: true });
        try {
          Y.transact(doc, () => {
            if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
            for (const update of stored.updates) Y.applyUpdate(doc, update);
          });
          text = documentText(doc);
          return Y.encodeStateAsUpdate(doc);
        } finally {
          doc.destroy();
        }
      },
      now().toISOString(),
      postgres,
    );
    if (result && this.options.containsPersonalData) {
      await setCprFlag(db, name, this.options.containsPersonalData(text) ? now().toISOString() : null);
    }
    return result;
  }

  async compact(name: string, loaded?: { state: Uint8Array; seq: number }): Promise<void> {
    const { db, postgres, now } = this.options;
    const doc = new Y.Doc({ gc: true });
    try {
      let snapshot: Uint8Array;
      let uptoSeq: number;
      if (loaded) {
        // The state of a document just loaded from exactly the stored rows up to `seq`: no need to read them again.
        ({ state: snapshot, seq: uptoSeq } = loaded);
        if (this.options.containsPersonalData) Y.applyUpdate(doc, snapshot);
      } else {
        const stored = await readDocument(db, name);
        if (!stored || stored.updates.length === 0) return;
        uptoSeq = stored.lastSeq;
        // Rebuild from what is stored (not from memory), so the snapshot is exactly the stored history,
        // garbage-collected: deleted text does not survive compaction.
        // One transaction for the whole log: per-update transactions cost 120 ms for 10,000 rows.
        Y.transact(doc, () => {
          if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
          for (const update of stored.updates) Y.applyUpdate(doc, update);
        });
        snapshot = Y.encodeStateAsUpdate(doc);
      }
      await writeSnapshot(db, name, snapshot, uptoSeq, now().toISOString(), postgres);
      if (this.options.containsPersonalData) {
        const flagged = this.options.containsPersonalData(documentText(doc));
        await setCprFlag(db, name, flagged ? now().toISOString() : null);
      }
    } finally {
      doc.destroy();
    }
  }
}
