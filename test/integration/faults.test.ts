// kill -9 at seeded random moments while 20 clients edit one document (y-websocket, acks on) and
// save monthly reports over HTTP, 20 times in a row on the same port and SQLite file. After each
// crash: every report answered 201 is stored with the values sent, every Yjs update any client
// received or had acknowledged is in the stored document; after each restart the clients
// reconnect and converge (crash.test.ts does the same for editing alone, with 4 clients).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../db/dialect.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { contains, storedDoc } from '../helpers/storedDoc.ts';
import { apiToken, sessionCookie } from '../helpers/signIn.ts';

const CLIENTS = 20;
const ROUNDS = Number(process.env.FAULTS_ROUNDS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'samspil-faults-'));
const dbUrl = `file:${join(dir, 'faults.db')}`;
let server: ServerProcess | null = null;
afterAll(async () => {
  await server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface SentReport {
  providerId: string;
  month: string;
  referred: number;
  active: number;
  jobStarts: number;
  retained13of26: number;
  activationPct: number;
  satisfactionMean: number;
  satisfactionResponses: number;
}

/** Reports the server answered 201, by id, with what was sent. */
const acknowledged = new Map<string, SentReport>();

async function storedReports(): Promise<Map<string, SentReport>> {
  const handle = openDatabase(dbUrl);
  try {
    const rows = await handle.db.selectFrom('monthly_reports').selectAll().execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          providerId: r.provider_id, month: r.month, referred: r.referred, active: r.active, jobStarts: r.job_starts, retained13of26: r.retained_13_of_26,
          activationPct: r.activation_pct, satisfactionMean: r.satisfaction_mean ?? NaN, satisfactionResponses: r.satisfaction_responses,
        },
      ]),
    );
  } finally {
    await handle.close();
  }
}

