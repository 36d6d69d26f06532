// The browser's socket.io connection, typed by the shared contract. Same origin: the session
// cookie authenticates it. Browser-only: call from onMount or an event handler.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$shared';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectLive(): LiveSocket {
  return io({ transports: ['websocket'] });
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
