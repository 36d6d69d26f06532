// Live leaderboards over socket.io: `leaderboard:subscribe` answers the current board, and every
// change pushes `leaderboard:updated`. Rooms are per network, period and audience class, and each
// distinct view is encoded once for all the rooms that share it.
import type { Socket } from 'socket.io';
import type { AppContext } from '../context.ts';
import { AppError, fieldIssues } from '../errors.ts';
import { LeaderboardSubscribe, type Ack, type ClientToServerEvents, type Leaderboard, type ServerToClientEvents } from '../protocol.ts';
import { audienceOf, boardParams, computeBoard, renderBoard, viewFor, type AudienceClass, type CourseFigureCache } from '../results/leaderboard.ts';
import type { LiveServer, SocketData } from './io.ts';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const roomPrefix = (networkId: string) => `leaderboard:${networkId}|`;
const roomOf = (networkId: string, from: string, to: string, audience: AudienceClass) => `${roomPrefix(networkId)}${from}|${to}|${audience}`;

function fail<T>(ack: unknown, err: unknown): void {
  if (typeof ack !== 'function') return;
  const error = err instanceof AppError ? { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } : { code: 'internal' as const, message: 'Could not compute the leaderboard.' };
  (ack as (r: Ack<T>) => void)({ ok: false, error });
}

export function registerLeaderboard(ctx: AppContext, socket: LiveSocket, cache: CourseFigureCache): void {
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
 * Pushes fresh boards to every subscriber of a network: one computation per period, one encoding
 * per distinct view. Calls close together are coalesced.
 */
export function leaderboardPublisher(ctx: AppContext, io: LiveServer, cache: CourseFigureCache) {
  const pending = new Map<string, Promise<void>>();

  const publish = async (networkId: string) => {
    const rooms = [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(roomPrefix(networkId)));
    const byPeriod = new Map<string, Array<{ room: string; audience: AudienceClass }>>();
    for (const room of rooms) {
      const [from, to, audience] = room.slice(roomPrefix(networkId).length).split('|');
      const key = `${from}|${to}`;
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), { room, audience: audience as AudienceClass }]);
    }
    for (const [period, subscribers] of byPeriod) {
      const [from, to] = period.split('|');
      const board = await computeBoard(ctx.db, await boardParams(ctx.db, networkId, { from, to }, ctx.now()), ctx.now(), cache);
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
      const rooms = [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('leaderboard:'));
      const networks = new Set(rooms.map((room) => room.slice('leaderboard:'.length).split('|')[0]));
      return Promise.all([...networks].map((networkId) => publisher.changed(networkId)));
    },
    /** Schedules a push for the network; resolves when it has been sent. */
    changed(networkId: string): Promise<void> {
      let run = pending.get(networkId);
      if (!run) {
        run = new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => {
            pending.delete(networkId);
            return publish(networkId);
          })
          .catch((err) => ctx.log.error('leaderboard publish failed', { networkId, error: String(err) }));
        pending.set(networkId, run);
      }
      return run;
    },
  };
  return publisher;
}