describe('kill -9 during editing and report saving, 20 times', () => {
  it('loses no acknowledged report and no received or acknowledged update, and the clients converge', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: dbUrl, PORT: String(port) };
    server = await startServerProcess(env);
    const token = await apiToken(server.url, await sessionCookie(server.url, 'host@jobcenter.example'));
    const auth = { authorization: `Bearer ${token}` };
    const networks = await (await fetch(`${server.url}/api/networks`, { headers: auth })).json();
    const networkId: string = networks.networks[0].id;
    const detail = await (await fetch(`${server.url}/api/networks/${networkId}`, { headers: auth })).json();
    const providers: string[] = detail.providers.map((p: { id: string }) => p.id);
    const { meetings } = await (await fetch(`${server.url}/api/networks/${networkId}/meetings`, { headers: auth })).json();
    const name = `meeting:${meetings.find((m: { status: string }) => m.status === 'planned').id}:minutes`;

    const clients = Array.from({ length: CLIENTS }, () => {
      const client = yjsClient(server!.url, name, { token, acks: true });
      const received = new Y.Doc();
      client.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === client.provider) Y.applyUpdate(received, update);
      });
      return { client, received };
    });
    await Promise.all(clients.map((c) => c.client.synced()));

    let seed = 20_261_123;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    /** Each report gets a (provider, month) never used before: every 201 is version 1 of its month. */
    let nextReport = 0;
    const freshReport = (): SentReport => {
      const k = nextReport++;
      const index = Math.floor(k / providers.length);
      const jobStarts = Math.floor(random() * 10);
      return {
        providerId: providers[k % providers.length],
        month: `${1990 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
        referred: 10 + Math.floor(random() * 40),
        active: 50 + Math.floor(random() * 50),
        jobStarts,
        retained13of26: Math.floor(random() * (jobStarts + 1)),
        activationPct: Math.round(random() * 1000) / 10,
        satisfactionMean: Math.round((1 + random() * 4) * 10) / 10,
        satisfactionResponses: 1 + Math.floor(random() * 30),
      };
    };

    let updatesChecked = 0;
    let sentReports = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = Date.now();
      const url = server.url;
      let running = true;
      const typers = clients.map(async (c, i) => {
        let n = 0;
        while (running) {
          const text = c.client.doc.getText('t');
          text.insert(Math.floor(random() * (text.length + 1)), `r${round}c${i}n${n++};`);
          await new Promise((r) => setTimeout(r, 80 + random() * 120));
        }
      });
      const savers = clients.map(async () => {
        while (running) {
          const report = freshReport();
          sentReports++;
          const { providerId, ...body } = report;
          try {
            const res = await fetch(`${url}/api/networks/${networkId}/providers/${providerId}/reports`, {
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            if (res.status === 201) acknowledged.set((await res.json()).id, report);
            else if (running) throw new Error(`round ${round}: report answered ${res.status} ${await res.text()}`);
          } catch (e) {
            // A request cut by the crash was not acknowledged; anything else is a failure.
            if (running && !(e instanceof TypeError)) throw e;
          }
        }
      });
      // The crash comes at a random moment after the round's first acknowledged report, so every round has something to lose.
      const before = acknowledged.size;
      await eventually(() => acknowledged.size > before, `round ${round}: a first acknowledged report`, 20_000);
      await new Promise((r) => setTimeout(r, random() * 800));
      expect(await server.kill('SIGKILL')).toBeNull();
      running = false;
      await Promise.all([...typers, ...savers]);

      // Everything acknowledged, in any round so far, is stored with the values sent.
      const reports = await storedReports();
      for (const [id, sent] of acknowledged) expect(reports.get(id), `round ${round}: acknowledged report ${id} (${sent.month})`).toEqual(sent);

      const t1 = Date.now();
      const stored = await storedDoc(dbUrl, name);
      const sv = Y.decodeStateVector(Y.encodeStateVector(stored));
      for (const [i, c] of clients.entries()) {
        expect(contains(stored, c.received), `round ${round}: client ${i} received something that was not stored`).toBe(true);
        for (const [clientId, clock] of c.client.acked()) {
          expect(sv.get(clientId) ?? 0, `round ${round}: acknowledged update of ${clientId} missing`).toBeGreaterThanOrEqual(clock);
          updatesChecked++;
        }
      }

      // An edit while the server is down, then a restart on the same port and file: everyone merges.
      clients[round % CLIENTS].client.doc.getText('t').insert(0, `offline${round};`);
      const t2 = Date.now();
      server = await startServerProcess(env);
      const t3 = Date.now();
      await eventually(() => clients.every((c) => c.client.provider.wsconnected && c.client.provider.synced), `round ${round}: clients to reconnect`, 30_000);
      const expected = () => clients[0].client.doc.getText('t').toString();
      await eventually(() => clients.every((c) => c.client.doc.getText('t').toString() === expected()), `round ${round}: clients to converge`, 15_000);
      expect(expected()).toContain(`offline${round};`);
      if (process.env.FAULTS_VERBOSE) console.log(`round ${round}: run ${t1 - t0} ms, check ${t2 - t1} ms, start ${t3 - t2} ms, reconnect ${Date.now() - t3} ms; acknowledged reports ${acknowledged.size}`);
    }

    // A clean stop at the end: the stored state is what the clients agree on.
    await new Promise((r) => setTimeout(r, 300));
    expect(await server.kill('SIGTERM')).toBe(0);
    server = null;
    const final = await storedDoc(dbUrl, name);
    expect(final.getText('t').toString()).toBe(clients[0].client.doc.getText('t').toString());
    for (const c of clients) c.client.destroy();
    expect(acknowledged.size).toBeGreaterThan(ROUNDS);
    console.log(`faults: ${ROUNDS} kill -9 rounds, ${CLIENTS} clients; reports sent ${sentReports}, acknowledged and verified ${acknowledged.size} (all re-checked after each crash); acknowledged state-vector entries checked ${updatesChecked}; final document ${final.getText('t').length} characters`);
  }, 300_000);
});
