// Child process of the fan-out benchmark: holds socket.io clients in named groups (one group per
// server under test), records when each receives a leaderboard update, and reports per round with
// the CPU this process spent on it; or, in a process of its own, saves the reports. Kept apart so
// the server's event loop is measured alone.
import { io, type Socket } from 'socket.io-client';

interface Connect {
  type: 'connect';
  group: string;
  url: string;
  tokens: string[];
  /** Index of this process's first client among all clients, so tokens spread evenly. */
  first: number;
  count: number;
  subscribe: { networkId: string } | null;
  event: string;
}
/** Saves a report, as a provider's browser would: from outside the server's process. */
interface Post {
  type: 'post';
  url: string;
  token: string;
  body: string;
}
type Command = Connect | Post | { type: 'arm'; group: string } | { type: 'close' };

interface Group {
  sockets: Socket[];
  received: number[];
  payloads: unknown[];
  armed: boolean;
  cpuAtArm: NodeJS.CpuUsage;
}

const now = () => performance.timeOrigin + performance.now();
const groups = new Map<string, Group>();

function send(message: unknown) {
  process.send!(message);
}

function finish(group: string, g: Group) {
  g.armed = false;
  const cpu = process.cpuUsage(g.cpuAtArm);
  // What the clients were sent, in bytes of JSON: measured after the round, outside the latencies.
  const bytes = g.payloads.reduce<number>((sum, p) => sum + Buffer.byteLength(JSON.stringify(p)), 0);
  g.payloads = [];
  send({ type: 'round', group, received: g.received, bytes, cpuMs: (cpu.user + cpu.system) / 1000 });
}

process.on('message', async (command: Command) => {
  if (command.type === 'connect') {
    const g: Group = { sockets: [], received: [], payloads: [], armed: false, cpuAtArm: process.cpuUsage() };
    groups.set(command.group, g);
    for (let i = 0; i < command.count; i++) {
      const token = command.tokens[(command.first + i) % command.tokens.length];
      const socket = io(command.url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
      socket.on(command.event, (payload: unknown) => {
        if (!g.armed) return;
        g.received.push(now());
        g.payloads.push(payload);
        if (g.received.length === g.sockets.length) finish(command.group, g);
      });
      g.sockets.push(socket);
    }
    await Promise.all(
      g.sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
          }),
      ),
    );
    if (command.subscribe) {
      const subscribe = command.subscribe;
      await Promise.all(g.sockets.map((s) => s.emitWithAck('leaderboard:subscribe', subscribe)));
    }
    send({ type: 'connected', group: command.group, count: g.sockets.length });
  } else if (command.type === 'post') {
    const res = await fetch(command.url, { method: 'POST', headers: { authorization: `Bearer ${command.token}`, 'content-type': 'application/json' }, body: command.body });
    await res.arrayBuffer();
    send({ type: 'posted', status: res.status });
  } else if (command.type === 'arm') {
    const g = groups.get(command.group)!;
    g.received = [];
    g.payloads = [];
    g.armed = true;
    // Start the round with an empty young generation (see collectGarbage in fanout.ts).
    (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
    g.cpuAtArm = process.cpuUsage();
    send({ type: 'armed', group: command.group });
  } else {
    for (const g of groups.values()) for (const s of g.sockets) s.close();
    groups.clear();
    send({ type: 'closed' });
  }
});
