// Child process of the fan-out benchmark: holds N socket.io clients, records when each receives a
// leaderboard update, and reports per round. Kept apart so the server's event loop is measured alone.
import { io, type Socket } from 'socket.io-client';

interface Connect {
  type: 'connect';
  url: string;
  tokens: string[];
  count: number;
  subscribe: { networkId: string } | null;
  event: string;
}
type Command = Connect | { type: 'arm'; expected: number } | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
let sockets: Socket[] = [];
let received: number[] = [];
let expected = 0;

function send(message: unknown) {
  process.send!(message);
}

process.on('message', async (command: Command) => {
  if (command.type === 'connect') {
    sockets = [];
    for (let i = 0; i < command.count; i++) {
      const socket = io(command.url, { transports: ['websocket'], auth: { token: command.tokens[i % command.tokens.length] }, reconnection: false, forceNew: true });
      socket.on(command.event, () => {
        if (expected === 0) return;
        received.push(now());
        if (received.length === expected) {
          send({ type: 'round', received, cpuMs: process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000 });
          expected = 0;
        }
      });
      sockets.push(socket);
    }
    await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    })));
    if (command.subscribe) {
      await Promise.all(sockets.map((s) => s.emitWithAck('leaderboard:subscribe', command.subscribe)));
    }
    send({ type: 'connected', count: sockets.length });
  } else if (command.type === 'arm') {
    received = [];
    expected = command.expected;
    send({ type: 'armed' });
  } else {
    for (const s of sockets) s.close();
    sockets = [];
    send({ type: 'closed' });
  }
});
