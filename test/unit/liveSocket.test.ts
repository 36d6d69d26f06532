// The retry timing of web/lib/live/socket.ts, on a stand-in socket with fake timers: the server's
// refusals are tried again after 2 s, doubling up to 30 s while they go on, and from 2 s again once
// a connection succeeded. (The behaviour against the real server: integration/live-refusals.test.ts.)
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { MAX_RETRY_AFTER_REFUSAL_MS, RETRY_AFTER_REFUSAL_MS, retryRefusals } from '../../web/lib/live/socket.ts';

/** What retryRefusals uses of a socket.io socket: events, connect(), disconnect() and `active`. */
class StandInSocket extends EventEmitter {
  active = true;
  connectCalls: number[] = [];
  connect() {
    this.connectCalls.push(Date.now());
    return this;
  }
  disconnect() {
    return this;
  }
  /** The server's middleware refused the connection (socket.io then stops by itself). */
  refuse(message: string) {
    this.active = false;
    this.emit('connect_error', new Error(message));
  }
}

describe('retrying connections the server refused', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('waits 2 s, then doubles while the refusals go on, up to 30 s; a success starts again from 2 s', () => {
    const socket = new StandInSocket();
    retryRefusals(socket as unknown as Socket);
    const pauses: number[] = [];
    let last = 0;
    for (let i = 0; i < 6; i++) {
      socket.refuse('rate_limited: at most 1000 connections per address');
      vi.advanceTimersByTime(MAX_RETRY_AFTER_REFUSAL_MS);
      const at = socket.connectCalls.at(-1)!;
      pauses.push(at - last);
      last = at;
      vi.setSystemTime(at);
    }
    expect(pauses).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);

    socket.active = true;
    socket.emit('connect');
    socket.emit('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(RETRY_AFTER_REFUSAL_MS);
    expect(socket.connectCalls.at(-1)! - last).toBe(RETRY_AFTER_REFUSAL_MS);
  });

  it('a refusal for a session that ended is reported, not retried; a network failure is left to socket.io', () => {
    const socket = new StandInSocket();
    let signedOut = 0;
    retryRefusals(socket as unknown as Socket, { onSignedOut: () => signedOut++ });
    socket.emit('connect_error', new Error('websocket error')); // still active: socket.io retries
    socket.refuse('unauthenticated: sign in or pass auth: { token }');
    vi.advanceTimersByTime(10 * MAX_RETRY_AFTER_REFUSAL_MS);
    expect(signedOut).toBe(1);
    expect(socket.connectCalls).toEqual([]);
  });
});
