// Wires the one server: SvelteKit pages, the Hono API under /api, socket.io and the Yjs endpoint,
// all on one HTTP port; and shuts them down in order.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createApi } from './http/app.ts';
import { oidcPageRoutes } from './auth/oidcRoutes.ts';
import type { AppContext } from './context.ts';
import { actorOf } from './auth/identity.ts';
import { sweepEndedCredentials } from './auth/credentialSweep.ts';
import { closeLiveConnectionsWithOtherRights, closeLiveCredential, createLiveServer, liveCredentialIdsOf, userRoom } from './live/io.ts';
import { leaderboardPublisher } from './results/leaderboardLive.ts';
import { BoardFigureCache } from './results/leaderboard/cache.ts';
import type { LiveHooks } from './http/hooks.ts';
import type { ConnectionLimits } from './yjs/connection.ts';
import { DatabaseDocumentStore, type DocumentStore } from './yjs/persistence.ts';
import { containsCpr } from '../domain/cpr.ts';
import { DocumentRegistry } from './yjs/registry.ts';
import { initialContent } from './yjs/templates.ts';
import { createYjsEndpoint, YJS_PREFIX } from './yjs/upgrade.ts';
import { joinCluster, type Cluster } from './cluster/cluster.ts';
import { everywhere, type InstanceEvents } from './events.ts';
import { startReminders, type ReminderOptions } from './notifications/reminders.ts';

/** What the SvelteKit server needs from us, handed over on each request (no second copy of our modules). */
export interface ApiBridge {
  fetchApi(request: Request): Promise<Response>;
}

/** Header through which we tell adapter-node the request's real protocol (it assumes https otherwise). */
const PROTOCOL_HEADER = 'x-samspil-protocol';

/** Imports adapter-node's handler, telling it to read the protocol from our header unless ORIGIN is set. */
export async function loadWebHandler(handlerPath: string): Promise<NodeHandler> {
  if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER ??= PROTOCOL_HEADER;
  return (await import(pathToFileURL(handlerPath).href)).handler as NodeHandler;
}

export type NodeHandler = (req: IncomingMessage & { samspil?: ApiBridge }, res: ServerResponse, next?: () => void) => void;

export interface ServerOptions {
  /** adapter-node's handler; without it only the API and realtime endpoints are served. */
  webHandler?: NodeHandler;
  /** Defaults to the database; tests may pass another. */
  documentStore?: DocumentStore;
  yjsLimits?: Partial<ConnectionLimits>;
  /** Runs the documentation-deadline reminder job (in-app, and e-mail with an SMTP URL); off when absent. */
  reminders?: ReminderOptions;
  /** Join the other instances through this Redis (several instances over one PostgreSQL). */
  redisUrl?: string | null;
  /** How often open connections' credentials are checked (ms); tests shorten it. */
  credentialSweepMs?: number;
}

export const DEFAULT_YJS_LIMITS: ConnectionLimits = {
  maxMessageBytes: 1024 * 1024,
  maxDocumentBytes: 16 * 1024 * 1024,
  maxAwarenessBytes: 8 * 1024,
  maxMessagesPerSecond: 200,
};

