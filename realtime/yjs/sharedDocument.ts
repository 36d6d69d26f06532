// One live Yjs document (what the registry holds and connections use): its Y.Doc and presence,
// the connections on it, and the queue that stores each update before applying and relaying it.
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { StoreUnavailableError, type DocumentStore } from './persistence.ts';

/** Origin of updates and awareness changes that came from another instance (not stored again, not relayed back). */
export const RELAYED = Symbol('relayed from another instance');

/** What a live document needs to store, compact and relay its updates; the registry hands it over. */
export interface DocumentWriter {
  store: Pick<DocumentStore, 'append' | 'compact'>;
  /** Compact after this many stored updates (and always on unload, which the registry does). */
  compactEvery: number;
  /** Carries stored updates to the other instances, when there are any. */
  relay?: { publishUpdate(name: string, update: Uint8Array): void };
  onError?: (message: string, err: unknown) => void;
}

interface PendingUpdate {
  update: Uint8Array;
  origin: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SharedDocument {
  readonly awareness: Awareness;
  readonly #writer: DocumentWriter;
  readonly #connections = new Set<object>();
  /** Which connection speaks for each awareness client id. */
  readonly #presenceOwners = new Map<number, object>();
  /** Approximate stored size: the loaded state plus every update since. */
  #sizeBytes: number;
  #pending: PendingUpdate[] = [];
  /** The running store-then-apply loop, if any. */
  #draining: Promise<void> | null = null;
  /** A batch was stored in this turn of the event loop: the next one waits for the next turn, to gather more. */
  #storedThisTurn = false;
  #updatesSinceCompaction = 0;
  /** The whole state as one update (what a client with an empty state vector needs), until the next update. */
  #encodedState: Uint8Array | null = null;
  /** The compaction scheduled after loading a long log, if not yet run. */
  #loadCompaction: NodeJS.Timeout | null = null;

  /** Takes over `doc` as loaded from the store, `sizeBytes` its stored size. */
  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    sizeBytes: number,
    writer: DocumentWriter,
  ) {
    this.#writer = writer;
    this.#sizeBytes = sizeBytes;
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null); // the server itself is not a participant
    doc.on('update', () => (this.#encodedState = null));
  }

  /** Approximate stored size: the loaded state plus every update since. */
  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  /** Counts a connection from the upgrade on, so the document is not unloaded under it. */
  join(connection: object): void {
    this.#connections.add(connection);
  }

  leave(connection: object): void {
    this.#connections.delete(connection);
  }

  get hasConnections(): boolean {
    return this.#connections.size > 0;
  }

  /** Whether updates are being stored and applied right now. */
  get storing(): boolean {
    return this.#draining !== null;
  }

  /** Lets a connection speak for an awareness client id, unless another connection already does. */
  claimPresence(clientId: number, connection: object): boolean {
    if (this.#presenceOwners.has(clientId)) return false;
    this.#presenceOwners.set(clientId, connection);
    return true;
  }

  /** Removes the presence a departing connection spoke for. */
  dropPresence(clientId: number): void {
    this.#presenceOwners.delete(clientId);
    removeAwarenessStates(this.awareness, [clientId], null);
  }

  /** The document's whole state as one update, encoded once for every client that needs it until the next update. */
  encodedState(): Uint8Array {
    return (this.#encodedState ??= Y.encodeStateAsUpdate(this.doc));
  }

  /** Applies an update another instance stored and relayed (not stored again). */
  applyRelayed(update: Uint8Array): void {
    this.#sizeBytes += update.byteLength;
    Y.applyUpdate(this.doc, update, RELAYED);
  }

  applyRelayedPresence(update: Uint8Array): void {
    applyAwarenessUpdate(this.awareness, update, RELAYED);
  }

  /** Applies what the stored document has and this one lacks (after a relay outage); clients receive only that. */
  catchUpWith(stored: Y.Doc): void {
    const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(this.doc));
    Y.applyUpdate(this.doc, missing, RELAYED);
  }

  /**
   * Stores an update durably, then applies it to the live document (which relays it to every
   * connection). Updates arriving while a write is in flight are stored together in the next batch.
   */
  commit(update: Uint8Array, origin: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ update, origin, resolve, reject });
      this.#sizeBytes += update.byteLength;
      this.#draining ??= this.#drain();
    });
  }

  /**
   * Stores pending updates in batches, each applied (and so relayed) only once stored. The first
   * batch is stored as soon as the current task ends (updates committed in it join); while a write is
   * in flight, arriving updates wait for the next batch. When a batch was already stored in this turn
   * of the event loop (a busy document), the next waits for the next turn, gathering every update
   * that arrives meanwhile into one write.
   */
  async #drain(): Promise<void> {
    const { store, relay, onError, compactEvery } = this.#writer;
    if (this.#storedThisTurn) await new Promise((r) => setImmediate(r));
    else await null;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        await store.append(this.name, batch.map((p) => p.update));
      } catch (err) {
        for (const p of batch) p.reject(new StoreUnavailableError(err));
        continue;
      }
      if (!this.#storedThisTurn) {
        this.#storedThisTurn = true;
        setImmediate(() => (this.#storedThisTurn = false));
      }
      for (const p of batch) {
        try {
          Y.applyUpdate(this.doc, p.update, p.origin);
          // Stored, so the other instances may show it too.
          relay?.publishUpdate(this.name, p.update);
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
      this.#updatesSinceCompaction += batch.length;
    }
    this.#draining = null;
    if (this.#updatesSinceCompaction >= compactEvery) {
      this.#updatesSinceCompaction = 0;
      store.compact(this.name).catch((err) => onError?.(`compaction of ${this.name} failed`, err));
    }
  }

  /** Resolves once every update committed so far is stored and applied. */
  async settled(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /**
   * Folds the long log just loaded (position `seq`) into a snapshot, `delayMs` later, off the path of
   * the first clients' sync. The snapshot is the state as loaded, encoded now, before any update
   * (the first client's sync needs exactly this encoding too).
   */
  compactLoadedSoon(seq: number, delayMs: number): void {
    const state = this.encodedState();
    this.#loadCompaction = setTimeout(() => {
      this.#loadCompaction = null;
      this.#writer.store.compact(this.name, { state, seq }).catch((err) => this.#writer.onError?.(`compaction of ${this.name} failed`, err));
    }, delayMs);
  }

  /** Drops the compaction after load if it has not run (a full compaction covers it, or the log stays stored). */
  cancelLoadCompaction(): void {
    if (this.#loadCompaction) clearTimeout(this.#loadCompaction);
    this.#loadCompaction = null;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
