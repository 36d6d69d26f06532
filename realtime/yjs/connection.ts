// Yjs stage 5, connection: one WebSocket speaking the y-websocket protocol to one live document:
// sync, updates, awareness, and our acknowledgement. Read-only connections sync and show presence,
// but their updates never touch the document.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import { YjsCloseCode, YjsMessage } from '../wire/yjs.ts';
import { checkReferences, inspectUpdate, UpdateRefused } from './inspect.ts';
import { decodeAwareness, encodeAwareness, fullStateMessage, message, ProtocolError, syncStep2, updateMessage } from './messages.ts';
import { StoreUnavailableError } from './persistence.ts';
import type { DocumentRegistry } from './registry.ts';
import type { SharedDocument } from './sharedDocument.ts';
import type { Logger } from '../context.ts';
import { TokenBucket } from '../transport/tokenBucket.ts';

export interface ConnectionLimits {
  maxMessageBytes: number;
  maxDocumentBytes: number;
  maxAwarenessBytes: number;
  /** Messages per second a connection may send, with bursts of five seconds' worth. */
  maxMessagesPerSecond: number;
  /** Bytes per second a connection may send, with bursts of five seconds' worth (default 1 MiB/s). */
  maxBytesPerSecond?: number;
  /** Structs plus deletion ranges in one update (default 10,000); more is refused before Yjs decodes it. */
  maxStructsPerUpdate?: number;
  /** Milliseconds per second a connection's updates may spend being checked, with bursts of four seconds' worth (default 250). */
  maxUpdateMsPerSecond?: number;
  /** Concurrent WebSocket connections from one address (default 200); more are refused with HTTP 429. */
  maxConnectionsPerAddress?: number;
}

export const DEFAULT_HOSTILE_LIMITS = {
  maxBytesPerSecond: 1024 * 1024,
  maxStructsPerUpdate: 10_000,
  maxUpdateMsPerSecond: 250,
  maxConnectionsPerAddress: 200,
} as const satisfies Partial<ConnectionLimits>;

export interface ConnectionUser {
  id: string;
  name: string;
}

export interface YjsConnectionOptions {
  socket: WebSocket;
  shared: SharedDocument;
  /** The token that joined `shared` when the upgrade began (so no unload races it). */
  connection: object;
  registry: DocumentRegistry;
  writable: boolean;
  /** Send acknowledgements (message type 100) after this connection's updates are stored. */
  acks: boolean;
  user: ConnectionUser;
  limits: ConnectionLimits;
  log: Logger;
}

const PING_INTERVAL_MS = 30_000;

