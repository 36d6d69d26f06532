// Yjs stage 3, registry: the live documents in memory, each loaded once however many connections
// arrive together, followed on the other instances while loaded, and unloaded only after the last
// connection has gone and the state is compacted.
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { DocumentStore } from './persistence.ts';
import { RELAYED, SharedDocument, type DocumentWriter } from './sharedDocument.ts';

/** What a loaded document does with what other instances relay. */
export interface RelayHandlers {
  update(update: Uint8Array): void;
  awareness(update: Uint8Array): void;
}

/** Carries stored updates and awareness to the other instances (cluster/yjsRelay.ts), when there are any. */
export interface DocumentRelay {
  follow(name: string, handlers: RelayHandlers): void;
  unfollow(name: string): void;
  publishUpdate(name: string, update: Uint8Array): void;
  publishAwareness(name: string, update: Uint8Array): void;
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
  /** What every loaded document stores, compacts and relays its updates with. */
  private readonly writer: DocumentWriter;
  constructor(
    private readonly store: DocumentStore,
    private readonly options: RegistryOptions = {},
  ) {
    this.writer = { store, compactEvery: options.compactEvery ?? 500, relay: options.relay, onError: options.onError };
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
      if (kind === 'update') ready.applyRelayed(data);
      else ready.applyRelayedPresence(data);
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
    const shared = new SharedDocument(name, loaded.doc, loaded.bytes, this.writer);
    // A long log means compaction did not run (a crash): fold it soon, so the next load is a snapshot.
    if (loaded.logLength > this.writer.compactEvery) shared.compactLoadedSoon(loaded.seq, this.options.loadCompactionDelayMs ?? 1000);
    return shared;
  }

  /** Waits until every update committed to these documents (if loaded) is stored and applied. */
  async settleAll(names: string[]): Promise<void> {
    for (const name of names) {
      const loading = this.loading.get(name);
      if (loading) await (await loading.catch(() => null))?.settled().catch(() => {});
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
    shared.leave(connection);
    if (shared.hasConnections) return;
    await shared.settled();
    if (shared.hasConnections) return; // someone joined while we waited
    shared.cancelLoadCompaction(); // the full compaction below covers it
    try {
      await this.store.compact(shared.name);
    } catch (err) {
      this.options.onError?.(`compaction of ${shared.name} failed`, err);
    }
    if (shared.hasConnections || shared.storing) return;
    const current = this.loading.get(shared.name);
    if (current && (await current) === shared) {
      this.loading.delete(shared.name);
      this.options.relay?.unfollow(shared.name);
      shared.destroy();
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
        try {
          shared.catchUpWith(stored.doc);
        } finally {
          stored.doc.destroy();
        }
      } catch (err) {
        this.options.onError?.(`catching up ${shared.name} from the store failed`, err);
      }
    }
  }

  /** Waits for every pending write and every release in progress (graceful shutdown). */
  async flushAll(): Promise<void> {
    const docs = await Promise.allSettled([...this.loading.values()]);
    for (const d of docs) if (d.status === 'fulfilled') await d.value.settled();
    await Promise.allSettled([...this.releasing]);
    // A compaction after load that has not started is left for the next load: the log is stored.
    for (const d of docs) if (d.status === 'fulfilled') d.value.cancelLoadCompaction();
  }
}
