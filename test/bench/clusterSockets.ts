// Client process of the cluster benchmark's leaderboard fan-out: socket.io clients subscribed to a
// network's leaderboard, spread over the instances given; records when each receives
// `leaderboard:updated` (wall clock: performance.timeOrigin + performance.now(), comparable across
// the benchmark's processes on one machine).
import { io, type Socket } from 'socket.io-client';
import { serveCommands } from './child.ts';
import { spreadSourceAddresses } from './clusterAddresses.ts';

export type SocketsCommand =
  /** Client i connects to urls[i % urls.length] with tokens[(first + i) % tokens.length], from 127.<50 + addressBlock>.x.y. */
  | { kind: 'connect'; urls: string[]; tokens: string[]; first: number; count: number; networkId: string; addressBlock: number }
  /** Resolves once every client has received the next update (or rejects after timeoutMs). */
  | { kind: 'round'; timeoutMs: number }
  | { kind: 'close' };
export interface RoundResult {
  /** Receipt times, wall clock ms. */
  received: number[];
  cpuMs: number;
}

const now = () => performance.timeOrigin + performance.now();
let sockets: Socket[] = [];
let onUpdate: (() => void) | null = null;

serveCommands<SocketsCommand>(async (command, emit) => {
  switch (command.kind) {
    case 'connect': {
      spreadSourceAddresses(command.addressBlock, 50);
      const made = Array.from({ length: command.count }, (_, i) =>
        io(command.urls[i % command.urls.length], { transports: ['websocket'], auth: { token: command.tokens[(command.first + i) % command.tokens.length] }, reconnection: false, forceNew: true }),
      );
      sockets.push(...made);
      for (const s of made) s.on('leaderboard:updated', () => onUpdate?.());
      await Promise.all(
        made.map(
          (s) =>
            new Promise<void>((resolve, reject) => {
              if (s.connected) return resolve();
              s.once('connect', () => resolve());
              s.once('connect_error', (err) => reject(new Error(`socket.io connect failed: ${err.message}`)));
            }),
        ),
      );
      const acks = await Promise.all(made.map((s) => s.timeout(30_000).emitWithAck('leaderboard:subscribe', { networkId: command.networkId }) as Promise<{ ok: boolean }>));
      if (acks.some((a) => !a.ok)) throw new Error('a leaderboard:subscribe was refused');
      return sockets.length;
    }
    case 'round': {
      const received: number[] = [];
      const cpuStart = process.cpuUsage();
      const result = await new Promise<RoundResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          onUpdate = null;
          reject(new Error(`only ${received.length} of ${sockets.length} clients received the update within ${command.timeoutMs} ms`));
        }, command.timeoutMs);
        onUpdate = () => {
          received.push(now());
          if (received.length < sockets.length) return;
          clearTimeout(timer);
          onUpdate = null;
          const cpu = process.cpuUsage(cpuStart);
          resolve({ received, cpuMs: (cpu.user + cpu.system) / 1000 });
        };
        emit('armed');
      });
      return result;
    }
    case 'close':
      for (const s of sockets) s.close();
      sockets = [];
      return null;
  }
});
