// The /yjs/<document name> endpoint: checks origin and identity at the HTTP upgrade, before any
// document byte is sent, then hands the socket to the y-websocket connection handler.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { identify } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { isAllowedOrigin } from '../origin.ts';
import { serveConnection, type ConnectionLimits } from './connection.ts';
import { documentAccess } from './documents.ts';
import type { DocumentRegistry } from './registry.ts';

export const YJS_PREFIX = '/yjs/';

export interface YjsEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, message: string) {
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

export function createYjsEndpoint(ctx: AppContext, registry: DocumentRegistry, limits: ConnectionLimits): YjsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 });

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    const origin = req.headers.origin;
    if (origin && !isAllowedOrigin(ctx, origin, req.headers.host)) return refuse(socket, 403, 'Origin not allowed');
    const identity = await identify(ctx, {
      cookieHeader: req.headers.cookie,
      authorizationHeader: req.headers.authorization,
      queryToken: url.searchParams.get('token'),
    });
    if (!identity) return refuse(socket, 401, 'Sign in or pass ?token=');
    const access = await documentAccess(ctx.db, identity, name);
    if (access === 'unknown') return refuse(socket, 404, 'No such document');
    if (access === 'none') return refuse(socket, 403, 'Not allowed to read this document');
    let shared;
    try {
      shared = await registry.open(name);
    } catch (err) {
      ctx.log.error('yjs document failed to load', { doc: name, error: String(err) });
      return refuse(socket, 503, 'Document could not be loaded');
    }
    const connection = {};
    shared.connections.add(connection);
    socket.once('close', () => {
      if (!upgraded) registry.release(shared, connection).catch(() => {});
    });
    let upgraded = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      serveConnection({
        socket: ws,
        shared,
        connection,
        registry,
        writable: access === 'write',
        acks: url.searchParams.get('acks') === '1',
        user: { id: identity.user.id, name: identity.user.name },
        limits,
        log: ctx.log,
      });
    });
  };

  return {
    handleUpgrade(req, socket, head) {
      handleUpgrade(req, socket, head).catch((err) => {
        ctx.log.error('yjs upgrade failed', { error: String(err) });
        refuse(socket, 500, 'Upgrade failed');
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