export function serveConnection(options: YjsConnectionOptions): { close(code: number, reason: string): void } {
  const { socket, shared, connection, registry, writable, acks, user, limits, log } = options;
  const { doc, awareness } = shared;
  /** The one awareness client id this connection may speak for: the first it announces. */
  let ownClientId: number | null = null;
  let closed = false;
  const messages = new TokenBucket(limits.maxMessagesPerSecond, limits.maxMessagesPerSecond * 5);
  const bytesPerSecond = limits.maxBytesPerSecond ?? DEFAULT_HOSTILE_LIMITS.maxBytesPerSecond;
  const bytes = new TokenBucket(bytesPerSecond, bytesPerSecond * 5);
  const maxStructs = limits.maxStructsPerUpdate ?? DEFAULT_HOSTILE_LIMITS.maxStructsPerUpdate;
  const costPerSecond = limits.maxUpdateMsPerSecond ?? DEFAULT_HOSTILE_LIMITS.maxUpdateMsPerSecond;
  /** Milliseconds of checking updates, measured on the monotonic clock. */
  const checkingMs = new TokenBucket(costPerSecond, costPerSecond * 4, () => performance.now());

  const send = (data: Uint8Array) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(data, (err) => {
      if (err) close(YjsCloseCode.shuttingDown, 'send failed');
    });
  };

  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    doc.off('update', onDocUpdate);
    awareness.off('update', onAwarenessUpdate);
    clearInterval(pinger);
    if (ownClientId !== null) shared.dropPresence(ownClientId);
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    registry.release(shared, connection).catch((err) => log.error('yjs release failed', { doc: shared.name, error: String(err) }));
  };

  const onDocUpdate = (update: Uint8Array) => send(updateMessage(update));
  doc.on('update', onDocUpdate);

  const onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const changed = added.concat(updated, removed);
    send(message(YjsMessage.awareness, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed))));
  };
  awareness.on('update', onAwarenessUpdate);

  const sendAck = () => {
    if (acks) send(message(YjsMessage.ack, (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))));
  };

  const receiveUpdate = async (update: Uint8Array) => {
    if (!writable) return; // read-only: dropped without touching the document
    // Untrusted: a bounded walk first (struct count, deletions of known content only), then Yjs's own
    // decoder, which throws on a malformed update before anything is stored. The time both take is
    // charged to the connection, so one that keeps the event loop busy is closed.
    const started = performance.now();
    let affordable = true;
    let decoded;
    try {
      inspectUpdate(update, maxStructs);
      decoded = Y.decodeUpdate(update);
      checkReferences(decoded, doc);
    } catch (err) {
      if (err instanceof UpdateRefused && err.reason === 'too_many_structs') throw new ProtocolError(YjsCloseCode.messageTooLarge, err.message);
      throw new ProtocolError(YjsCloseCode.malformed, err instanceof UpdateRefused ? err.message : 'malformed update');
    } finally {
      affordable = checkingMs.charge(performance.now() - started);
    }
    if (!affordable) throw new ProtocolError(YjsCloseCode.rateLimited, 'updates too costly to apply');
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return sendAck(); // nothing to store
    if (shared.sizeBytes + update.byteLength > limits.maxDocumentBytes) {
      throw new ProtocolError(YjsCloseCode.documentTooLarge, 'document size limit reached');
    }
    await shared.commit(update, connection);
    sendAck();
  };

  const receiveAwareness = (update: Uint8Array) => {
    if (update.byteLength > limits.maxAwarenessBytes) throw new ProtocolError(YjsCloseCode.messageTooLarge, 'awareness state too large');
    // Stock clients echo every awareness change they see, others' included: entries for any client
    // but this connection's own are dropped, so nobody can set or clear another's presence.
    const own = decodeAwareness(update).filter((entry) => {
      if (ownClientId === null && shared.claimPresence(entry.clientId, connection)) ownClientId = entry.clientId;
      return entry.clientId === ownClientId;
    });
    if (own.length === 0) return;
    // The name others see is the signed-in user's, whatever the client claims.
    for (const entry of own) {
      if (entry.state !== null) entry.state = { ...entry.state, user: { ...(entry.state.user as object | undefined), id: user.id, name: user.name } };
    }
    awarenessProtocol.applyAwarenessUpdate(awareness, encodeAwareness(own), connection);
  };

  const handle = async (data: Uint8Array) => {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case YjsMessage.sync: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          // A client with nothing yet (an empty state vector) gets the whole state, encoded once for all such clients.
          const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
          send(empty ? fullStateMessage(shared.encodedState()) : syncStep2(Y.encodeStateAsUpdate(doc, stateVector)));
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          await receiveUpdate(decoding.readVarUint8Array(decoder));
        } else {
          throw new ProtocolError(YjsCloseCode.malformed, `unknown sync message ${syncType}`);
        }
        return;
      }
      case YjsMessage.awareness:
        return receiveAwareness(decoding.readVarUint8Array(decoder));
      case YjsMessage.queryAwareness:
        send(message(YjsMessage.awareness, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()]))));
        return;
      case YjsMessage.auth:
        return; // permissions are settled at the upgrade
      default:
        throw new ProtocolError(YjsCloseCode.malformed, `unknown message type ${type}`);
    }
  };

  // Messages are handled strictly one after another, so an update is never relayed before an earlier one.
  let chain = Promise.resolve();
  socket.binaryType = 'nodebuffer';
  socket.on('message', (raw: Buffer, isBinary: boolean) => {
    if (closed) return;
    if (!isBinary) return close(YjsCloseCode.malformed, 'binary messages only');
    if (raw.byteLength > limits.maxMessageBytes) return close(YjsCloseCode.messageTooLarge, 'message too large');
    if (!messages.take()) return close(YjsCloseCode.rateLimited, 'too many messages');
    if (!bytes.take(raw.byteLength)) return close(YjsCloseCode.rateLimited, 'too many bytes');
    const data = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    chain = chain.then(() =>
      closed
        ? undefined
        : handle(data).catch((err) => {
            if (err instanceof StoreUnavailableError) {
              // Not the client's fault: it reconnects, and its sync sends the unstored edits again.
              log.error('yjs update not stored', { doc: shared.name, error: err.message });
              return close(YjsCloseCode.storeUnavailable, 'database unavailable; reconnect to resend');
            }
            const code = err instanceof ProtocolError ? err.closeCode : YjsCloseCode.malformed;
            log.warn('yjs message refused', { doc: shared.name, code, error: err instanceof Error ? err.message : String(err) });
            close(code, err instanceof ProtocolError ? err.message : 'malformed message');
          }),
    );
  });
  socket.on('close', () => close(1000, 'closed'));
  socket.on('error', () => close(YjsCloseCode.malformed, 'socket error'));

  let alive = true;
  socket.on('pong', () => (alive = true));
  const pinger = setInterval(() => {
    if (!alive) return close(YjsCloseCode.shuttingDown, 'no pong');
    alive = false;
    socket.ping();
  }, PING_INTERVAL_MS);

  // Sync step 1 from our side, whoever is present now, and the stored state vector as the first ack.
  send(message(YjsMessage.sync, (e) => syncProtocol.writeSyncStep1(e, doc)));
  const states = awareness.getStates();
  if (states.size > 0) {
    send(message(YjsMessage.awareness, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [...states.keys()]))));
  }
  sendAck();
  return { close };
}
