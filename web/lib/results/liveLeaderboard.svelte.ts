// The leaderboard kept live in the browser: subscribes over socket.io for one network and period
// (again after every reconnect), takes every pushed board, and fetches the chosen metric or the
// survival curves over HTTP when a push calls for it: curves only when the course records or what
// this viewer may see changed, so a report save does not send every screen to the server at once.
// Browser-only: call follow() from an effect.
import type { Leaderboard, LeaderboardMetric } from '$wire/leaderboard.ts';
import { browserApi, okAnswer } from '$lib/live/api.ts';
import { connectLive, type LiveSocket } from '$lib/live/socket.ts';
import type { SurvivalData } from './survival.ts';

export interface BoardTarget {
  networkId: string;
  from: string;
  to: string;
  /** The metric the viewer chose; null follows the network's leading metric. */
  metric: LeaderboardMetric | null;
  /** The day the survival curves are cut at (the end of the period, or today). */
  cutoff: string;
}

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'signedOut';

const sameTarget = (a: BoardTarget, b: BoardTarget) =>
  a.networkId === b.networkId && a.from === b.from && a.to === b.to && a.metric === b.metric && a.cutoff === b.cutoff;

export class LiveLeaderboard {
  /** The newest board received for the current target, if any since it was set. */
  board: Leaderboard | null = $state(null);
  survival: SurvivalData | null = $state(null);
  status: LiveStatus = $state('connecting');

  private socket: LiveSocket | null = null;
  private target: BoardTarget | null = null;
  /** Grows with every new target and request, so a late answer never overwrites a newer one. */
  private boardRequest = 0;
  private survivalRequest = 0;
  /** What the survival curves shown were fetched for: course records, seal and view. */
  private curvesFor: string | null = null;

  /** Follows `target`: (re)subscribes when it changed; a no-op when it is the one already followed. */
  follow(target: BoardTarget): void {
    if (this.target && sameTarget(this.target, target)) return;
    this.target = target;
    this.board = null;
    this.survival = null;
    this.curvesFor = null;
    this.boardRequest++;
    this.survivalRequest++;
    if (!this.socket) this.socket = this.connect();
    else if (this.socket.connected) this.subscribe(false);
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.target = null;
  }

  private connect(): LiveSocket {
    const socket = connectLive({ onSignedOut: () => (this.status = 'signedOut') });
    let connectedBefore = false;
    // The server forgets a socket's rooms when it drops: subscribe on every (re)connect, and catch
    // up on the curves too after a gap.
    socket.on('connect', () => {
      this.subscribe(connectedBefore);
      connectedBefore = true;
    });
    socket.on('disconnect', () => (this.status = 'offline'));
    // connectLive's own listener ran first and may have found the session ended.
    socket.on('connect_error', () => {
      if (this.status !== 'signedOut') this.status = 'offline';
    });
    socket.on('leaderboard:updated', (board) => this.accept(board, false));
    return socket;
  }

  private subscribe(catchUp: boolean): void {
    const target = this.target;
    if (!target || !this.socket) return;
    this.status = 'connecting';
    this.socket.emit('leaderboard:subscribe', { networkId: target.networkId, from: target.from, to: target.to }, (result) => {
      if (this.target !== target) return;
      if (!result.ok) {
        this.status = 'offline';
        return;
      }
      this.status = 'live';
      this.accept(result.data, catchUp);
    });
  }

  /** `catchUp`: after a gap in the connection, when anything may have changed unseen. */
  private accept(board: Leaderboard, catchUp: boolean): void {
    const target = this.target;
    if (!target || board.networkId !== target.networkId || board.from !== target.from || board.to !== target.to) return;
    // Subscriptions carry the network's leading metric; a viewer who chose another one gets the
    // same moment's board for their metric over HTTP.
    if (target.metric && board.metric !== target.metric) void this.fetchBoard(target);
    else {
      this.boardRequest++;
      this.board = board;
    }
    const curvesFor = `${board.coursesVersion}|${board.sealed?.sealedAt ?? ''}|${board.view}`;
    if (catchUp || (this.curvesFor !== null && curvesFor !== this.curvesFor)) void this.fetchSurvival(target);
    this.curvesFor = curvesFor;
  }

  private async fetchBoard(target: BoardTarget): Promise<void> {
    const request = ++this.boardRequest;
    const board = await okAnswer(() =>
      networkApi().leaderboard.$get({ param: networkParam(target), query: { metric: target.metric ?? undefined, from: target.from, to: target.to } }),
    );
    if (board && request === this.boardRequest && this.target === target) this.board = board;
  }

  private async fetchSurvival(target: BoardTarget): Promise<void> {
    const request = ++this.survivalRequest;
    const survival = await okAnswer(() => networkApi().survival.$get({ param: networkParam(target), query: { cutoff: target.cutoff } }));
    if (survival && request === this.survivalRequest && this.target === target) this.survival = survival;
  }
}

/** The routes under /api/networks/:networkId, and the parameter as the path carries it. */
const networkApi = () => browserApi().networks[':networkId'];
const networkParam = (target: BoardTarget) => ({ networkId: encodeURIComponent(target.networkId) });

/** The newer of the server-rendered board and the live one, when both answer the same question. */
export function newestBoard(rendered: Leaderboard, live: Leaderboard | null, chosenMetric: LeaderboardMetric | null): Leaderboard {
  if (!live || live.networkId !== rendered.networkId || live.from !== rendered.from || live.to !== rendered.to) return rendered;
  if (chosenMetric && live.metric !== chosenMetric) return rendered;
  return live.generatedAt >= rendered.generatedAt ? live : rendered;
}
