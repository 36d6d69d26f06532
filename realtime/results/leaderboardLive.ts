// Live leaderboards over socket.io: `leaderboard:subscribe` answers the current board, and every
// change pushes `leaderboard:updated`. Rooms are per network, period and audience class, and each
// distinct view is encoded once for all the rooms that share it. A subscriber also joins the
// period's room, through which a view that everyone shares (an open period) is sent.
import { channel } from 'node:diagnostics_channel';
import type { AppContext } from '../context.ts';
import { AppError, fieldIssues } from '../errors.ts';
import { LeaderboardSubscribe, type Leaderboard } from '../wire/leaderboard.ts';
import type { Ack } from '../wire/socket.ts';
import type { MonthlyReportRow } from '../../db/tables/results.table.ts';
import type { BoardFigureCache } from './leaderboard/cache.ts';
import { boardParams, computeBoard, forReportMetrics, withSavedReport, type FullBoard } from './leaderboard/compute.ts';
import { liveAudienceOf, renderBoard, viewFor, type AudienceClass } from './leaderboard/view.ts';
import type { LiveServer, LiveSocket } from '../live/io.ts';

const ROOMS = 'leaderboard:';
const roomPrefix = (networkId: string) => `${ROOMS}${networkId}|`;
const periodRoomOf = (networkId: string, from: string, to: string) => `${roomPrefix(networkId)}${from}|${to}`;
const roomOf = (networkId: string, from: string, to: string, audience: AudienceClass) => `${periodRoomOf(networkId, from, to)}|${audience}`;

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
      const audience = liveAudienceOf(socket.data.identity.actor, networkId);
      const params = await boardParams(ctx.db, networkId, { from, to }, ctx.now());
      const board = await computeBoard(ctx.db, params, ctx.now(), cache);
      // One subscription per network and socket: a new period replaces the old one.
      for (const room of socket.rooms) if (room.startsWith(roomPrefix(networkId))) await socket.leave(room);
      await socket.join([roomOf(networkId, params.from, params.to, audience), periodRoomOf(networkId, params.from, params.to)]);
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
 * asks for a push (the save has committed), `computed` when a period's board is ready to send, `sent`
 * once every view has been handed to socket.io. Costs nothing while nobody subscribes.
 */
export const leaderboardTrace = channel('samspil:leaderboard');
export interface LeaderboardTraceMessage {
  phase: 'changed' | 'computed' | 'sent';
  networkId: string;
}

/**
 * Pushes fresh boards to every subscriber of a network: one computation per period, one encoding
 * per distinct view. A push starts at once (before the saving request's response is written); a
 * change that arrives while one is under way is folded into a single follow-up push, so a burst of
 * saves costs two computations, not one each.
 *
 * A single saved report version is added to the boards last pushed, without reading the database,
 * when nothing else is under way and `incremental()` allows it (not while the relay to other
 * instances is down, whose saves would then be missed until it is back); any other change, or a
 * change from another instance, recomputes from the database.
 */
