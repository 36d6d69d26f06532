// Counts the changes in this browser that the server has not yet confirmed storing, from its
// acknowledgements (never from the socket merely being open).
//
// Insertions are counted by state vector: Σ over clients of max(0, local clock − acknowledged clock).
// That also counts edits restored from IndexedDB after a reload, whatever client id wrote them.
// Deletions do not advance a Yjs clock, so a state vector cannot show them; each local transaction
// that deleted something counts as one change until an acknowledgement covers the message that
// carried it. The server handles a connection's messages strictly in order and acknowledges each
// update (and the sync step 2) once stored, after one greeting acknowledgement on connect, so the
// n-th acknowledgement after the greeting answers the n-th such message we sent
// (realtime/yjs/connection.ts). If the server ever acknowledged more often than that, deletions
// would show as saved too early: the contract in realtime/wire/yjs.ts (YjsMessage.ack) must keep this.
import * as Y from 'yjs';

/** Which of our local changes an acknowledgement still to come will confirm. */
type ExpectedAck =
  | { kind: 'greeting' }
  /** A live update carries one local change. */
  | { kind: 'update'; seq: number }
  /** Sync step 2 carries the whole state: every change so far, deletions included. */
  | { kind: 'fullState'; upTo: number };

/** Sequence number of deletions restored from an earlier page: covered by the next full state sent. */
const RESTORED = 0;

/** What survives a reload (kept in IndexedDB next to the document). */
export interface SavedProgress {
  acknowledged: Array<[client: number, clock: number]>;
  pendingDeletions: number;
}

export class SaveTracker {
  private acknowledged = new Map<number, number>();
  private seq = RESTORED;
  /** Local transactions that deleted something, by sequence number, not yet confirmed stored. */
  private pendingDeletions: number[] = [];
  /** The acknowledgements still to come on this connection, in order. */
  private expectedAcks: ExpectedAck[] = [];

  constructor(private readonly doc: Y.Doc) {}

  unsynced(): number {
    let count = this.pendingDeletions.length;
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      count += Math.max(0, clock - (this.acknowledged.get(client) ?? 0));
    }
    return count;
  }

  progress(): SavedProgress {
    return { acknowledged: [...this.acknowledged], pendingDeletions: this.pendingDeletions.length };
  }

  /** What an earlier page in this browser knew, before this page has heard from the server. */
  restore(saved: SavedProgress): void {
    for (const [client, clock] of saved.acknowledged) this.raise(client, clock);
    for (let i = 0; i < saved.pendingDeletions; i++) this.pendingDeletions.push(RESTORED);
  }

  /**
   * A change that did not come from the server: typed here, undone here, or restored from
   * IndexedDB. `sent` says whether y-websocket has just sent it on an open connection.
   */
  localUpdate(transaction: Y.Transaction, sent: boolean): void {
    this.seq++;
    // Restored updates (transaction.local is false) were counted by restore(), not here.
    if (transaction.local && transaction.deleteSet.clients.size > 0) this.pendingDeletions.push(this.seq);
    if (sent) this.expectedAcks.push({ kind: 'update', seq: this.seq });
  }

  /** An update relayed by the server: it stores every update before relaying it, so its content is safe. */
  serverUpdate(update: Uint8Array): void {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct instanceof Y.Skip) continue;
      this.raise(struct.id.client, struct.id.clock + struct.length);
    }
  }

  connectionOpened(): void {
    this.expectedAcks = [{ kind: 'greeting' }];
  }

  /** We answered the server's sync step 1 with everything the server lacks, deletions included. */
  fullStateSent(): void {
    this.expectedAcks.push({ kind: 'fullState', upTo: this.seq });
  }

  connectionClosed(): void {
    this.expectedAcks = [];
  }

  /** An acknowledgement: the server's state vector right after storing our next message. */
  acknowledge(stateVector: Map<number, number>): void {
    const confirmed = this.expectedAcks.shift();
    if (confirmed?.kind === 'greeting') {
      // The server's whole stored state: what it lacks is unsaved, whatever this browser believed.
      this.acknowledged = new Map(stateVector);
      return;
    }
    for (const [client, clock] of stateVector) this.raise(client, clock);
    if (confirmed?.kind === 'update') this.pendingDeletions = this.pendingDeletions.filter((seq) => seq !== confirmed.seq);
    if (confirmed?.kind === 'fullState') this.pendingDeletions = this.pendingDeletions.filter((seq) => seq > confirmed.upTo);
  }

  private raise(client: number, clock: number) {
    if (clock > (this.acknowledged.get(client) ?? 0)) this.acknowledged.set(client, clock);
  }
}
