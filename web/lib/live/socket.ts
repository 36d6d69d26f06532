// The browser's socket.io connection, typed by the shared contract. Same origin: the session
// cookie authenticates it. Browser-only: call from onMount or an event handler.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$wire/socket.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveOptions {
  /** The server refused or ended the connection because this browser's session ended; it is not retried. */
  onSignedOut?: () => void;
}

/**
 * socket.io retries network failures by itself, but not a connection the server refused (its
 * middleware) or ended (a sign-out elsewhere, a flood): those are tried again after this, doubling
 * while the refusals go on (up to MAX_RETRY_AFTER_REFUSAL_MS), and the server's answer then says
 * whether the session is still good.
 */
export const RETRY_AFTER_REFUSAL_MS = 2000;
export const MAX_RETRY_AFTER_REFUSAL_MS = 30_000;

export function connectLive(options: LiveOptions = {}): LiveSocket {
  return retryRefusals(io({ transports: ['websocket'] }), options);
}

/** Tries a refused or ended connection again after a pause, unless the session has ended. */
export function retryRefusals<S extends Socket>(socket: S, options: LiveOptions = {}): S {
  let retry: ReturnType<typeof setTimeout> | undefined;
  let pause = RETRY_AFTER_REFUSAL_MS;
  const retryLater = () => {
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), pause);
    pause = Math.min(pause * 2, MAX_RETRY_AFTER_REFUSAL_MS);
  };
  socket.on('connect', () => (pause = RETRY_AFTER_REFUSAL_MS));
  socket.on('connect_error', (err: Error) => {
    if (socket.active) return; // a network failure: socket.io is already retrying
    // The server's middleware answers 'unauthenticated: …' when it no longer knows the session.
    if (err.message.startsWith('unauthenticated')) options.onSignedOut?.();
    else retryLater();
  });
  socket.on('disconnect', (reason: Socket.DisconnectReason) => {
    if (reason === 'io server disconnect') retryLater();
  });
  // A page that closes the socket must also cancel a retry that is waiting.
  const disconnect = socket.disconnect.bind(socket);
  socket.disconnect = () => {
    clearTimeout(retry);
    return disconnect();
  };
  return socket;
}

/** One connection for a page, opened on first need and shared by whatever on the page listens. */
export class SharedSocket {
  private socket: LiveSocket | null = null;

  get(): LiveSocket {
    this.socket ??= connectLive();
    return this.socket;
  }

  /** The socket once connected, or null if it does not connect within `ms` (work goes on without it). */
  async connected(ms = 2000): Promise<LiveSocket | null> {
    const socket = this.get();
    if (socket.connected) return socket;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.off('connect', onConnect);
        resolve(null);
      }, ms);
      const onConnect = () => {
        clearTimeout(timer);
        resolve(socket);
      };
      socket.once('connect', onConnect);
    });
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
  }
}
