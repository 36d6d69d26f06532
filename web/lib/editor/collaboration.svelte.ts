// The browser side of one shared document: the Yjs doc, its copy in IndexedDB, the y-websocket
// connection with acknowledgements, and what the page shows about them (connection, unsaved
// changes, who is here). Browser-only: create it in onMount.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { YjsCloseCode as CLOSE, YjsMessage } from '$wire/yjs.ts';
import { sessionEnded } from '$lib/live/session.ts';
import { colourIndex } from './colors.ts';
import { SaveTracker, type SavedProgress } from './saveTracker.ts';

const ACK = YjsMessage.ack;
const SYNC = YjsMessage.sync;

/** Key of the save progress in y-indexeddb's custom store, next to the document's updates. */
const PROGRESS_KEY = 'samspil-progress';
/** How long to wait for IndexedDB before connecting anyway (it can hang in some private modes). */
const LOCAL_COPY_TIMEOUT_MS = 3000;
/** While connected, the shown count of unsaved changes settles at most this often (calm live region). */
const STATUS_SETTLE_MS = 1000;

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';
export type ClosedReason = 'forbidden' | 'signedOut' | 'notFound' | 'tooLarge' | 'other';

export interface Person {
  /** The user id the server stamped (or the client id, for a state without one). */
  key: string;
  name: string;
  colour: number;
  isSelf: boolean;
  reading: boolean;
}

export interface SessionOptions {
  /** Yjs document name, e.g. meeting:<id>:note:<providerId>. */
  name: string;
  user: { id: string; name: string };
  writable: boolean;
  /** The server closed the connection because this user's rights changed; it reconnects with the new ones. */
  onRightsChanged?: () => void;
}

export class CollaborationSession {
  phase: ConnectionPhase = $state('connecting');
  /** Changes not yet confirmed stored by the server (exact, for leaving the page). */
  unsynced = $state(0);
  /** When the oldest change not yet stored was made (ms since 1970), or null when everything is stored. */
  unsavedSince: number | null = $state(null);
  /** What the status line shows: the phase, count and since when, with count changes settled while connected. */
  shown = $state({ phase: 'connecting' as ConnectionPhase, unsynced: 0, unsavedSince: null as number | null });
  /** The content is here (from this browser or the server), so edits land in the right place. */
  ready = $state(false);
  /** Offline, and this browser holds no copy of the document. */
  unavailable = $state(false);
  closedReason: ClosedReason | null = $state(null);
  /** Whether unsaved changes survive closing the page (IndexedDB works here). */
  keptLocally = $state(false);
  people: Person[] = $state([]);

  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private readonly tracker: SaveTracker;
  private persistence: IndexeddbPersistence | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private progressQueued = false;
  private destroyed = false;
  private checkingSignIn = false;

