// socket.io on the main port: checks origin and identity at the handshake, then registers one
// handler file per resource.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { identify, type Identity } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { isAllowedOrigin } from '../origin.ts';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '../protocol.ts';
import { registerPresence } from './presence.ts';
import { registerLeaderboard } from './leaderboard.ts';
import type { BoardFigureCache } from '../results/leaderboard.ts';
import { meetingPublisher, registerMeeting } from './meeting.ts';

export interface SocketData {
  identity: Identity;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function createLiveServer(ctx: AppContext, httpServer: HttpServer, boardCache: BoardFigureCache): { io: LiveServer; meetings: ReturnType<typeof meetingPublisher> } {
  const io: LiveServer = new Server(httpServer, {
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, !origin || isAllowedOrigin(ctx, origin, req.headers.host));
    },
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
    socket.use(([event, ...args], next) => {
      const ack = args[args.length - 1];
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

export const KNOWN_EVENTS: Record<keyof ClientToServerEvents, true> = {
  'presence:join': true,
  'presence:leave': true,
  'leaderboard:subscribe': true,
  'leaderboard:unsubscribe': true,
  'meeting:join': true,
  'meeting:leave': true,
};
