// One WebSocket speaking the y-websocket protocol to one live document: sync, updates, awareness.
// Read-only connections sync and show presence, but their updates never touch the document.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import { YjsCloseCode, YjsMessage } from '../protocol.ts';
import type { DocumentRegistry, SharedDocument } from './registry.ts';
import type { Logger } from '../context.ts';

export interface ConnectionLimits {
  maxMessageBytes: number;
  /** Messages per second a connection may send, averaged over a few seconds. */
  maxMessagesPerSecond: number;
}

export interface YjsConnectionOptions {
  socket: WebSocket;
  shared: SharedDocument;
  /** The token already counted in `shared.connections` when the upgrade began (so no unload races it). */
  connection: object;
  registry: DocumentRegistry;
  writable: boolean;
  limits: ConnectionLimits;
  log: Logger;
}

const PING_INTERVAL_MS = 30_000;

export function serveConnection({ socket, shared, connection, registry, writable, limits, log }: YjsConnectionOptions): void {
  const { doc, awareness } = shared;
  /** Awareness client ids this connection has announced, removed when it leaves. */
  const ownClients = new Set<number>();
  let closed = false;
  let tokens = limits.maxMessagesPerSecond * 5;
  let lastRefill = Date.now();

  const send = (message: Uint8Array) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(message, (err) => {
      if (err) close(YjsCloseCode.shuttingDown, 'send failed');
    });
  };

  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    doc.off('update', onDocUpdate);
    awareness.off('update', onAwarenessUpdate);
    clearInterval(pinger);
    if (ownClients.size) awarenessProtocol.removeAwarenessStates(awareness, [...ownClients], null);
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    registry.release(shared, connection).catch((err) => log.error('yjs release failed', { doc: shared.name, error: String(err) }));
  };

  const onDocUpdate = (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YjsMessage.sync);
    syncProtocol.writeUpdate(encoder, update);
    send(encoding.toUint8Array(encoder));
  };
  doc.on('update', onDocUpdate);

  const onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const changed = added.concat(updated, removed);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, YjsMessage.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    send(encoding.toUint8Array(encoder));
  };
  awareness.on('update', onAwarenessUpdate);

  const handle = async (data: Uint8Array) => {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case YjsMessage.sync: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, YjsMessage.sync);
          syncProtocol.writeSyncStep2(encoder, doc, decoding.readVarUint8Array(decoder));
          send(encoding.toUint8Array(encoder));
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          const update = decoding.readVarUint8Array(decoder);
          if (!writable) return; // read-only: dropped without touching the document
          Y.decodeUpdate(update); // throws on a malformed update before anything is stored
          await registry.commit(shared, [update], connection);
        } else {
          throw new Error(`unknown sync message ${syncType}`);
        }
        return;
      }
      case YjsMessage.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        awarenessProtocol.applyAwarenessUpdate(awareness, update, connection);
        for (const id of awarenessClientIds(update)) ownClients.add(id);
        return;
      }
      case YjsMessage.queryAwareness: {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, YjsMessage.awareness);
        encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [...awareness.getStates().keys()]));
        send(encoding.toUint8Array(encoder));
        return;
      }
      default:
        throw new Error(`unknown message type ${type}`);
    }
  };

  socket.binaryType = 'nodebuffer';
  socket.on('message', (raw: Buffer, isBinary: boolean) => {
    if (closed) return;
    if (!isBinary) return close(YjsCloseCode.malformed, 'binary messages only');
    if (raw.byteLength > limits.maxMessageBytes) return close(YjsCloseCode.messageTooLarge, 'message too large');
    const now = Date.now();
    tokens = Math.min(limits.maxMessagesPerSecond * 5, tokens + ((now - lastRefill) / 1000) * limits.maxMessagesPerSecond);
    lastRefill = now;
    if (tokens < 1) return close(YjsCloseCode.rateLimited, 'too many messages');
    tokens -= 1;
    handle(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)).catch((err) => {
      log.warn('yjs message refused', { doc: shared.name, error: err instanceof Error ? err.message : String(err) });
      close(YjsCloseCode.malformed, 'malformed message');
    });
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

  // Sync step 1 from our side, and whoever is present now.
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, YjsMessage.sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  send(encoding.toUint8Array(encoder));
  const states = awareness.getStates();
  if (states.size > 0) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, YjsMessage.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [...states.keys()]));
    send(encoding.toUint8Array(e));
  }
}

function awarenessClientIds(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder); // clock
    decoding.readVarString(decoder); // state JSON
  }
  return ids;
}

export function closeCodeFor(access: 'none' | 'unknown'): number {
  return access === 'none' ? YjsCloseCode.forbidden : YjsCloseCode.notFound;
}
