// kill -9 in the middle of concurrent editing, again and again: after each restart the stored
// document holds every acknowledged update and everything any client had received, and the
// clients (with their offline edits) converge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { contains, storedDoc as storedDocIn } from '../helpers/storedDoc.ts';
import { apiToken, sessionCookie } from '../helpers/signIn.ts';

const dir = mkdtempSync(join(tmpdir(), 'samspil-crash-'));
const dbUrl = `file:${join(dir, 'crash.db')}`;
let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface TrackedClient {
  client: ReturnType<typeof yjsClient>;
  /** Everything this client received from the server, applied to a doc of its own. */
  received: Y.Doc;
}

const storedDoc = (name: string) => storedDocIn(dbUrl, name);

describe('kill -9 during concurrent editing', () => {
  it('loses nothing any client received or was told was stored, over repeated crashes', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: dbUrl, PORT: String(port) };
    server = await startServerProcess(env);
    const token = await apiToken(server.url, await sessionCookie(server.url, 'host@jobcenter.example'));
    const networks = await (await fetch(`${server.url}/api/networks`, { headers: { authorization: `Bearer ${token}` } })).json();
    const { meetings } = await (await fetch(`${server.url}/api/networks/${networks.networks[0].id}/meetings`, { headers: { authorization: `Bearer ${token}` } })).json();
    const name = `meeting:${meetings.find((m: { status: string }) => m.status === 'planned').id}:minutes`;

    const clients: TrackedClient[] = [];
    for (let i = 0; i < 4; i++) {
      const client = yjsClient(server.url, name, { token, acks: true });
      const tracked: TrackedClient = { client, received: new Y.Doc() };
      client.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === client.provider) Y.applyUpdate(tracked.received, update);
      });
      clients.push(tracked);
    }
    await Promise.all(clients.map((c) => c.client.synced()));

    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      // Everyone types while the server is killed at a random moment.
      let typing = true;
      const typers = clients.map(async (c, i) => {
        let n = 0;
        while (typing) {
          const text = c.client.doc.getText('t');
          text.insert(Math.floor(random() * (text.length + 1)), `r${round}c${i}n${n++};`);
          await new Promise((r) => setTimeout(r, 2 + random() * 8));
        }
      });
      await new Promise((r) => setTimeout(r, 100 + random() * 400));
      expect(await server.kill('SIGKILL')).toBeNull();
      typing = false;
      await Promise.all(typers);

      const stored = await storedDoc(name);
      for (const [i, c] of clients.entries()) {
        expect(contains(stored, c.received), `round ${round}: client ${i} received something that was not stored`).toBe(true);
        const storedSv = Y.encodeStateVector(stored);
        const sv = Y.decodeStateVector(storedSv);
        for (const [clientId, clock] of c.client.acked()) {
          expect(sv.get(clientId) ?? 0, `round ${round}: acknowledged update of ${clientId} missing`).toBeGreaterThanOrEqual(clock);
        }
      }

      // Offline edits while the server is down, then restart on the same port: clients reconnect and merge.
      clients[round % clients.length].client.doc.getText('t').insert(0, `offline${round};`);
      server = await startServerProcess(env);
      await eventually(() => clients.every((c) => c.client.provider.wsconnected && c.client.provider.synced), 'clients to reconnect', 20_000);
      const expected = () => clients[0].client.doc.getText('t').toString();
      await eventually(() => clients.every((c) => c.client.doc.getText('t').toString() === expected()), `round ${round}: clients to converge`, 10_000);
      expect(expected()).toContain(`offline${round};`);
    }

    // Finally the server's stored state equals what the clients agree on.
    await new Promise((r) => setTimeout(r, 300));
    expect(await server.kill('SIGTERM')).toBe(0);
    const final = await storedDoc(name);
    expect(final.getText('t').toString()).toBe(clients[0].client.doc.getText('t').toString());
    for (const c of clients) c.client.destroy();
    server = null;
  }, 180_000);
});