  constructor(private readonly options: SessionOptions) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.tracker = new SaveTracker(this.doc);
    this.provider = new WebsocketProvider(`${scheme}://${location.host}/yjs`, options.name, this.doc, {
      connect: false,
      params: { acks: '1' },
      // Other tabs get the document from the server; a BroadcastChannel copy would skew the count.
      disableBc: true,
      // y-websocket's default: 4400–4499 are final (closed, below), everything else reconnects,
      // rightsChanged (4301) included.
    });
    this.listen();
    this.provider.awareness.setLocalStateField('user', {
      id: options.user.id,
      name: options.user.name,
      colour: colourIndex(options.user.id),
      reading: !options.writable,
    });
    this.refreshPeople();
  }

  /** Loads the copy in this browser (writers only), then connects. */
  async start(): Promise<void> {
    if (this.options.writable && typeof indexedDB !== 'undefined') {
      // Per user, so someone else signing in on this browser never picks up these edits.
      this.persistence = new IndexeddbPersistence(`samspil:${this.options.user.id}:${this.options.name}`, this.doc);
      const loaded = await Promise.race([
        this.persistence.whenSynced.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), LOCAL_COPY_TIMEOUT_MS)),
      ]);
      // What earlier pages here knew the server had stored, so a reload while offline counts only what is really unsaved.
      const progress = loaded ? parseProgress(await this.persistence.get(PROGRESS_KEY).catch(() => null)) : null;
      if (this.destroyed) return;
      this.keptLocally = loaded;
      if (progress) {
        this.tracker.restore(progress);
        this.unsavedSince = progress.unsavedSince;
      }
      if (loaded && this.doc.getXmlFragment('content').length > 0) this.ready = true;
    }
    this.refreshCount();
    if (navigator.onLine) {
      this.provider.connect();
    } else {
      this.setPhase('offline');
      this.unavailable = !this.ready;
    }
  }

  destroy(): void {
    this.destroyed = true;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.provider.destroy();
    void this.persistence?.destroy();
    this.doc.destroy();
  }

  private listen() {
    const { provider, tracker } = this;

    provider.messageHandlers[ACK] = (_encoder, decoder) => {
      tracker.acknowledge(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
      this.refreshCount();
    };
    // y-websocket answers the server's sync step 1 with our whole state (sync step 2): note it, so
    // the acknowledgement that follows confirms every deletion made so far.
    const sync = provider.messageHandlers[SYNC];
    provider.messageHandlers[SYNC] = (encoder, decoder, p, emitSynced, type) => {
      const isStep1 = decoding.peekVarUint(decoder) === messageYjsSyncStep1;
      sync(encoder, decoder, p, emitSynced, type);
      if (isStep1) tracker.fullStateSent();
    };

    // Registered after y-websocket's own listener, so a local update has already been sent (if it could be).
    this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      if (origin === provider) tracker.serverUpdate(update);
      else tracker.localUpdate(transaction, provider.wsconnected && provider.ws?.readyState === WebSocket.OPEN);
      this.refreshCount();
    });

    provider.on('status', ({ status }) => {
      if (status === 'connected') {
        tracker.connectionOpened();
        this.setPhase('connected');
      } else if (status === 'disconnected') {
        tracker.connectionClosed();
        if (this.phase !== 'closed') this.setPhase(navigator.onLine ? 'reconnecting' : 'offline');
      } else if (this.phase !== 'connecting' && this.phase !== 'closed') {
        this.setPhase(navigator.onLine ? 'reconnecting' : 'offline');
      }
      this.refreshCount();
    });
    provider.on('sync', (synced) => {
      if (synced) {
        this.ready = true;
        this.unavailable = false;
      }
    });
    provider.on('connection-close', (event) => {
      if (event?.code === CLOSE.rightsChanged) this.options.onRightsChanged?.();
      // A refused upgrade (an expired session is refused before the socket opens) reaches the
      // browser only as 1006, like a network failure; the API says which it was.
      if (event?.code === 1006 && !provider.wsconnected) void this.checkSignedIn();
    });
    provider.on('closed', ({ code }) => {
      this.closedReason = closedReason(code);
      this.setPhase('closed');
    });
    provider.awareness.on('change', () => this.refreshPeople());

    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  /** Stops reconnecting and says so when the API no longer knows this browser's session. */
  private async checkSignedIn() {
    if (this.checkingSignIn || this.destroyed) return;
    this.checkingSignIn = true;
    try {
      if ((await sessionEnded()) && !this.destroyed && this.phase !== 'closed') {
        this.closedReason = 'signedOut';
        this.setPhase('closed');
        this.provider.disconnect();
      }
    } finally {
      this.checkingSignIn = false;
    }
  }

  // The socket may take half a minute to notice the network is gone; the browser knows at once.
  private readonly onOffline = () => {
    if (this.phase === 'closed') return;
    this.provider.disconnect();
    this.setPhase('offline');
    this.unavailable = !this.ready;
  };

  private readonly onOnline = () => {
    if (this.phase === 'closed') return;
    this.unavailable = false;
    this.setPhase(this.phase === 'connecting' ? 'connecting' : 'reconnecting');
    this.provider.connect();
  };

  private setPhase(phase: ConnectionPhase) {
    this.phase = phase;
    this.showStatus();
  }

  private refreshCount() {
    this.unsynced = this.tracker.unsynced();
    // The clock starts at the first unsaved change and stops only once everything is stored.
    this.unsavedSince = this.unsynced === 0 ? null : (this.unsavedSince ?? Date.now());
    this.showStatus();
    this.saveProgress();
  }

  /** Keeps the acknowledged state in IndexedDB, once per burst of changes. */
  private saveProgress() {
    if (!this.keptLocally || this.progressQueued) return;
    this.progressQueued = true;
    queueMicrotask(() => {
      this.progressQueued = false;
      if (this.destroyed || !this.persistence) return;
      const stored: StoredProgress = { ...this.tracker.progress(), unsavedSince: this.unsavedSince };
      this.persistence.set(PROGRESS_KEY, JSON.stringify(stored)).catch(() => {});
    });
  }

  /**
   * Going unsaved, or any change of connection, shows at once; while connected, the count and the
   * return to "all saved" settle once a second, so typing does not make the live region chatter.
   */
  private showStatus() {
    const immediate = this.shown.phase !== this.phase || this.phase !== 'connected' || (this.shown.unsynced === 0 && this.unsynced > 0);
    if (immediate) {
      this.shown = { phase: this.phase, unsynced: this.unsynced, unsavedSince: this.unsavedSince };
      return;
    }
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = null;
      if (!this.destroyed) this.shown = { phase: this.phase, unsynced: this.unsynced, unsavedSince: this.unsavedSince };
    }, STATUS_SETTLE_MS);
  }

  private refreshPeople() {
    // A scratch map, rebuilt on each change and published as the `people` array.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const people = new Map<string, Person>();
    const self = this.provider.awareness.clientID;
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = (state as { user?: { id?: unknown; name?: unknown; reading?: unknown } }).user;
      if (!user || typeof user.name !== 'string') continue;
      const key = typeof user.id === 'string' ? user.id : `client-${clientId}`;
      const existing = people.get(key);
      const isSelf = clientId === self || key === this.options.user.id;
      // One entry per person, however many tabs they have open; writing wins over reading.
      people.set(key, {
        key,
        name: user.name,
        colour: colourIndex(key),
        isSelf: isSelf || (existing?.isSelf ?? false),
        reading: user.reading === true && (existing?.reading ?? true),
      });
    }
    this.people = [...people.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name, 'da'));
  }
}

