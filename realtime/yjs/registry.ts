// Live Yjs documents in memory: each loaded once however many connections arrive together,
// unloaded only after its last connection has gone and its state is stored.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';

/** Where document state lives between loads. The in-memory store serves the foundation. */
export interface DocumentStore {
  /** Stored state as one update, or null for a new document. Throws if the state cannot be read. */
  load(name: string): Promise<Uint8Array | null>;
  /** Appends updates; resolves only once they are durable. */
  append(name: string, updates: Uint8Array[]): Promise<void>;
  /** Called when a document unloads: a chance to compact. */
  flush(name: string, doc: Y.Doc): Promise<void>;
}

export class MemoryDocumentStore implements DocumentStore {
  private readonly states = new Map<string, Uint8Array>();
  async load(name: string) {
    return this.states.get(name) ?? null;
  }
  async append(name: string, updates: Uint8Array[]) {
    const prev = this.states.get(name);
    this.states.set(name, Y.mergeUpdates(prev ? [prev, ...updates] : updates));
  }
  async flush() {}
}

export interface SharedDocument {
  name: string;
  doc: Y.Doc;
  awareness: Awareness;
  connections: Set<object>;
  /** Serialises durable writes so updates are stored, then applied, in arrival order. */
  queue: Promise<void>;
}

export class DocumentRegistry {
  private readonly loading = new Map<string, Promise<SharedDocument>>();
  constructor(private readonly store: DocumentStore) {}

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
    const state = await this.store.load(name);
    const doc = new Y.Doc({ gc: true });
    if (state) Y.applyUpdate(doc, state, 'store');
    const awareness = new Awareness(doc);
    awareness.setLocalState(null); // the server itself is not a participant
    return { name, doc, awareness, connections: new Set(), queue: Promise.resolve() };
  }

  /** Stores updates durably, then applies them to the live document (which relays them). */
  commit(shared: SharedDocument, updates: Uint8Array[], origin: unknown): Promise<void> {
    const step = shared.queue.then(async () => {
      await this.store.append(shared.name, updates);
      Y.transact(shared.doc, () => {
        for (const u of updates) Y.applyUpdate(shared.doc, u, origin);
      }, origin);
    });
    shared.queue = step.catch(() => {});
    return step;
  }

  /** Drops a connection; the last one out flushes and unloads the document. */
  async release(shared: SharedDocument, connection: object): Promise<void> {
    shared.connections.delete(connection);
    if (shared.connections.size > 0) return;
    await shared.queue;
    if (shared.connections.size > 0) return; // someone joined while we waited
    await this.store.flush(shared.name, shared.doc);
    if (shared.connections.size > 0) return;
    if (this.loading.get(shared.name) && (await this.loading.get(shared.name)) === shared) {
      this.loading.delete(shared.name);
      shared.awareness.destroy();
      shared.doc.destroy();
    }
  }

  /** Waits for every pending write and flushes every document (graceful shutdown). */
  async flushAll(): Promise<void> {
    const docs = await Promise.allSettled([...this.loading.values()]);
    for (const d of docs) {
      if (d.status !== 'fulfilled') continue;
      await d.value.queue;
      await this.store.flush(d.value.name, d.value.doc);
    }
  }
}
