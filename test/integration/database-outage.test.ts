// PostgreSQL going away under a running server: writes fail with a clear error (503 over HTTP;
// Yjs connections closed with "try again later", never acknowledged), nothing half-written remains,
// and everything works again when the database returns — the unstored edits arrive with the
// client's reconnect. A database that hangs (accepts, never answers) fails the same way, within the
// query timeout, instead of holding requests for ever.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, statementTimeoutMs } from '../../db/dialect.ts';
import { seedDemo } from '../../db/seed.ts';
import { hashPassword } from '../../realtime/auth/password.ts';
import { defaultIds } from '../../realtime/context.ts';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { cuttableProxy, type CuttableProxy } from '../helpers/cuttableProxy.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { POSTGRES_URL, postgresAvailable } from '../helpers/services.ts';

const available = await postgresAvailable();
/** DATABASE_QUERY_TIMEOUT_MS for this server: short, so the hang test is quick. */
const QUERY_TIMEOUT_MS = 2_000;
/** node-postgres's connectionTimeoutMillis (db/dialect.ts): a new connection to a hung database gives up after it. */
const CONNECT_TIMEOUT_MS = 5_000;

describe.skipIf(!available)('when PostgreSQL goes away', () => {
  let direct: TestDatabase;
  let proxy: CuttableProxy;
  let server: TestServer;
  let networkId: string;
  let providerId: string;
  let minutes: string;

  beforeAll(async () => {
    direct = await freshDatabase('postgres');
    await seedDemo(direct.db, { now: new Date(), newId: defaultIds, hashPassword });
    const target = new URL(POSTGRES_URL);
    proxy = await cuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.port = String(proxy.port);
    const handle = openDatabase(viaProxy.toString(), { pgSchema: direct.pgSchema, queryTimeoutMs: QUERY_TIMEOUT_MS });
    server = await startTestServer({ database: { ...handle, url: viaProxy.toString(), pgSchema: direct.pgSchema, drop: () => handle.close() } });
    networkId = (await direct.db.selectFrom('networks').select('id').executeTakeFirstOrThrow()).id;
    providerId = (await direct.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
    minutes = `meeting:${(await direct.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id}:minutes`;
  });
  afterAll(async () => {
    proxy?.unhang();
    await proxy?.restore().catch(() => {});
    await server?.close();
    await server?.database.drop();
    await proxy?.close();
    await direct?.drop();
  });

  /** Posts this month's report for the first provider (a new version each time); `stored` counts its versions, read directly. */
  async function reportWrite() {
    const cookie = await server.as('anna@provider1.example');
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date()).slice(0, 7);
    const body = JSON.stringify({ month, referred: 9, active: 41, jobStarts: 6, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17, reason: 'outage test' });
    return {
      post: () => server.api(`/api/networks/${networkId}/providers/${providerId}/reports`, { method: 'POST', cookie, body }),
      stored: async () => (await direct.db.selectFrom('monthly_reports').select('id').where('month', '=', month).where('provider_id', '=', providerId).execute()).length,
    };
  }

  async function expectUnavailable(res: Response): Promise<void> {
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/database is not reachable.*nothing was changed/) });
  }

  it('a report write fails with 503 and a clear message, leaves nothing behind, and succeeds once it is back', async () => {
    const report = await reportWrite();
    const before = await report.stored();
    await proxy.cut();
    await expectUnavailable(await report.post());
    expect((await server.api('/api/health')).status).toBe(503);
    await proxy.restore();
    expect(await report.stored()).toBe(before);
    expect((await report.post()).status).toBe(201);
    expect(await report.stored()).toBe(before + 1);
  });

  it('a database that accepts the connection and never answers: 503 within the query timeout, nothing stored, and the same request succeeds once it answers again', async () => {
    const report = await reportWrite();
    const before = await report.stored();
    proxy.hang();
    let refusedIn: number;
    try {
      // Twice: the second request must not find a connection left waiting behind the first one's unanswered query.
      for (const attempt of [1, 2]) {
        const started = performance.now();
        const refused = await report.post();
        refusedIn = performance.now() - started;
        console.log(`hung database, attempt ${attempt}: ${refused.status} after ${Math.round(refusedIn)} ms (query timeout ${QUERY_TIMEOUT_MS} ms)`);
        await expectUnavailable(refused);
        // One query's timeout, or a new connection's, plus a margin for a loaded machine; never a hang.
        expect(refusedIn).toBeLessThan(Math.max(QUERY_TIMEOUT_MS, CONNECT_TIMEOUT_MS) + 3_000);
      }
    } finally {
      proxy.unhang();
    }
    expect(await report.stored()).toBe(before);
    // No restart: the pool gave up the connections whose queries went unanswered.
    const started = performance.now();
    const saved = await report.post();
    console.log(`after the hang: ${saved.status} after ${Math.round(performance.now() - started)} ms`);
    expect(saved.status).toBe(201);
    expect(await report.stored()).toBe(before + 1);
  }, 30_000);

  it('a statement stuck behind a lock is cancelled by the statement timeout: 503, nothing stored, and it goes through once the lock is gone', async () => {
    const { post, stored } = await reportWrite();
    const before = await stored();
    // Another session holds the table, as a stuck transaction or a long migration would.
    const locker = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${direct.pgSchema}` });
    await locker.connect();
    let waitedMs = 0;
    try {
      await locker.query('begin');
      await locker.query('lock table monthly_reports in access exclusive mode');
      const started = performance.now();
      const res = await post();
      waitedMs = performance.now() - started;
      await expectUnavailable(res);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
    console.log(`a report write behind a lock: 503 after ${waitedMs.toFixed(0)} ms (statement timeout ${statementTimeoutMs(QUERY_TIMEOUT_MS)} ms)`);
    expect(waitedMs).toBeGreaterThanOrEqual(statementTimeoutMs(QUERY_TIMEOUT_MS) - 50);
    // Cancelled by the server, before the client's own timeout would have given up on the connection.
    expect(waitedMs).toBeLessThan(QUERY_TIMEOUT_MS);
    expect(await stored()).toBe(before);
    expect((await post()).status).toBe(201);
    expect(await stored()).toBe(before + 1);
  }, 30_000);

  it('a Yjs edit is not acknowledged while the database is away; the connection is told to try again, and the edit is stored after it returns', async () => {
    const client = yjsClient(server.url, minutes, { cookie: await server.as('host@jobcenter.example'), acks: true });
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    await client.synced();
    await proxy.cut();
    client.doc.getText('outage').insert(0, 'written while the database was away');
    await eventually(() => closes.includes(YjsCloseCode.storeUnavailable), 'the connection to close with 1013', 10_000);
    const acked = client.acked().get(client.doc.clientID) ?? 0;
    expect(acked).toBe(0); // never acknowledged
    await proxy.restore();
    // The stock client reconnects on its own and its sync sends the unstored edit again.
    await eventually(() => (client.acked().get(client.doc.clientID) ?? 0) > 0, 'the edit to be acknowledged after the database returned', 20_000);
    const stored = await new DatabaseDocumentStore({ db: direct.db, postgres: true, now: () => new Date() }).loadDoc(minutes);
    expect(stored?.doc.getText('outage').toString()).toBe('written while the database was away');
    client.destroy();
  }, 40_000);
});
