// Yjs stage 1, upgrade: the /yjs/<document name> endpoint. Decides everything at the HTTP upgrade,
// before any document byte is sent (cap -> rate -> origin -> identity -> access), opens the document
// in the registry, then hands the socket to the connection. The later stages, in order:
// access.ts -> registry.ts -> persistence.ts -> connection.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Actor } from '../../domain/access.ts';
import { identify } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { clientAddress } from '../transport/clientAddress.ts';
import { connectionRateOf, OpenPerAddress } from '../transport/connectionLimits.ts';
import { isAllowedOrigin, ownOriginOf } from '../transport/origin.ts';
import { YjsCloseCode } from '../wire/yjs.ts';
import { accessAtUpgrade, OpenConnections, type OpenConnection } from './access.ts';
import { DEFAULT_HOSTILE_LIMITS, serveConnection, type ConnectionLimits } from './connection.ts';
import type { DocumentRegistry } from './registry.ts';

export const YJS_PREFIX = '/yjs/';

export interface YjsEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Re-decides access for every open connection to these documents; closes those whose rights changed. */
  recheck(names: string[]): Promise<void>;
  /** Closes every connection opened with this credential (session or token revoked). */
  closeCredential(credentialId: string): void;
  /** The credentials of the open connections. */
  credentialIds(): Iterable<string>;
  /** Re-decides access of every open connection of this person (memberships changed). */
  recheckUser(actor: Actor): Promise<void>;
  /** Closes every connection to these documents with rightsChanged, so clients reconnect and load the stored state (purge). */
  closeDocuments(names: string[]): void;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, message: string, retryAfterSeconds?: number) {
  const retry = retryAfterSeconds ? `Retry-After: ${retryAfterSeconds}\r\n` : '';
  const headers = `Connection: close\r\n${retry}Content-Type: text/plain\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n`;
  socket.end(`HTTP/1.1 ${status} ${message}\r\n${headers}Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

export function createYjsEndpoint(ctx: AppContext, registry: DocumentRegistry, limits: ConnectionLimits): YjsEndpoint {
  // maxPayload is a hard cap in ws itself; our own limit (checked per message) closes with a clearer code.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 });
  const open = new OpenConnections(ctx.db);
  /** Connections (upgrading or open) per client address. */
  const perAddress = new OpenPerAddress(limits.maxConnectionsPerAddress ?? DEFAULT_HOSTILE_LIMITS.maxConnectionsPerAddress);
  const newPerMinute = connectionRateOf(ctx.config);

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Counted from the upgrade until the TCP socket closes, so a flood of half-open upgrades counts too.
    const address = clientAddress(ctx.config, req.socket.remoteAddress, req.headers['x-forwarded-for']);
    if (!perAddress.tryOpen(address)) return refuse(socket, 429, 'Too many connections from your address');
    const wait = newPerMinute.admit(address);
    if (wait > 0) {
      perAddress.closed(address);
      return refuse(socket, 429, 'Too many new connections from your address', Math.ceil(wait / 1000));
    }
    socket.once('close', () => perAddress.closed(address));
    const url = new URL(req.url ?? '/', 'http://localhost');
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    } catch {
      return refuse(socket, 404, 'No such document');
    }
    if (!isAllowedOrigin(req.headers.origin, ownOriginOf(req), ctx.config.allowedOrigins)) return refuse(socket, 403, 'Origin not allowed');
    // From before the identity is read until the connection is counted as open (or refused and gone),
    // a change of rights cannot find it among the open ones: it is marked stale, and closed once open.
    const opening = open.opening(name);
    socket.once('close', opening.done);
    const identity = await identify(ctx, {
      cookieHeader: req.headers.cookie,
      authorizationHeader: req.headers.authorization,
      queryToken: url.searchParams.get('token'),
    });
    if (!identity) return refuse(socket, 401, 'Sign in or pass ?token=');
    opening.userId = identity.user.id;
    opening.credentialId = identity.credentialId;
    const decision = await accessAtUpgrade(ctx.db, identity.actor, name);
    if ('refused' in decision) return refuse(socket, decision.refused.status, decision.refused.message);
    const { access } = decision;
    let shared;
    try {
      shared = await registry.open(name);
    } catch (err) {
      ctx.log.error('yjs document failed to load; refusing it rather than serving an empty one', { doc: name, error: String(err) });
      return refuse(socket, 503, 'Document could not be loaded');
    }
    // What the connection keeps, taken out now: the handlers below close over this function's
    // variables, and must not hold the request, the URL or the whole identity for the connection's life.
    const user = { id: identity.user.id, name: identity.user.name };
    const acks = url.searchParams.get('acks') === '1';
    const entry: OpenConnection = { actor: identity.actor, credentialId: identity.credentialId, access, close: () => {} };
    const connection = {};
    shared.join(connection);
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) registry.release(shared, connection).catch(() => {});
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      const served = serveConnection({
        socket: ws,
        shared,
        connection,
        registry,
        writable: access === 'write',
        acks,
        user,
        limits,
        log: ctx.log,
      });
      entry.close = served.close;
      const forget = open.add(name, entry);
      ws.once('close', forget);
      opening.done();
      // Decided on rights that have changed since: the client reconnects and is decided again.
      if (opening.stale) served.close(YjsCloseCode.rightsChanged, 'your access changed while connecting');
    });
  };

  return {
    handleUpgrade(req, socket, head) {
      handleUpgrade(req, socket, head).catch((err) => {
        ctx.log.error('yjs upgrade failed', { error: String(err) });
        refuse(socket, 500, 'Upgrade failed');
      });
    },
    recheck: (names) => open.recheck(names),
    closeCredential: (credentialId) => open.closeCredential(credentialId),
    recheckUser: (actor) => open.recheckUser(actor),
    credentialIds: () => open.credentialIds(),
    closeDocuments: (names) => open.closeDocuments(names),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(YjsCloseCode.shuttingDown, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
