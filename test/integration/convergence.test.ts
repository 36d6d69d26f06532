// Property: however y-websocket clients interleave edits, disconnects and reconnects, they all end
// with the same document, and the server stores exactly that document.
import { afterAll, beforeAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';

// Every y-websocket provider in Node adds a process 'exit' listener.
process.setMaxListeners(200);

let server: TestServer;
let token: string;
let meetingId: string;

beforeAll(async () => {
  server = await startTestServer({ yjsLimits: { maxMessagesPerSecond: 10_000 } });
  const cookie = await server.login('host@jobcenter.example');
  token = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token;
  meetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await server?.close();
});

type Op =
  | { kind: 'insert'; client: number; at: number; text: string }
  | { kind: 'delete'; client: number; at: number; length: number }
  | { kind: 'toggle'; client: number }
  | { kind: 'pause' };

const opArbitrary = (clients: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), client: fc.nat(clients - 1), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 8 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), client: fc.nat(clients - 1), at: fc.nat(), length: fc.integer({ min: 1, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle' as const), client: fc.nat(clients - 1) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
  );

let run = 0;

async function converges(clientCount: number, ops: Op[]): Promise<void> {
  // A fresh document per run: the scratch text lives in the minutes of the upcoming meeting, one key per run.
  const key = `run${run++}`;
  const name = `meeting:${meetingId}:minutes`;
  const clients = Array.from({ length: clientCount }, () => yjsClient(server.url, name, { token }));
  try {
    await Promise.all(clients.map((c) => c.synced()));
    for (const op of ops) {
      if (op.kind === 'pause') {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const c = clients[op.client];
      const text = c.doc.getText(key);
      if (op.kind === 'insert') text.insert(op.at % (text.length + 1), op.text);
      else if (op.kind === 'delete' && text.length > 0) {
        const at = op.at % text.length;
        text.delete(at, Math.min(op.length, text.length - at));
      } else if (op.kind === 'toggle') {
        if (c.provider.shouldConnect) c.provider.disconnect();
        else c.provider.connect();
      }
    }
    for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect();
    const texts = () => clients.map((c) => c.doc.getText(key).toString());
    await eventually(() => clients.every((c) => c.provider.synced) && new Set(texts()).size === 1, `${clientCount} clients to converge`, 15_000);

    // The server's stored state is that same text: a late reader sees it.
    const reader = yjsClient(server.url, name, { token });
    await reader.synced();
    await eventually(() => reader.doc.getText(key).toString() === texts()[0], 'a late reader to see the converged text', 5000);
    reader.destroy();
  } finally {
    for (const c of clients) c.destroy();
  }
}

describe('concurrent editing converges', () => {
  it('two clients, random edits with disconnects', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArbitrary(2), { minLength: 5, maxLength: 60 }), (ops) => converges(2, ops)), { numRuns: 40, seed: 20261123 });
  });

  it('ten clients, random edits with disconnects', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArbitrary(10), { minLength: 20, maxLength: 120 }), (ops) => converges(10, ops)), { numRuns: 15, seed: 4242 });
  });
});
