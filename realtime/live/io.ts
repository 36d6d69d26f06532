// socket.io on the main port: checks origin and identity at the handshake, then registers one
// handler file per resource.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { Server, type Socket } from 'socket.io';
import type { Actor } from '../../domain/access.ts';
import { identify, type Identity } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '../wire/socket.ts';
import { clientAddress } from '../transport/clientAddress.ts';
import { connectionRateOf, OpenPerAddress } from '../transport/connectionLimits.ts';
import { isAllowedOrigin, ownOriginOf } from '../transport/origin.ts';
import { TokenBucket } from '../transport/tokenBucket.ts';
import { registerPresence } from '../networks/presenceLive.ts';
import { registerLeaderboard } from '../results/leaderboardLive.ts';
import type { BoardFigureCache } from '../results/leaderboard/cache.ts';
import { meetingPublisher, registerMeeting } from '../meetings/runLive.ts';

export interface SocketData {
  identity: Identity;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** One client's connection, as the handler files in each feature folder receive it. */
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Floods are throttled per connection and per address; real clients send a few events a minute. */
export const LIVE_LIMITS = {
  eventsPerSecond: 50,
  /** Seconds of events a connection may send at once before the rate applies. */
  burstSeconds: 5,
  /** Events refused (since the connection last had a full bucket) before it is closed. */
  refusalsBeforeClose: 500,
  /** Generous: behind a jobcenter's NAT many people share one address (proxies: TRUSTED_PROXIES). */
  connectionsPerAddress: 1000,
};

export function createLiveServer(ctx: AppContext, httpServer: HttpServer, boardCache: BoardFigureCache): { io: LiveServer; meetings: ReturnType<typeof meetingPublisher> } {
  const newPerMinute = connectionRateOf(ctx.config);
  const io: LiveServer = new Server(httpServer, {
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
    // engine.io would end every other upgrade not answered within 1 s, cutting off /yjs/ upgrades that
    // are still authenticating and loading on a busy instance; server.ts refuses unknown paths itself.
    destroyUpgrade: false,
    // Called for each new engine.io session (not for its later polls or its upgrade). A refused
    // handshake is a transport error to the client, which retries with back-off.
    allowRequest: (req, callback) => {
      if (!isAllowedOrigin(req.headers.origin, ownOriginOf(req), ctx.config.allowedOrigins)) return callback('Origin not allowed', false);
      const wait = newPerMinute.admit(clientAddress(ctx.config, req.socket.remoteAddress, req.headers['x-forwarded-for']));
      callback(wait > 0 ? 'Too many new connections from your address' : null, wait === 0);
    },
  });

  // engine.io answers /socket.io/ itself (handshakes, polls, refusals), so server.ts never adds its
  // headers there. Its middlewares run before anything is decided, refusals included; the response is
  // never a document, so it gets the API's locked CSP.
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    if ((req.socket as TLSSocket).encrypted || ctx.config.secureCookies) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });

  // Open connections per client address (behind a proxy listed in TRUSTED_PROXIES, the address it forwards).
  const perAddress = new OpenPerAddress(LIVE_LIMITS.connectionsPerAddress);
  io.use((socket, next) => {
    const address = clientAddress(ctx.config, socket.conn.request.socket.remoteAddress, socket.handshake.headers['x-forwarded-for']);
    if (!perAddress.tryOpen(address)) return next(new Error(`rate_limited: at most ${LIVE_LIMITS.connectionsPerAddress} connections per address`));
    socket.once('disconnect', () => perAddress.closed(address));
    next();
  });

  io.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const identity = await identify(ctx, {
        cookieHeader: socket.handshake.headers.cookie,
        authorizationHeader: typeof auth?.token === 'string' ? `Bearer ${auth.token}` : socket.handshake.headers.authorization,
      });
      if (!identity) return next(new Error('unauthenticated: sign in or pass auth: { token }'));
      socket.data.identity = identity;
      next();
    } catch (err) {
      ctx.log.error('socket.io handshake failed', { error: String(err) });
      next(new Error('unavailable: could not check who you are'));
    }
  });

  const meetings = meetingPublisher(ctx, io);
  io.on('connection', (socket) => {
    // Every socket hears what concerns its user only (e.g. progress of their own import).
    void socket.join(userRoom(socket.data.identity.user.id));
    // Our events take one payload and an acknowledgement: with another number of arguments the
    // handler would find no callback and answer nothing, so the caller is told here instead.
    const events = new TokenBucket(LIVE_LIMITS.eventsPerSecond, LIVE_LIMITS.eventsPerSecond * LIVE_LIMITS.burstSeconds);
    let refused = 0;
    socket.use(([event, ...args], next) => {
      const ack = args[args.length - 1];
      if (events.isFull()) refused = 0; // calmed down
      if (!events.take()) {
        if (++refused >= LIVE_LIMITS.refusalsBeforeClose) return void socket.disconnect(true);
        if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: false, error: { code: 'rate_limited', message: `At most ${LIVE_LIMITS.eventsPerSecond} events per second.` } });
        return;
      }
      if (event in KNOWN_EVENTS && typeof ack === 'function' && args.length !== 2) {
        (ack as (r: unknown) => void)({ ok: false, error: { code: 'validation_failed', message: `${event} takes one payload and an acknowledgement.` } });
        return;
      }
      next();
    });
    registerPresence(io, socket);
    registerLeaderboard(ctx, socket, boardCache);
    registerMeeting(ctx, io, socket, meetings);
    // Events we do not know are answered, not ignored, so a client bug is visible.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (!(event in KNOWN_EVENTS) && typeof ack === 'function') {
        ack({ ok: false, error: { code: 'not_found', message: `Unknown event ${event}.` } });
      }
    });
  });

  return { io, meetings };
}

export const userRoom = (userId: string) => `user:${userId}`;

/** Disconnects every socket opened with a revoked session or token. */
export function closeLiveCredential(io: LiveServer, credentialId: string): void {
  for (const socket of io.of('/').sockets.values()) {
    if (socket.data.identity?.credentialId === credentialId) socket.disconnect(true);
  }
}

/** Rights compared as what they allow: the same memberships in the same roles. */
const rightsOf = (actor: Actor) =>
  JSON.stringify(
    actor.memberships
      .map((m) => [m.networkId, m.role, m.organisationId, m.providerAdmin === true, m.providerLeft === true])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

/**
 * Disconnects the person's sockets that were opened with other rights than `actor` now has. Their
 * rooms (boards by audience, meetings, presence) were joined under the old rights; the client
 * reconnects and joins again under the new ones, or is told it is signed out when nothing is left.
 */
export function closeLiveConnectionsWithOtherRights(io: LiveServer, actor: Actor): void {
  const now = rightsOf(actor);
  for (const socket of io.of('/').sockets.values()) {
    const identity = socket.data.identity;
    if (identity?.user.id === actor.userId && rightsOf(identity.actor) !== now) socket.disconnect(true);
  }
}

/** The credentials the open sockets were opened with. */
export function* liveCredentialIdsOf(io: LiveServer): Iterable<string> {
  for (const socket of io.of('/').sockets.values()) if (socket.data.identity) yield socket.data.identity.credentialId;
}

export const KNOWN_EVENTS: Record<keyof ClientToServerEvents, true> = {
  'presence:join': true,
  'presence:leave': true,
  'leaderboard:subscribe': true,
  'leaderboard:unsubscribe': true,
  'meeting:join': true,
  'meeting:leave': true,
};
