// The browser's seat in a meeting room: joins `meeting:<id>` over socket.io, keeps the latest
// `meeting:state`, and the server's clock (so every screen's timer agrees). Re-joins after every
// reconnect, so a screen that lost its connection lands on the current state again.
// Browser-only: create it in onMount or an effect.
import type { MeetingState } from '$wire/meetings.ts';
import type { LiveSocket } from '$lib/live/socket.ts';

export type RoomConnection = 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'signedOut';

/** How often the shown clock moves; the timer shows whole seconds. */
const TICK_MS = 1000;

export class MeetingRoom {
  state: MeetingState | null = $state(null);
  connection: RoomConnection = $state('connecting');
  /** The server's "now" as this browser best knows it, updated every second. */
  now = $state(Date.now());

  /** serverTime − Date.now() at the last state: corrects this browser's clock for the timer. */
  private skewMs = 0;
  private socket: LiveSocket | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;

  constructor(private readonly meetingId: string) {}

  async start(): Promise<void> {
    // Loaded here, so the server render and pages without a meeting never carry socket.io.
    const { connectLive } = await import('$lib/live/socket.ts');
    if (this.destroyed) return;
    const socket = connectLive({
      onSignedOut: () => {
        if (!this.destroyed) this.connection = 'signedOut';
      },
    });
    this.socket = socket;
    socket.on('connect', () => this.join());
    socket.on('disconnect', () => {
      if (!this.destroyed) this.connection = 'reconnecting';
    });
    socket.io.on('reconnect_attempt', () => {
      if (!this.destroyed) this.connection = 'reconnecting';
    });
    socket.on('meeting:state', (state) => {
      if (state.meetingId === this.meetingId) this.apply(state);
    });
    this.ticker = setInterval(() => (this.now = Date.now() + this.skewMs), TICK_MS);
  }

  private join(): void {
    this.socket?.emit('meeting:join', { meetingId: this.meetingId }, (result) => {
      if (this.destroyed) return;
      if (result.ok) {
        this.connection = 'connected';
        this.apply(result.data);
      } else {
        this.connection = 'refused';
      }
    });
  }

  private apply(state: MeetingState): void {
    const serverNow = Date.parse(state.serverTime);
    if (Number.isFinite(serverNow)) this.skewMs = serverNow - Date.now();
    this.now = Date.now() + this.skewMs;
    this.state = state;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.socket) {
      this.socket.emit('meeting:leave', { meetingId: this.meetingId });
      this.socket.disconnect();
    }
    this.socket = null;
  }
}
