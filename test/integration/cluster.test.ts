// Two real server processes over one PostgreSQL schema and one Redis: socket.io events and
// presence cross instances; Redis going away leaves each instance serving its own clients, and
// relaying resumes when it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../realtime/protocol.ts';
import { connected, eventually, liveClient, type LiveClient } from '../helpers/clients.ts';
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
  /** Saves a correction of this month through `url`'s API, as the host. */
  const saveReport = async (url: string) => {
    jobStarts++;
    const res = await fetch(`${url}/api/networks/${networkId}/providers/${providerId}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await login(url, 'host@jobcenter.example') },
      body: JSON.stringify({ month, referred: 9, active: 41, jobStarts, retained13of26: 0, activationPct: 33.5, satisfactionResponses: 0, reason: `cluster test ${jobStarts}` }),
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
    providerId = (await database.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
  }, 120_000);

  afterAll(async () => {
    if (process.env.DEBUG_CLUSTER) console.log(a?.output().slice(-3000), b?.output().slice(-3000));
    for (const c of clients) c.disconnect();
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

  it('without Redis each instance serves its own clients; relaying resumes when Redis returns', async () => {
    const onB = await subscribeBoard(await open(b.url, 'viewer@jobcenter.example'));
    const onA = await subscribeBoard(await open(a.url, 'viewer@jobcenter.example'));
    await redis.stop();
    const [seenOnA, seenOnB] = [onA.length, onB.length];
    await saveReport(a.url); // stored in PostgreSQL; A's own subscribers hear it at once
    await eventually(() => onA.length > seenOnA, 'the board on A while Redis is down', 10_000);
    expect((await fetch(`${b.url}/api/health`)).status).toBe(200);
    await redis.start();
    await eventually(() => a.output().includes('redis is back') && b.output().includes('redis is back'), 'both instances to see Redis back', 15_000);
    const before = onB.length;
    await saveReport(a.url);
    await eventually(() => onB.length > before, 'the board on B after Redis returned', 15_000);
    expect(onB.length).toBeGreaterThan(seenOnB);
    expect(a.output()).toMatch(/redis .*connection lost/);
  }, 60_000);
});