export function createSamspilServer(ctx: AppContext, options: ServerOptions = {}) {
  // The transports first: HTTP, socket.io, the other instances (joining replaces io's adapter, so
  // before anything reads it), the leaderboards, the Yjs documents and their endpoint.
  const http = createServer();
  http.keepAliveTimeout = 65_000;
  const boardCache = new BoardFigureCache();
  const { io, meetings } = createLiveServer(ctx, http, boardCache);
  const cluster: Cluster | null = options.redisUrl ? joinCluster(ctx, options.redisUrl, io) : null;
  // While the relay is down, other instances' saves would go unseen by boards updated in place.
  const leaderboards = leaderboardPublisher(ctx, io, boardCache, { incremental: () => (cluster ? cluster.redisUp() : true) });
  const store =
    options.documentStore ??
    new DatabaseDocumentStore({ db: ctx.db, postgres: ctx.dialect === 'postgres', now: ctx.now, containsPersonalData: containsCpr });
  const registry = new DocumentRegistry(store, {
    relay: cluster?.relay,
    initialContent: (name) => initialContent(ctx.db, name),
    onError: (message, err) => ctx.log.error(message, { error: String(err) }),
  });
  const yjs = createYjsEndpoint(ctx, registry, { ...DEFAULT_YJS_LIMITS, ...options.yjsLimits });

  // Then what a change does on this instance, each event once: the API's changes act here and are
  // told to the others; the others' changes act here.
  const here: InstanceEvents = {
    documentsChanged: (names) => yjs.recheck(names),
    freezeDocuments: async (names) => {
      await yjs.recheck(names);
      await registry.settleAll(names);
    },
    closeDocuments: async (names) => {
      yjs.closeDocuments(names);
      await registry.settleAll(names);
    },
    credentialRevoked: (id) => {
      yjs.closeCredential(id);
      closeLiveCredential(io, id);
    },
    membershipChanged: async (userId) => {
      const actor = await actorOf(ctx, userId);
      closeLiveConnectionsWithOtherRights(io, actor);
      await yjs.recheckUser(actor);
    },
    resultsChanged: (networkId, saved) => void leaderboards.changed(networkId, saved),
  };
  cluster?.listen(here, () => {
    void leaderboards.refreshAll();
    void registry.catchUpFromStore();
  });
  const live: LiveHooks = {
    ...everywhere(here, cluster),
    meetingChanged: (meetingId) => void meetings.changed(meetingId),
    importProgress: (userId, progress) => io.to(userRoom(userId)).emit('import:progress', progress),
    relayUp: () => (cluster ? cluster.redisUp() : null),
  };

  const api = createApi(ctx, live);
  const apiListener = getRequestListener(api.fetch);
  const oidcListener = getRequestListener(oidcPageRoutes(ctx, live).fetch);
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    // socket.io answers its own path: its engine listens on this server beside us.
    if (path.startsWith('/socket.io/')) return;
    if (path === '/api' || path.startsWith('/api/') || path.startsWith('/api?')) {
      void apiListener(req, res);
      return;
    }
    // Single sign-on's redirects and refusal pages (realtime/auth/oidcRoutes.ts).
    if (path.startsWith('/auth/oidc/')) {
      void oidcListener(req, res);
      return;
    }
    if (!options.webHandler) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The web app is not built (run npm run build).');
      return;
    }
    // Ours, never a client's: the protocol of this very connection.
    const encrypted = Boolean((req.socket as TLSSocket).encrypted);
    req.headers[PROTOCOL_HEADER] = encrypted ? 'https' : 'http';
    // On every page and file (static files never reach SvelteKit's hooks); pages add their CSP (kit.csp).
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    if (encrypted || ctx.config.secureCookies) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    // The bridge carries the caller's connection, so per-address limits see the real address.
    (req as IncomingMessage & { samspil?: ApiBridge }).samspil = { fetchApi: async (request) => api.fetch(request, { incoming: req, outgoing: res }) };
    options.webHandler(req, res, () => res.writeHead(404).end());
  });
  http.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith(YJS_PREFIX)) yjs.handleUpgrade(req, socket, head);
    // socket.io handles its own path; anything else is refused.
    else if (!(req.url ?? '').startsWith('/socket.io/')) socket.destroy();
  });

  const reminders = options.reminders ? startReminders(ctx, options.reminders) : null;
  const sweep = sweepEndedCredentials(ctx, () => [...yjs.credentialIds(), ...liveCredentialIdsOf(io)], here.credentialRevoked, options.credentialSweepMs);

  return {
    http,
    io,
    registry,
    cluster,
    listen(port: number, host?: string): Promise<number> {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const address = http.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    /** Stop accepting, close live connections, store what is pending. The caller closes the database. */
    async close(): Promise<void> {
      await reminders?.stop();
      sweep.stop();
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      await yjs.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await registry.flushAll();
      await cluster?.close();
      http.closeAllConnections();
      await stopped;
    },
  };
}

export type SamspilServer = ReturnType<typeof createSamspilServer>;
