// Live Yjs documents in memory: each loaded once however many connections arrive together,
// every update stored (in batches) before it is applied and relayed, unloaded only after the
// last connection has gone and the state is compacted.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';

/** Where document state lives between loads. */
export interface DocumentStore {
  /** The stored document (and its stored size), or null if it was never created. Throws if unreadable. */
  loadDoc(name: string): Promise<{ doc: Y.Doc; bytes: number; logLength: number } | null>;
  /** Creates the document with its initial content unless someone else created it first. */
  create(name: string, initialContent: () => Promise<Uint8Array | null>): Promise<void>;
  /** Appends updates; resolves only once they are durable. */
  append(name: string, updates: Uint8Array[]): Promise<void>;
  /** Folds the update log into a snapshot (and scans it); called after many updates and on unload. */
  compact(name: string): Promise<void>;
}

export class MemoryDocumentStore implements DocumentStore {
  private readonly states = new Map<string, Uint8Array[]>();
  async loadDoc(name: string) {
    const updates = this.states.get(name);
    if (!updates) return null;
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u, 'store')));
    return { doc, bytes: updates.reduce((n, u) => n + u.byteLength, 0), logLength: updates.length };
  }
  async create(name: string, initialContent: () => Promise<Uint8Array | null>) {
    if (this.states.has(name)) return;
    const initial = await initialContent();
    this.states.set(name, initial ? [initial] : []);
  }
  async append(name: string, updates: Uint8Array[]) {
    this.states.get(name)!.push(...updates);
  }
  async compact(name: string) {
    const updates = this.states.get(name);
    if (updates && updates.length > 1) this.states.set(name, [Y.mergeUpdates(updates)]);
  }
}

interface PendingUpdate {
  update: Uint8Array;
  origin: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface SharedDocument {
  name: string;
  doc: Y.Doc;
  awareness: Awareness;
  connections: Set<object>;
  /** Which connection speaks for each awareness client id. */
  awarenessOwners: Map<number, object>;
  /** Approximate stored size: the loaded state plus every update since. */
  sizeBytes: number;
  pending: PendingUpdate[];
  /** The running store-then-apply loop, if any. */
  draining: Promise<void> | null;
  updatesSinceCompaction: number;
}

export interface RegistryOptions {
  /** Initial content of a document created on first open (method-note template, agenda). */
  initialContent?: (name: string) => Promise<Uint8Array | null>;
  /** Compact after this many stored updates (and always on unload). */
  compactEvery?: number;
  onError?: (message: string, err: unknown) => void;
}

export class DocumentRegistry {
  private readonly loading = new Map<string, Promise<SharedDocument>>();
  private readonly compactEvery: number;
  constructor(
    private readonly store: DocumentStore,
    private readonly options: RegistryOptions = {},
  ) {
    this.compactEvery = options.compactEvery ?? 500;
  }

  get size() {
    return this.loading.size;
  }

  /** The live document, loading it if needed; concurrent callers share one load. */
  open(name: string): Promise<SharedDocument> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name);
      this.loading.set(name, pending);
      // A failed load is not cached: the next connection tries again, and no empty doc replaces it.
      pending.catch(() => this.loading.delete(name));
    }
    return pending;
  }

  private async load(name: string): Promise<SharedDocument> {
    let loaded = await this.store.loadDoc(name);
    if (loaded === null) {
      await this.store.create(name, () => this.options.initialContent?.(name) ?? Promise.resolve(null));
      loaded = await this.store.loadDoc(name);
      if (loaded === null) throw new Error(`document ${name} vanished right after creation`);
    }
    const { doc } = loaded;
    // A long log means compaction did not run (a crash): fold it now, so the next load is a snapshot.
    if (loaded.logLength > this.compactEvery) {
      this.store.compact(name).catch((err) => this.options.onError?.(`compaction of ${name} failed`, err));
    }
    const awareness = new Awareness(doc);
    awareness.setLocalState(null); // the server itself is not a participant
    return { name, doc, awareness, connections: new Set(), awarenessOwners: new Map(), sizeBytes: loaded.bytes, pending: [], draining: null, updatesSinceCompaction: 0 };
  }

  /**
   * Stores an update durably, then applies it to the live document (which relays it to every
   * connection). Updates arriving while a write is in flight are stored together in the next batch.
   */
  commit(shared: SharedDocument, update: Uint8Array, origin: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      shared.pending.push({ update, origin, resolve, reject });
      shared.sizeBytes += update.byteLength;
      shared.draining ??= this.drain(shared);
    });
  }

  private async drain(shared: SharedDocument): Promise<void> {
    // Let the rest of this tick's messages join the batch.
    await new Promise((r) => setImmediate(r));
    while (shared.pending.length > 0) {
      const batch = shared.pending.splice(0);
      try {
        await this.store.append(shared.name, batch.map((p) => p.update));
      } catch (err) {
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const p of batch) {
        try {
          Y.applyUpdate(shared.doc, p.update, p.origin);
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
      shared.updatesSinceCompaction += batch.length;
    }
    shared.draining = null;
    if (shared.updatesSinceCompaction >= this.compactEvery) {
      shared.updatesSinceCompaction = 0;
      this.store.compact(shared.name).catch((err) => this.options.onError?.(`compaction of ${shared.name} failed`, err));
    }
  }

  /** Resolves once every update committed so far is stored and applied. */
  async settled(shared: SharedDocument): Promise<void> {
    while (shared.draining) await shared.draining;
  }

  /** Waits until every update committed to these documents (if loaded) is stored and applied. */
  async settleAll(names: string[]): Promise<void> {
    for (const name of names) {
      const loading = this.loading.get(name);
      if (loading) await this.settled(await loading.catch(() => null as never)).catch(() => {});
    }
  }

  /** Releases in progress: shutdown waits for them, so no compaction outlives the database. */
  private readonly releasing = new Set<Promise<void>>();

  /** Drops a connection; the last one out compacts and unloads the document. */
  release(shared: SharedDocument, connection: object): Promise<void> {
    const run = this.releaseNow(shared, connection).finally(() => this.releasing.delete(run));
    this.releasing.add(run);
    return run;
  }

  private async releaseNow(shared: SharedDocument, connection: object): Promise<void> {
    shared.connections.delete(connection);
    if (shared.connections.size > 0) return;
    await this.settled(shared);
    if (shared.connections.size > 0) return; // someone joined while we waited
    try {
      await this.store.compact(shared.name);
    } catch (err) {
      this.options.onError?.(`compaction of ${shared.name} failed`, err);
    }
    if (shared.connections.size > 0 || shared.draining) return;
    const current = this.loading.get(shared.name);
    if (current && (await current) === shared) {
      this.loading.delete(shared.name);
      shared.awareness.destroy();
      shared.doc.destroy();
    }
  }

  /** Waits for every pending write and every release in progress (graceful shutdown). */
  async flushAll(): Promise<void> {
    const docs = await Promise.allSettled([...this.loading.values()]);
    for (const d of docs) if (d.status === 'fulfilled') await this.settled(d.value);
    await Promise.allSettled([...this.releasing]);
  }
}