export function leaderboardPublisher(ctx: AppContext, io: LiveServer, cache: BoardFigureCache, options: { incremental: () => boolean } = { incremental: () => true }) {
  // Per network: the push under way, and the one queued behind it (for changes it may have missed).
  const inFlight = new Map<string, { done: Promise<void>; next: Promise<void> | null }>();
  // The board last pushed for each network and period that has subscribers here.
  const lastPushed = new Map<string, FullBoard>();
  // The leaderboard rooms, kept as socket.io creates and deletes them, so a push does not scan the
  // rooms of every socket (each socket has its own and its user's).
  const boardRooms = new Set<string>();
  const adapter = io.of('/').adapter;
  for (const room of adapter.rooms.keys()) if (room.startsWith(ROOMS)) boardRooms.add(room);
  adapter.on('create-room', (room: string) => {
    if (room.startsWith(ROOMS)) boardRooms.add(room);
  });
  adapter.on('delete-room', (room: string) => boardRooms.delete(room));

  /** The network's subscribed periods here, each with its audience rooms (the period's own room aside). */
  const periodsOf = (networkId: string) => {
    const byPeriod = new Map<string, Array<{ room: string; audience: AudienceClass }>>();
    for (const room of boardRooms) {
      if (!room.startsWith(roomPrefix(networkId))) continue;
      const [from, to, audience] = room.slice(roomPrefix(networkId).length).split('|');
      if (!audience) continue;
      const key = `${networkId}|${from}|${to}`;
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), { room, audience: audience as AudienceClass }]);
    }
    return byPeriod;
  };

  /** Sends each distinct view of the board once, to all the rooms that see it. */
  const send = (board: FullBoard, all: Array<{ room: string; audience: AudienceClass }>) => {
    // Members of a provider that has left since they subscribed lose the live board (here, not only at subscribe).
    const gone = new Set((board.leftProviders ?? []).map((id): AudienceClass => `provider:${id}`));
    const subscribers = all.filter(({ room, audience }) => {
      if (!gone.has(audience)) return true;
      io.local.in(room).socketsLeave([room, periodRoomOf(board.params.networkId, board.params.from, board.params.to)]);
      return false;
    });
    const byView = new Map<ReturnType<typeof viewFor>, string[]>();
    for (const { room, audience } of subscribers) {
      const view = viewFor(audience, board);
      byView.set(view, [...(byView.get(view) ?? []), room]);
    }
    // Local sockets only: every instance computes the boards of its own subscribers (see cluster/).
    if (byView.size === 1) {
      // Everyone sees the same view: sent through the period's room, socket.io writes to the sockets
      // in the order they joined rather than one audience room after another, which took 26 ms
      // instead of 16 for 1,000 sockets (measured: the same sockets touched in scattered order).
      const [view] = byView.keys();
      io.local.to(periodRoomOf(board.params.networkId, board.params.from, board.params.to)).emit('leaderboard:updated', renderBoard(board, view));
      return;
    }
    for (const [view, viewRooms] of byView) io.local.to(viewRooms).emit('leaderboard:updated', renderBoard(board, view));
  };

  const forgetUnwatched = (networkId: string, periods: Map<string, unknown>) => {
    for (const key of lastPushed.keys()) if (key.startsWith(`${networkId}|`) && !periods.has(key)) lastPushed.delete(key);
  };

  const publish = async (networkId: string) => {
    const periods = periodsOf(networkId);
    forgetUnwatched(networkId, periods);
    for (const [key, subscribers] of periods) {
      const [, from, to] = key.split('|');
      // The network's leading metric, read with the board (no separate query for the parameters).
      const board = await computeBoard(ctx.db, { networkId, from, to }, ctx.now(), cache);
      if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'computed', networkId } satisfies LeaderboardTraceMessage);
      lastPushed.set(key, board);
      send(board, subscribers);
    }
  };

  /** Adds one saved report version to the boards last pushed and sends them; false if any board cannot take it. */
  const pushSaved = (networkId: string, saved: MonthlyReportRow): boolean => {
    const periods = periodsOf(networkId);
    // A board nobody watches is not kept up to date, so it must not be built on later.
    forgetUnwatched(networkId, periods);
    const now = ctx.now();
    const version = forReportMetrics(saved);
    const next = new Map<string, FullBoard | 'unchanged'>();
    for (const key of periods.keys()) {
      const board = lastPushed.get(key);
      const updated = board && withSavedReport(board, version, now);
      if (!updated) return false;
      next.set(key, updated);
    }
    if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'computed', networkId } satisfies LeaderboardTraceMessage);
    for (const [key, board] of next) {
      if (board === 'unchanged') continue;
      lastPushed.set(key, board);
      send(board, periods.get(key)!);
    }
    if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'sent', networkId } satisfies LeaderboardTraceMessage);
    return true;
  };

  const pushSavedOrFalse = (networkId: string, saved: MonthlyReportRow): boolean => {
    try {
      return pushSaved(networkId, saved);
    } catch (err) {
      // Never the saver's problem: the save has committed; recompute from the database instead.
      ctx.log.error('leaderboard: adding a saved report failed, recomputing', { networkId, error: String(err) });
      return false;
    }
  };

  const publisher = {
    /** Re-sends every board this instance's subscribers watch (after a Redis outage, when pushes may have been missed). */
    refreshAll(): Promise<void[]> {
      const networks = new Set([...boardRooms].map((room) => room.slice(ROOMS.length).split('|')[0]));
      return Promise.all([...networks].map((networkId) => publisher.changed(networkId)));
    },
    /**
     * Pushes the network's boards; resolves when they have been sent. `saved`: the one report
     * version that was just stored, when that is the whole change.
     */
    changed(networkId: string, saved?: MonthlyReportRow): Promise<void> {
      if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'changed', networkId } satisfies LeaderboardTraceMessage);
      const current = inFlight.get(networkId);
      if (!current && saved && options.incremental() && pushSavedOrFalse(networkId, saved)) return Promise.resolve();
      if (!current) return start(networkId);
      // The push under way may have read the data before this change: one more follows it, for every change meanwhile.
      current.next ??= current.done.then(() => start(networkId));
      return current.next;
    },
  };
  const start = (networkId: string): Promise<void> => {
    const entry: { done: Promise<void>; next: Promise<void> | null } = { done: Promise.resolve(), next: null };
    inFlight.set(networkId, entry);
    entry.done = publish(networkId)
      .then(() => {
        if (leaderboardTrace.hasSubscribers) leaderboardTrace.publish({ phase: 'sent', networkId } satisfies LeaderboardTraceMessage);
      })
      .catch((err) => ctx.log.error('leaderboard publish failed', { networkId, error: String(err) }))
      .finally(() => {
        if (inFlight.get(networkId) === entry && !entry.next) inFlight.delete(networkId);
      });
    return entry.done;
  };
  return publisher;
}
