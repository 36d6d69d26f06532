// A bare y-websocket protocol client (ws + y-protocols/sync + one Y.Doc), with no provider, no
// reconnection and no awareness bookkeeping, so that the benchmark's clients cost as little as possible.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

export interface RawClientOptions {
  /** Announce one awareness state after connecting, as an editor would. */
  presence?: { name: string };
  syncTimeoutMs?: number;
}

export class RawClient {
  readonly doc = new Y.Doc();
  readonly socket: WebSocket;
  /** performance.now() when the socket was created, and when the server's sync step 2 had been applied. */
  readonly startedAt = performance.now();
  syncedAt = 0;
  /** Resolves once the server's answer to our sync step 1 is applied; rejects on refusal, close or timeout. */
  readonly synced: Promise<void>;

  constructor(
    readonly url: string,
    options: RawClientOptions = {},
  ) {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    this.synced = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no sync within ${options.syncTimeoutMs ?? 30_000} ms`), options.syncTimeoutMs ?? 30_000);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`${this.url.replace(/token=[^&]+/, 'token=…')}: ${why}`));
      };
      this.socket.on('unexpected-response', (_req, res) => fail(`upgrade refused with HTTP ${res.statusCode}`));
      this.socket.on('error', (err) => fail(`socket error: ${err.message}`));
      this.socket.on('close', (code, reason) => {
        if (!this.syncedAt) fail(`closed before sync (${code} ${reason.toString()})`);
      });
      this.socket.on('open', () => {
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep1(e, this.doc);
        });
        if (options.presence) this.announce(options.presence);
      });
      this.socket.on('message', (data: Buffer) => {
        if (this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    this.synced.catch(() => {}); // callers that never await it must not crash the process
    // Local edits go to the server as update messages; remote ones (origin = this) do not echo back.
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeUpdate(e, update);
      });
    });
  }

  /** Applies one server message; answers true when it completed the initial sync. */
  private receive(data: Uint8Array): boolean {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false; // awareness and acks are not needed here
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const kind = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
    if (encoding.length(reply) > 1) this.socket.send(encoding.toUint8Array(reply));
    if (kind === syncProtocol.messageYjsSyncStep2 && !this.syncedAt) {
      this.syncedAt = performance.now();
      return true;
    }
    return false;
  }

  private announce(presence: { name: string }) {
    const awareness = new awarenessProtocol.Awareness(this.doc);
    awareness.setLocalState({ user: presence });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [this.doc.clientID]);
    awareness.destroy();
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, update);
    });
  }

  send(write: (e: encoding.Encoder) => void) {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    write(e);
    this.socket.send(encoding.toUint8Array(e));
  }

  /** Sends raw updates as y-websocket update messages (feeding a server), without touching our doc. */
  sendUpdate(update: Uint8Array) {
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeUpdate(e, update);
    });
  }

  /** A fresh sync step 1 and its answer: messages are handled in order, so everything sent before is applied. */
  roundTrip(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.url}: no answer to sync step 1 within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (data: Buffer) => {
        const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if (decoding.readVarUint(d) === MESSAGE_SYNC && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2) {
          clearTimeout(timer);
          this.socket.off('message', onMessage);
          resolve();
        }
      };
      this.socket.on('message', onMessage);
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(e, this.doc);
      });
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
      setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2_000).unref();
    }).finally(() => this.doc.destroy());
  }
}
