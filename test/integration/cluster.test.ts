// Two real server processes over one PostgreSQL schema and one Redis: socket.io events, presence
// and Yjs edits cross instances; Redis going away leaves each instance serving its own clients,
// and relaying resumes (and catches up) when it returns; an instance killed with SIGKILL loses
// nothing any client received, and its clients carry on at the other instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { connected, eventually, liveClient, yjsClient, type LiveClient } from '../helpers/clients.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { redisServerAvailable, startOwnRedis, type OwnRedis } from '../helpers/redis.ts';
import { postgresAvailable } from '../helpers/services.ts';

const available = (await postgresAvailable()) && redisServerAvailable();

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'samspil-demo' }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

describe.skipIf(!available)('two instances over PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let networkId: string;
  let providerId: string;
  const clients: LiveClient[] = [];
  const month = (() => {
    const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
    return `${p.find((x) => x.type === 'year')!.value}-${p.find((x) => x.type === 'month')!.value}`;
  })();
  let jobStarts = 0;
  let minutes: string;
  const editors: Array<ReturnType<typeof yjsClient>> = [];
  const editor = async (url: string, email: string) => {
    const client = yjsClient(url, minutes, { cookie: await login(url, email) });
    editors.push(client);
    await client.synced();
    return client;
  };
  const text = (client: ReturnType<typeof yjsClient>) => client.doc.getText('cluster').toString();
  async function storedDoc(): Promise<Y.Doc> {
    const loaded = await new DatabaseDocumentStore({ db: database.db, postgres: true, now: () => new Date() }).loadDoc(minutes);
    return loaded?.doc ?? new Y.Doc();
  }
  /** Does `stored` hold everything `other` has? */
  const holds = (stored: Y.Doc, other: Y.Doc) => Y.decodeUpdate(Y.diffUpdate(Y.encodeStateAsUpdate(other), Y.encodeStateVector(stored))).structs.length === 0;

  const env = () => ({ DATABASE_URL: database.url, DATABASE_SCHEMA: database.pgSchema!, REDIS_URL: redis.url, PORT: '0' });
  const open = async (url: string, email: string) => {
    const socket = liveClient(url, { cookie: await login(url, email) });
    clients.push(socket);
    await connected(socket);
    return socket;
  };
  const subscribeBoard = async (socket: LiveClient) => {
    const boards: Leaderboard[] = [];
    socket.on('leaderboard:updated', (board) => boards.push(board));
    const ack = await socket.emitWithAck('leaderboard:subscribe', { networkId });
    expect(ack.ok).toBe(true);
    return boards;
  };
  /** Saves a correction of this month (or `at.month`) for the first provider (or `at.provider`) through `url`'s API, as the host. */
  const saveReport = async (url: string, at: { provider?: string; month?: string } = {}) => {
    jobStarts++;
    const res = await fetch(`${url}/api/networks/${networkId}/providers/${at.provider ?? providerId}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await login(url, 'host@jobcenter.example') },
      body: JSON.stringify({ month: at.month ?? month, referred: 9, active: 41, jobStarts, retained13of26: 0, activationPct: 33.5, satisfactionResponses: 0, reason: `cluster test ${jobStarts}` }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    database = await freshDatabase('postgres', { migrate: false });
    redis = await startOwnRedis();
    a = await startServerProcess({ ...env(), SEED: 'true' });
    b = await startServerProcess({ ...env(), SEED: 'false' });
    const network = await database.db.selectFrom('networks').select('id').executeTakeFirstOrThrow();
    networkId = network.id;
    const planned = await database.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow();
    minutes = `meeting:${planned.id}:minutes`;
    providerId = (await database.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
  }, 120_000);

  afterAll(async () => {
    if (process.env.DEBUG_CLUSTER) console.log(a?.output().slice(-3000), b?.output().slice(-3000));
    for (const c of clients) c.disconnect();
    for (const e of editors) e.destroy();
    await a?.kill('SIGTERM');
    await b?.kill('SIGTERM');
    await redis?.stop();
    await database?.drop();
  });

  it('a report saved through instance A reaches leaderboard subscribers on instance B', async () => {
    const onB = await subscribeBoard(await open(b.url, 'viewer@jobcenter.example'));
    const onA = await subscribeBoard(await open(a.url, 'bo@provider2.example'));
    await saveReport(a.url);
    await eventually(() => onB.length > 0 && onA.length > 0, 'the board on both instances', 10_000);
    expect(onB.at(-1)!.networkId).toBe(networkId);
  });

  it('presence lists agree across instances', async () => {
    const anna = await open(a.url, 'anna@provider1.example');
    const host = await open(b.url, 'host@jobcenter.example');
    const seenByAnna: string[][] = [];
    anna.on('presence:updated', (p) => seenByAnna.push(p.present.map((x) => x.name)));
    const joinedAnna = await anna.emitWithAck('presence:join', { networkId });
    expect(joinedAnna.ok).toBe(true);
    const joinedHost = await host.emitWithAck('presence:join', { networkId });
    expect(joinedHost.ok && joinedHost.data.present.map((p) => p.name)).toEqual(expect.arrayContaining(['Anna Holm']));
    await eventually(() => seenByAnna.some((names) => names.length === 2), "Anna's list to show the host on the other instance", 10_000);
    const fromA = await anna.emitWithAck('presence:join', { networkId });
    const fromB = await host.emitWithAck('presence:join', { networkId });
    expect(fromA.ok && fromB.ok).toBe(true);
    if (fromA.ok && fromB.ok) expect(fromA.data.present).toEqual(fromB.data.present);
  });

  it('y-websocket clients on different instances co-edit one document and converge; awareness crosses too', async () => {
    const onA = await editor(a.url, 'host@jobcenter.example');
    const onB = await editor(b.url, 'host@jobcenter.example');
    onA.doc.getText('cluster').insert(0, 'A1 ');
    onB.doc.getText('cluster').insert(0, 'B1 ');
    for (let i = 0; i < 20; i++) (i % 2 ? onA : onB).doc.getText('cluster').insert(0, `${i} `);
    await eventually(() => text(onA).length > 0 && text(onA) === text(onB) && text(onA).includes('A1') && text(onA).includes('B1'), 'both instances to converge', 10_000);
    onA.provider.awareness.setLocalStateField('cursor', { at: 1 });
    await eventually(() => [...onB.provider.awareness.getStates().values()].some((st) => (st as { cursor?: unknown }).cursor), 'awareness from A on B', 10_000);
  });

  it("a purge through instance A closes the document's connections on instance B too; they come back to the same text", async () => {
    const onB = await editor(b.url, 'host@jobcenter.example');
    onB.doc.getText('cluster').insert(0, 'before the purge ');
    await eventually(() => onB.provider.wsconnected, 'the editor on B to be connected', 5000);
    const before = text(onB);
    const closes: number[] = [];
    onB.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    const meetingId = minutes.split(':')[1];
    const res = await fetch(`${a.url}/api/meetings/${meetingId}/documents/purge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await login(a.url, 'host@jobcenter.example') },
      body: JSON.stringify({ names: [minutes] }),
    });
    expect(res.status).toBe(200);
    // 4301: reconnect and reload. Before, B's clients stayed on with the old history until they happened to reconnect.
    await eventually(() => closes.includes(4301), "B's client to be closed by the purge", 5000);
    await eventually(() => onB.provider.wsconnected && onB.provider.synced, "B's client to be back", 10_000);
    expect(text(onB)).toBe(before);
    expect((await storedDoc()).getText('cluster').toString()).toBe(before);
  });

  it('without Redis each instance serves its own clients; relaying resumes when Redis returns', async () => {
    const onB = await subscribeBoard(await open(b.url, 'viewer@jobcenter.example'));
    const onA = await subscribeBoard(await open(a.url, 'viewer@jobcenter.example'));
    const editorA = await editor(a.url, 'host@jobcenter.example');
    const editorB = await editor(b.url, 'host@jobcenter.example');
    await redis.stop();
    editorA.doc.getText('cluster').insert(0, 'while-redis-was-down ');
    const [seenOnA, seenOnB] = [onA.length, onB.length];
    await saveReport(a.url); // stored in PostgreSQL; A's own subscribers hear it at once
    await eventually(() => onA.length > seenOnA, 'the board on A while Redis is down', 10_000);
    // A does not hear of B's saves now, so A's next push must come from the database, not from
    // adding its own save to the board it pushed last (which lacks B's).
    const boardMonth = onA.at(-1)!.to;
    const second = (await database.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').execute())[1].organisation_id;
    await saveReport(b.url, { provider: second, month: boardMonth });
    const seenBeforeOwn = onA.length;
    await saveReport(a.url, { month: boardMonth });
    await eventually(() => onA.length > seenBeforeOwn, 'the board on A after its own save', 10_000);
    const fromDatabase: Leaderboard = await (await fetch(`${a.url}/api/networks/${networkId}/leaderboard`, { headers: { cookie: await login(a.url, 'viewer@jobcenter.example') } })).json();
    const rowOf = (board: Leaderboard) => board.rows.find((r) => r.providerId === second)!.figures;
    expect(rowOf(onA.at(-1)!)).toEqual(rowOf(fromDatabase));
    const health = await fetch(`${b.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, redis: { ok: false } });
    await redis.start();
    await eventually(() => a.output().includes('redis is back') && b.output().includes('redis is back'), 'both instances to see Redis back', 15_000);
    // B catches up from the database what it missed while Redis was away.
    await eventually(() => text(editorB).includes('while-redis-was-down'), 'the edit made on A during the outage to reach B', 15_000);
    const before = onB.length;
    await saveReport(a.url);
    await eventually(() => onB.length > before, 'the board on B after Redis returned', 15_000);
    expect(onB.length).toBeGreaterThan(seenOnB);
    expect(a.output()).toMatch(/redis .*connection lost/);
  }, 60_000);
  it('an instance started while Redis is down serves its clients, says so, and joins once Redis answers', async () => {
    await redis.stop();
    const c = await startServerProcess({ ...env(), SEED: 'false' });
    try {
      await eventually(() => /redis \w+ not reachable/.test(c.output()), 'the instance to log that Redis is not reachable', 10_000);
      const health = await fetch(`${c.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, redis: { ok: false } });
      await editor(c.url, 'host@jobcenter.example'); // its own clients are served
      await redis.start();
      await eventually(() => c.output().includes('redis is back'), 'the instance to see Redis', 15_000);
    } finally {
      await c.kill('SIGTERM');
      await redis.start();
    }
  }, 60_000);
  it('SIGKILL of an instance mid-editing: its clients continue at the other, converge, and nothing anyone received is lost', async () => {
    const onA = await editor(a.url, 'host@jobcenter.example');
    const onB = await editor(b.url, 'host@jobcenter.example');
    let typing = true;
    const typist = (async () => {
      for (let i = 0; typing; i++) {
        onA.doc.getText('cluster').insert(0, `a${i} `);
        onB.doc.getText('cluster').insert(0, `b${i} `);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await a.kill('SIGKILL');
    typing = false;
    await typist;
    // What B's client has is what B relayed to it: all of it must be stored.
    const received = new Y.Doc();
    Y.applyUpdate(received, Y.encodeStateAsUpdate(onB.doc));
    // A's client (with edits A never stored) reconnects to B.
    const moved = yjsClient(b.url, minutes, { cookie: await login(b.url, 'host@jobcenter.example') });
    editors.push(moved);
    Y.applyUpdate(moved.doc, Y.encodeStateAsUpdate(onA.doc));
    onA.destroy();
    await moved.synced();
    await eventually(() => text(moved) === text(onB), 'the moved client and B to converge', 10_000);
    expect(text(onB)).toContain('a0 ');
    await new Promise((r) => setTimeout(r, 500)); // B stores before relaying; give its last batch a moment
    const stored = await storedDoc();
    expect(holds(stored, received)).toBe(true);
    expect(holds(stored, moved.doc)).toBe(true);
  }, 60_000);
});
