// Real clients for the real server: y-websocket providers and socket.io clients, authenticated
// by cookie or token the way browsers and scripts do it.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { io, type Socket } from 'socket.io-client';
import * as decoding from 'lib0/decoding';
import { YjsMessage } from '../../realtime/wire/yjs.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../realtime/wire/socket.ts';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function yjsClient(baseUrl: string, docName: string, auth: { token?: string; cookie?: string; acks?: boolean; /** e.g. 127.0.0.2: another client address on loopback */ localAddress?: string }) {
  const doc = new Y.Doc();
  /** The latest stored state vector the server acknowledged (with `acks`). */
  let acked = new Map<number, number>();
  const { cookie, localAddress } = auth;
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ...(cookie ? { headers: { cookie } } : {}), ...(localAddress ? { localAddress } : {}) });
    }
  }
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/yjs', docName, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    params: { ...(auth.token ? { token: auth.token } : {}), ...(auth.acks ? { acks: '1' } : {}) },
    disableBc: true,
  });
  provider.messageHandlers[YjsMessage.ack] = (_encoder: unknown, decoder: decoding.Decoder) => {
    acked = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  };
  return {
    doc,
    provider,
    acked: () => acked,
    synced: () =>
      new Promise<void>((resolve, reject) => {
        if (provider.synced) return resolve();
        // Generous: a server process just started on a loaded 2-core machine (compiling, connecting,
        // loading the document) has taken over 10 s for its first sync.
        const timer = setTimeout(() => reject(new Error(`${docName} did not sync`)), 20_000);
        provider.once('sync', (isSynced: boolean) => {
          if (isSynced) {
            clearTimeout(timer);
            resolve();
          }
        });
      }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function liveClient(baseUrl: string, auth: { token?: string; cookie?: string; localAddress?: string }): LiveClient {
  return io(baseUrl, {
    ...(auth.localAddress ? { localAddress: auth.localAddress } : {}),
    transports: ['websocket'],
    auth: auth.token ? { token: auth.token } : {},
    extraHeaders: auth.cookie ? { cookie: auth.cookie } : {},
    reconnection: false,
    forceNew: true,
  });
}

export function connected(socket: LiveClient): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a raw WebSocket and reports how the upgrade ended: the HTTP status if refused, and any bytes received. */
export function rawUpgrade(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<{ status: number; received: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ...(localAddress ? { localAddress } : {}) });
    let received = 0;
    ws.on('message', (data: Buffer) => (received += data.length));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, received, retryAfter: res.headers['retry-after'] });
      ws.terminate();
    });
    ws.on('open', () => setTimeout(() => {
      resolve({ status: 101, received });
      ws.close();
    }, 300));
    ws.on('error', () => resolve({ status: -1, received }));
  });
}
