// Live leaderboards over socket.io: `leaderboard:subscribe` answers the current board, and every
// change pushes `leaderboard:updated`. Rooms are per network, period and audience class, and each
// distinct view is encoded once for all the rooms that share it.
import { channel } from 'node:diagnostics_channel';
import type { Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import { AppError, fieldIssues } from '../errors.ts';
import { LeaderboardSubscribe, type Ack, type ClientToServerEvents, type Leaderboard, type ServerToClientEvents } from '../protocol.ts';
import { audienceOf, boardParams, computeBoard, renderBoard, viewFor, type AudienceClass, type BoardFigureCache } from '../results/leaderboard.ts';
import type { LiveServer, SocketData } from './io.ts';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const ROOMS = 'leaderboard:';
const roomPrefix = (networkId: string) => `${ROOMS}${networkId}|`;
const roomOf = (networkId: string, from: string, to: string, audience: AudienceClass) => `${roomPrefix(networkId)}${from}|${to}|${audience}`;

function fail<T>(ack: unknown, err: unknown): void {
  if (typeof ack !== 'function') return;
  const error = err instanceof AppError ? { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } : { code: 'internal' as const, message: 'Could not compute the leaderboard.' };
  (ack as (r: Ack<T>) => void)({ ok: false, error });
}

export function registerLeaderboard(ctx: AppContext, socket: LiveSocket, cache: BoardFigureCache): void {
  socket.on('leaderboard:subscribe', async (payload, ack) => {
    try {
      const parsed = LeaderboardSubscribe.safeParse(payload);
      if (!parsed.success) throw new AppError('validation_failed', 'Invalid payload.', fieldIssues(parsed.error.issues));
      const { networkId, from, to } = parsed.data;
      const audience = audienceOf(socket.data.identity.actor, networkId);
      const params = await boardParams(ctx.db, networkId, { from, to }, ctx.now());
      const board = await computeBoard(ctx.db, params, ctx.now(), cache);
      // One subscription per network and socket: a new period replaces the old one.
      for (const room of socket.rooms) if (room.startsWith(roomPrefix(networkId))) await socket.leave(room);
      await socket.join(roomOf(networkId, params.from, params.to, audience));
      if (typeof ack === 'function') ack({ ok: true, data: renderBoard(board, viewFor(audience, board)) });
    } catch (err) {
      if (!(err instanceof AppError)) ctx.log.error('leaderboard:subscribe failed', { error: String(err) });
      fail<Leaderboard>(ack, err);
    }
  });

  socket.on('leaderboard:unsubscribe', async (payload, ack) => {
    const networkId = typeof payload?.networkId === 'string' ? payload.networkId : '';
    for (const room of socket.rooms) if (room.startsWith(roomPrefix(networkId))) await socket.leave(room);
    if (typeof ack === 'function') ack({ ok: true, data: null });
  });
}

/**
 * Timing of live pushes, for the fan-out benchmark and tracing: `changed` the moment a saved change
 * asks for a push (the save has committed), `sent` once every view has been handed to socket.io.
 * Costs nothing while nobody subscribes.
 */
export const leaderboardTrace = channel('samspil:leaderboard');
export interface LeaderboardTraceMessage {
  phase: 'changed' | 'sent';
  networkId: string;
}

/**
 * Pushes fresh boards to every subscriber of a network: one computation per period, one encoding
 * per distinct view. Calls in the same tick are coalesced; the push starts right after the caller's
 * synchronous work (its HTTP response is written first), not a turn of the event loop later.
 */
export function leaderboardPublisher(ctx: AppContext, io: LiveServer, cache: BoardFigureCache) {
  const pending = new Map<string, Promise<void>>();
  // The leaderboard rooms, kept as socket.io creates and deletes them, so a push does not scan the
  // rooms of every socket (each socket has its own and its user's).
  const boardRooms = new Set<string>();
  const adapter = io.of('/').adapter;
  for (const room of adapter.rooms.keys()) if (room.startsWith(ROOMS)) boardRooms.add(room);
  adapter.on('create-room', (room: string) => {
    if (room.startsWith(ROOMS)) boardRooms.add(room);
  });
  adapter.on('delete-room', (room: string) => boardRooms.delete(room));

  const publish = async (networkId: string) => {
    const rooms = [...boardRooms].filter((r) => r.startsWith(roomPrefix(networkId)));
    const byPeriod = new Map<string, Array<{ room: string; audience: AudienceClass }>>();
    for (const room of rooms) {
      const [from, to, audience] = room.slice(roomPrefix(networkId).length).split('|');
      const key = `${from}|${to}`;
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), { room, audience: audience as AudienceClass }]);
    }
    for (const [period, subscribers] of byPeriod) {
      const [from, to] = period.split('|');
      // The network's leading metric, read with the board (no separate query for the parameters).
      const board = await computeBoard(ctx.db, { networkId, from, to }, ctx.now(), cache);
      const byView = new Map<string, string[]>();
      for (const { room, audience } of subscribers) {
        const view = viewFor(audience, board);
        byView.set(view, [...(byView.get(view) ?? []), room]);
      }
      // Local sockets only: every instance computes the boards of its own subscribers (see cluster/).
      for (const [view, viewRooms] of byView) io.local.to(viewRooms).emit('leaderboard:updated', renderBoard(board, view as ReturnType<typeof viewFor>));
    }
  };

  const publisher = {
    /** Re-sends every board this instance's subscribers watch (after a Redis outage, when pushes may have been missed). */
    refreshAll(): Promise<void[]> {
      const networks = new Set([...boardRooms].map((room) => room.slice(ROOMS.length).split('|')[0]));
      return Promise.all([...networks].map((networkId) => publisher.changed(networkId)));
    },
    /** Schedules a push for the network; resolves when it has been sent. */
    changed(networkId: string): Promise<void> {
      if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'changed', networkId } satisfies LeaderboardTraceMessage);
      let run = pending.get(networkId);
      if (!run) {
        run = Promise.resolve()
          .then(() => {
            pending.delete(networkId);
            return publish(networkId);
          })
          .then(() => {
            if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'sent', networkId } satisfies LeaderboardTraceMessage);
          })
          .catch((err) => ctx.log.error('leaderboard publish failed', { networkId, error: String(err) }));
        pending.set(networkId, run);
      }
      return run;
    },
  };
  return publisher;
}