/** The save progress as kept in IndexedDB: the tracker's, and since when the page showed work unsaved. */
type StoredProgress = SavedProgress & { unsavedSince: number | null };

function parseProgress(stored: unknown): StoredProgress {
  const empty: StoredProgress = { acknowledged: [], pendingDeletions: 0, unsavedSince: null };
  if (typeof stored !== 'string') return empty;
  try {
    const value = JSON.parse(stored) as Partial<StoredProgress>;
    const acknowledged = Array.isArray(value.acknowledged)
      ? value.acknowledged.filter((e): e is [number, number] => Array.isArray(e) && Number.isInteger(e[0]) && Number.isInteger(e[1]))
      : [];
    const pendingDeletions = Number.isInteger(value.pendingDeletions) ? Math.max(0, value.pendingDeletions as number) : 0;
    const unsavedSince = Number.isFinite(value.unsavedSince) ? (value.unsavedSince as number) : null;
    return { acknowledged, pendingDeletions, unsavedSince };
  } catch {
    return empty;
  }
}

function closedReason(code: number): ClosedReason {
  switch (code) {
    case CLOSE.forbidden:
      return 'forbidden';
    case CLOSE.unauthenticated:
    case CLOSE.sessionRevoked:
      return 'signedOut';
    case CLOSE.notFound:
      return 'notFound';
    case CLOSE.documentTooLarge:
    case CLOSE.messageTooLarge:
      return 'tooLarge';
    default:
      return 'other';
  }
}
