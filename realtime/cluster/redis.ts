// Redis connections for running several instances. Redis only relays (socket.io events, Yjs updates,
// awareness); the database stays the store of record, so losing Redis loses no data: each instance
// keeps serving its own clients, logs the fault once, and catches up when Redis returns.
import { Redis } from 'ioredis';
import type { Logger } from '../context.ts';

export interface RedisLink {
  /** Commands: the socket.io adapter's stream, and publishing Yjs relay messages. */
  command: Redis;
  /** Subscriptions (a subscribed connection can issue no other commands). */
  subscriber: Redis;
  /** Both connections are ready. */
  up(): boolean;
  /** Called each time Redis is back after an outage, or answers at last after being unreachable at start. */
  onResume(listener: () => void): void;
  close(): Promise<void>;
}

export function connectRedis(url: string, log: Logger): RedisLink {
  const options = {
    // Reconnect forever, backing off to 2 s; commands issued meanwhile fail fast or wait (see below).
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    maxRetriesPerRequest: 3,
    connectionName: 'samspil',
  };
  const command = new Redis(url, options);
  const subscriber = new Redis(url, options);
  const resumeListeners: Array<() => void> = [];
  let wasDown = false;
  let everReady = false;
  let closing = false;

  const watch = (client: Redis, role: string) => {
    // An outage starts when a connection closes, not at the first error: a Redis that is back before
    // the first reconnect attempt produces no error at all, and must still trigger catch-up.
    const down = (reason: string) => {
      if (closing) return;
      if (!wasDown) {
        const what = everReady ? 'connection lost' : 'not reachable';
        log.error(`redis ${role} ${what}: ${reason}; serving local clients only until it returns`);
      }
      wasDown = true;
    };
    client.on('close', () => down('connection closed'));
    // ioredis repeats the error on every retry; the listener also keeps it from being thrown.
    client.on('error', (err: Error) => down(err.message));
    client.on('ready', () => {
      if (!(command.status === 'ready' && subscriber.status === 'ready')) return;
      if (wasDown) {
        log.info('redis is back: relaying between instances again');
        for (const listener of resumeListeners) listener();
      }
      everReady = true;
      wasDown = false;
    });
  };
  watch(command, 'command');
  watch(subscriber, 'subscriber');

  return {
    command,
    subscriber,
    up: () => command.status === 'ready' && subscriber.status === 'ready',
    onResume: (listener) => resumeListeners.push(listener),
    async close() {
      closing = true;
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}
