// Live Yjs documents in memory: each loaded once however many connections arrive together,
// every update stored (in batches) before it is applied and relayed, unloaded only after the
// last connection has gone and the state is compacted.
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';

/** Origin of updates and awareness changes that came from another instance (not stored again, not relayed back). */
export const RELAYED = Symbol('relayed from another instance');

/** The store did not take an update (e.g. the database is away): nothing was applied or relayed. */
export class StoreUnavailableError extends Error {
  constructor(readonly cause: unknown) {
    super(`the document store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Carries stored updates and awareness to the other instances (cluster/yjsRelay.ts), when there are any. */
export interface DocumentRelay {
  follow(name: string, handlers: { update(update: Uint8Array): void; awareness(update: Uint8Array): void }): void;
  unfollow(name: string): void;
  publishUpdate(name: string, update: Uint8Array): void;
  publishAwareness(name: string, update: Uint8Array): void;
}

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

export class MemoryDocumentStore implements DocumentStore {
  private readonly states = new Map<string, Uint8Array[]>();
  async loadDoc(name: string) {
    const updates = this.states.get(name);
    if (!updates) return null;
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u, 'store')));
    return { doc, bytes: updates.reduce((n, u) => n + u.byteLength, 0), logLength: updates.length, seq: updates.length };
  }
  async create(name: string, initialContent: () => Promise<Uint8Array | null>) {
    if (this.states.has(name)) return;
    const initial = await initialContent();
    this.states.set(name, initial ? [initial] : []);
  }
  async append(name: string, updates: Uint8Array[]) {
    this.states.get(name)!.push(...updates);
  }
  async compact(name: string, loaded?: { state: Uint8Array; seq: number }) {
    const updates = this.states.get(name);
    if (updates && loaded) this.states.set(name, [loaded.state, ...updates.slice(loaded.seq)]);
    else if (updates && updates.length > 1) this.states.set(name, [Y.mergeUpdates(updates)]);
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
  /** A batch was stored in this turn of the event loop: the next one waits for the next turn, to gather more. */
  storedThisTurn: boolean;
  updatesSinceCompaction: number;
  /** The whole state as one update (what a client with an empty state vector needs), until the next update. */
  encodedState: Uint8Array | null;
  /** The compaction scheduled after loading a long log, if not yet run. */
  loadCompaction: NodeJS.Timeout | null;
}

export interface RegistryOptions {
  /** Initial content of a document created on first open (method-note template, agenda). */
  initialContent?: (name: string) => Promise<Uint8Array | null>;
  /** Compact after this many stored updates (and always on unload). */
  compactEvery?: number;
  /** After loading a log longer than `compactEvery`, fold it into a snapshot this much later (ms). */
  loadCompactionDelayMs?: number;
  onError?: (message: string, err: unknown) => void;
  relay?: DocumentRelay;
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
    // Hear the other instances before reading the store, so nothing published in between is missed
    // (applying an update twice is harmless); what arrives before the document exists waits.
    const relay = this.options.relay;
    let ready: SharedDocument | null = null;
    const early: Array<{ kind: 'update' | 'awareness'; data: Uint8Array }> = [];
    const receive = (kind: 'update' | 'awareness', data: Uint8Array) => {
      if (!ready) return void early.push({ kind, data });
      if (kind === 'update') {
        ready.sizeBytes += data.byteLength;
        Y.applyUpdate(ready.doc, data, RELAYED);
      } else {
        applyAwarenessUpdate(ready.awareness, data, RELAYED);
      }
    };
    relay?.follow(name, { update: (u) => receive('update', u), awareness: (u) => receive('awareness', u) });
    try {
      ready = await this.loadFromStore(name);
    } catch (err) {
      relay?.unfollow(name);
      throw err;
    }
    for (const { kind, data } of early.splice(0)) receive(kind, data);
    if (relay) {
      const shared = ready;
      shared.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin !== RELAYED) relay.publishAwareness(name, encodeAwarenessUpdate(shared.awareness, added.concat(updated, removed)));
      });
    }
    return ready;
  }

  private async loadFromStore(name: string): Promise<SharedDocument> {
    let loaded = await this.store.loadDoc(name);
    if (loaded === null) {
      await this.store.create(name, () => this.options.initialContent?.(name) ?? Promise.resolve(null));
      loaded = await this.store.loadDoc(name);
      if (loaded === null) throw new Error(`document ${name} vanished right after creation`);
    }
    const { doc } = loaded;
    const awareness = new Awareness(doc);
    awareness.setLocalState(null); // the server itself is not a participant
    const shared: SharedDocument = {
      name,
      doc,
      awareness,
      connections: new Set(),
      awarenessOwners: new Map(),
      sizeBytes: loaded.bytes,
      pending: [],
      draining: null,
      storedThisTurn: false,
      updatesSinceCompaction: 0,
      encodedState: null,
      loadCompaction: null,
    };
    doc.on('update', () => (shared.encodedState = null));
    // A long log means compaction did not run (a crash): fold it soon, so the next load is a snapshot.
    // Its snapshot is the state just loaded (encoded now, before any update; the first client's sync
    // needs exactly this encoding too), written a little later, off the path of the first clients' sync.
    if (loaded.logLength > this.compactEvery) {
      const state = this.encodedState(shared);
      shared.loadCompaction = setTimeout(() => {
        shared.loadCompaction = null;
        this.store.compact(name, { state, seq: loaded.seq }).catch((err) => this.options.onError?.(`compaction of ${name} failed`, err));
      }, this.options.loadCompactionDelayMs ?? 1000);
    }
    return shared;
  }

  /** The document's whole state as one update, encoded once for every client that needs it until the next update. */
  encodedState(shared: SharedDocument): Uint8Array {
    return (shared.encodedState ??= Y.encodeStateAsUpdate(shared.doc));
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

  /**
   * Stores pending updates in batches, each applied (and so relayed) only once stored. The first
   * batch is stored as soon as the current task ends (updates committed in it join); while a write is
   * in flight, arriving updates wait for the next batch. When a batch was already stored in this turn
   * of the event loop (a busy document), the next waits for the next turn, gathering every update
   * that arrives meanwhile into one write.
   */
  private async drain(shared: SharedDocument): Promise<void> {
    if (shared.storedThisTurn) await new Promise((r) => setImmediate(r));
    else await null;
    while (shared.pending.length > 0) {
      const batch = shared.pending.splice(0);
      try {
        await this.store.append(shared.name, batch.map((p) => p.update));
      } catch (err) {
        for (const p of batch) p.reject(new StoreUnavailableError(err));
        continue;
      }
      if (!shared.storedThisTurn) {
        shared.storedThisTurn = true;
        setImmediate(() => (shared.storedThisTurn = false));
      }
      for (const p of batch) {
        try {
          Y.applyUpdate(shared.doc, p.update, p.origin);
          // Stored, so the other instances may show it too.
          this.options.relay?.publishUpdate(shared.name, p.update);
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
    if (shared.loadCompaction) {
      clearTimeout(shared.loadCompaction); // the full compaction below covers it
      shared.loadCompaction = null;
    }
    try {
      await this.store.compact(shared.name);
    } catch (err) {
      this.options.onError?.(`compaction of ${shared.name} failed`, err);
    }
    if (shared.connections.size > 0 || shared.draining) return;
    const current = this.loading.get(shared.name);
    if (current && (await current) === shared) {
      this.loading.delete(shared.name);
      this.options.relay?.unfollow(shared.name);
      shared.awareness.destroy();
      shared.doc.destroy();
    }
  }

  /**
   * Brings every loaded document up to what is stored (after a relay outage, when other instances'
   * updates may have been missed); clients receive only what they lacked.
   */
  async catchUpFromStore(): Promise<void> {
    for (const pending of [...this.loading.values()]) {
      const shared = await pending.catch(() => null);
      if (!shared) continue;
      try {
        const stored = await this.store.loadDoc(shared.name);
        if (!stored) continue;
        const missing = Y.encodeStateAsUpdate(stored.doc, Y.encodeStateVector(shared.doc));
        stored.doc.destroy();
        Y.applyUpdate(shared.doc, missing, RELAYED);
      } catch (err) {
        this.options.onError?.(`catching up ${shared.name} from the store failed`, err);
      }
    }
  }

  /** Waits for every pending write and every release in progress (graceful shutdown). */
  async flushAll(): Promise<void> {
    const docs = await Promise.allSettled([...this.loading.values()]);
    for (const d of docs) if (d.status === 'fulfilled') await this.settled(d.value);
    await Promise.allSettled([...this.releasing]);
    // A compaction after load that has not started is left for the next load: the log is stored.
    for (const d of docs) if (d.status === 'fulfilled' && d.value.loadCompaction) clearTimeout(d.value.loadCompaction);
  }
}
