// The live leaderboard: honest figures over the API, live updates over socket.io the moment a
// report is saved, and sealing that never lets another provider's figures reach a provider's client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connected, eventually, liveClient, type LiveClient } from '../helpers/clients.ts';

let server: TestServer;
let providers: string[];
const as = (email: string) => server.as(email);

beforeAll(async () => {
  server = await startTestServer();
  providers = await server.providerIds();
});
afterAll(async () => {
  await server?.close();
});

async function subscriber(email: string): Promise<{ socket: LiveClient; boards: Leaderboard[]; first: Leaderboard }> {
  const socket = liveClient(server.url, { cookie: await as(email) });
  await connected(socket);
  const boards: Leaderboard[] = [];
  socket.on('leaderboard:updated', (b) => boards.push(b));
  const ack = await socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
  if (!ack.ok) throw new Error(ack.error.message);
  return { socket, boards, first: ack.data };
}

describe('the leaderboard over HTTP', () => {
  it('shows every provider with figures, their n and 95 % intervals, and ranks that tie overlapping intervals', async () => {
    const res = await server.api(`/api/networks/${server.networkId}/leaderboard?metric=jobRate`, { cookie: await as('host@jobcenter.example') });
    expect(res.status).toBe(200);
    const board: Leaderboard = await res.json();
    expect(board.rows).toHaveLength(6);
    expect(board.to).toBe(addMonths(copenhagenMonth(new Date()), -1));
    expect(board.from).toBe(addMonths(board.to, -11));
    for (const row of board.rows) {
      const f = row.figures!;
      expect(f.months).toBe(12);
      expect(f.jobRate!.low).toBeLessThanOrEqual(f.jobRate!.estimate);
      expect(f.jobRate!.high).toBeGreaterThanOrEqual(f.jobRate!.estimate);
      expect(f.jobRate!.n).toBeGreaterThan(0);
      expect(f.medianWeeksToJob?.n).toBeGreaterThan(0);
      expect(f.standardised?.expected).toBeGreaterThan(0);
      expect(row.status).toBe('ranked');
    }
    // Overlapping intervals share a rank: every tie is mutual.
    for (const row of board.rows) for (const other of row.tiedWith) expect(board.rows.find((r) => r.providerId === other)!.tiedWith).toContain(row.providerId);
    const ranks = board.rows.map((r) => r.rank!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(board.programmes.length).toBeGreaterThan(0);
  });

  it('figures on fewer citizens than the minimum are "too few to rate", not ranked', async () => {
    const host = await as('host@jobcenter.example');
    const set = await server.api(`/api/networks/${server.networkId}/leaderboard/settings`, { method: 'PUT', cookie: host, body: JSON.stringify({ minCitizensToRate: 1000 }) });
    expect(set.status).toBe(200);
    const board: Leaderboard = await (await server.api(`/api/networks/${server.networkId}/leaderboard?metric=retention`, { cookie: host })).json();
    expect(board.rows.every((r) => r.status === 'too_few' && r.rank === null)).toBe(true);
    await server.api(`/api/networks/${server.networkId}/leaderboard/settings`, { method: 'PUT', cookie: host, body: JSON.stringify({ minCitizensToRate: 20 }) });
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/settings`, { method: 'PUT', cookie: await as('anna@provider1.example'), body: JSON.stringify({ minCitizensToRate: 1 }) })).status).toBe(403);
  });

  it('survival curves: one Kaplan–Meier curve per provider, non-increasing', async () => {
    const body = await (await server.api(`/api/networks/${server.networkId}/survival`, { cookie: await as('viewer@jobcenter.example') })).json();
    expect(body.curves).toHaveLength(6);
    for (const c of body.curves) {
      const s = c.steps.map((x: { survival: number }) => x.survival);
      for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
    }
  });

  it('exports the board as CSV and XLSX', async () => {
    const csv = await server.api(`/api/networks/${server.networkId}/leaderboard/export.csv`, { cookie: await as('host@jobcenter.example') });
    expect(csv.status).toBe(200);
    // Danish Excel's CSV: ';' between cells and decimal commas in numbers.
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toContain('rank;status;provider;jobRatePct');
    const rate = lines[0].split(';').indexOf('jobRatePct');
    const rates = lines.slice(1).map((l) => l.split(';')[rate]).filter((v) => v !== '');
    expect(rates.length).toBeGreaterThan(0);
    for (const r of rates) expect(r).toMatch(/^\d+(,\d+)?$/);
    expect(rates.some((r) => r.includes(','))).toBe(true);
    const xlsx = await server.api(`/api/networks/${server.networkId}/leaderboard/export.xlsx`, { cookie: await as('viewer@jobcenter.example') });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
  });
});

describe('live and sealed', () => {
  it('a report saved through the API reaches every subscribed client; a reconnecting client gets the current board', async () => {
    const host = await subscriber('host@jobcenter.example');
    const viewer = await subscriber('viewer@jobcenter.example');
    const month = addMonths(copenhagenMonth(new Date()), -1);
    const before = host.first.rows.find((r) => r.providerId === providers[2])!.figures!.jobRate!.count;
    const res = await server.api(`/api/networks/${server.networkId}/providers/${providers[2]}/reports`, {
      method: 'POST',
      cookie: await as('dorthe@provider3.example'),
      body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 20, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17, reason: 'Glemte jobstarter fra sidste uge' }),
    });
    expect(res.status).toBe(201);
    const countIn = (b: Leaderboard) => b.rows.find((r) => r.providerId === providers[2])!.figures!.jobRate!.count;
    await eventually(() => host.boards.some((b) => countIn(b) !== before), 'the host to receive the new board');
    await eventually(() => viewer.boards.some((b) => countIn(b) !== before), 'the viewer to receive the new board');
    const updated = countIn(host.boards.at(-1)!);

    viewer.socket.disconnect();
    viewer.socket.connect();
    await connected(viewer.socket);
    const again = await viewer.socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
    expect(again.ok && countIn(again.data)).toBe(updated);
    host.socket.close();
    viewer.socket.close();
  });

  it('while sealed, a provider’s client and API responses carry only its own figures; reveal reaches every screen at once', async () => {
    const anna = await subscriber('anna@provider1.example');
    const bo = await subscriber('bo@provider2.example');
    const viewer = await subscriber('viewer@jobcenter.example');
    const host = await subscriber('host@jobcenter.example');
    const period = { from: anna.first.from, to: anna.first.to };
    const otherFigures = JSON.stringify(anna.first.rows.find((r) => r.providerId === providers[1])!.figures);

    const seal = await server.api(`/api/networks/${server.networkId}/leaderboard/seal`, { method: 'POST', cookie: await as('host@jobcenter.example'), body: JSON.stringify(period) });
    expect(seal.status).toBe(200);
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/seal`, { method: 'POST', cookie: await as('anna@provider1.example'), body: JSON.stringify(period) })).status).toBe(403);

    await eventually(() => anna.boards.some((b) => b.sealed !== null), 'Anna to receive the sealed board');
    await eventually(() => viewer.boards.some((b) => b.sealed !== null) && bo.boards.some((b) => b.sealed !== null) && host.boards.some((b) => b.sealed !== null), 'everyone to receive it');
    const annaSealed = anna.boards.at(-1)!;
    expect(annaSealed.view).toBe('own');
    for (const row of annaSealed.rows) {
      if (row.providerId === providers[0]) expect(row.figures).not.toBeNull();
      else expect(row).toMatchObject({ status: 'sealed', figures: null, rank: null });
    }
    expect(annaSealed.rows.find((r) => r.providerId === providers[0])!.rank).toBeNull();
    // Nothing of Bo's figures anywhere in what Anna's client received after sealing.
    expect(JSON.stringify(anna.boards.filter((b) => b.sealed))).not.toContain(otherFigures);
    for (const p of annaSealed.programmes) {
      expect(p.network).toBeNull();
      expect(p.providers.every((x) => x.providerId === providers[0])).toBe(true);
    }
    expect(viewer.boards.at(-1)!.rows.every((r) => r.figures === null)).toBe(true);
    expect(host.boards.at(-1)!.rows.every((r) => r.figures !== null)).toBe(true);

    const viaApi: Leaderboard = await (await server.api(`/api/networks/${server.networkId}/leaderboard`, { cookie: await as('bo@provider2.example') })).json();
    expect(viaApi.rows.filter((r) => r.figures !== null).map((r) => r.providerId)).toEqual([providers[1]]);
    const wider: Leaderboard = await (await server.api(`/api/networks/${server.networkId}/leaderboard?from=2020-01&to=${period.to}`, { cookie: await as('bo@provider2.example') })).json();
    expect(wider.sealed).not.toBeNull();
    const curves = await (await server.api(`/api/networks/${server.networkId}/survival`, { cookie: await as('bo@provider2.example') })).json();
    expect(curves.curves.map((c: { providerId: string }) => c.providerId)).toEqual([providers[1]]);

    const countBefore = { anna: anna.boards.length, bo: bo.boards.length, viewer: viewer.boards.length };
    const reveal = await server.api(`/api/networks/${server.networkId}/leaderboard/reveal`, { method: 'POST', cookie: await as('host@jobcenter.example') });
    expect(await reveal.json()).toEqual({ revealed: 1 });
    await eventually(
      () => [anna, bo, viewer].every((s, i) => s.boards.length > Object.values(countBefore)[i] && s.boards.at(-1)!.sealed === null && s.boards.at(-1)!.rows.every((r) => r.figures !== null)),
      'every screen to show the full board',
    );
    for (const s of [anna, bo, viewer, host]) s.socket.close();
  });

  it('while sealed, a provider watching alone (one view, sent through the period room) still gets only its own figures', async () => {
    const bo = await subscriber('bo@provider2.example');
    // Alone: the period's room then holds Bo's screen only, and the push takes the one-view path.
    const boardRooms = () => [...server.io.of('/').adapter.rooms].filter(([room]) => room.startsWith('leaderboard:'));
    await eventually(() => boardRooms().every(([, sockets]) => sockets.size === 1 && sockets.has(bo.socket.id!)), 'the other tests’ screens to be gone');
    const host = await as('host@jobcenter.example');
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/seal`, { method: 'POST', cookie: host, body: JSON.stringify({ from: bo.first.from, to: bo.first.to }) })).status).toBe(200);
    await eventually(() => bo.boards.some((b) => b.sealed !== null), 'the sealed board');
    const month = addMonths(copenhagenMonth(new Date()), -1);
    const pushes = bo.boards.length;
    const res = await server.api(`/api/networks/${server.networkId}/providers/${providers[0]}/reports`, {
      method: 'POST',
      cookie: await as('anna@provider1.example'),
      body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 13, retained13of26: 2, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 12, reason: 'Forseglet rettelse' }),
    });
    expect(res.status).toBe(201);
    await eventually(() => bo.boards.length > pushes, 'the board after Anna’s save');
    for (const board of bo.boards.filter((b) => b.sealed)) {
      expect(board.view).toBe('own');
      expect(board.rows.filter((r) => r.figures !== null).map((r) => r.providerId)).toEqual([providers[1]]);
    }
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/reveal`, { method: 'POST', cookie: host })).status).toBe(200);
    bo.socket.close();
  });

  it('boards updated in place after a save equal a full recomputation, for every view and period, sealed or not', async () => {
    const month = addMonths(copenhagenMonth(new Date()), -1);
    const short = { from: addMonths(month, -2), to: month };
    const watchers = await Promise.all(['host@jobcenter.example', 'anna@provider1.example', 'viewer@jobcenter.example'].map((email) => subscriber(email)));
    const shortWatcher = await subscriber('bo@provider2.example');
    const shortAck = await shortWatcher.socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId, ...short });
    expect(shortAck.ok).toBe(true);
    const emails = ['host@jobcenter.example', 'anna@provider1.example', 'viewer@jobcenter.example'];
    const withoutTime = (b: Leaderboard) => ({ ...b, generatedAt: '' });
    const viaApi = async (email: string, period?: { from: string; to: string }) =>
      withoutTime(await (await server.api(`/api/networks/${server.networkId}/leaderboard${period ? `?from=${period.from}&to=${period.to}` : ''}`, { cookie: await as(email) })).json());

    let round = 0;
    const saveAndCompare = async (providerIndex: number, email: string) => {
      const counts = [...watchers, shortWatcher].map((w) => w.boards.length);
      const res = await server.api(`/api/networks/${server.networkId}/providers/${providers[providerIndex]}/reports`, {
        method: 'POST',
        cookie: await as(email),
        body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 10 + round, retained13of26: 2, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 12, reason: `Rettelse nummer ${++round}` }),
      });
      expect(res.status).toBe(201);
      await eventually(() => [...watchers, shortWatcher].every((w, i) => w.boards.length > counts[i]), 'every watcher to receive the board');
      for (const [i, w] of watchers.entries()) expect(withoutTime(w.boards.at(-1)!)).toEqual(await viaApi(emails[i]));
      expect(withoutTime(shortWatcher.boards.at(-1)!)).toEqual(await viaApi('bo@provider2.example', short));
    };
    // The first push after subscribing recomputes; the ones after it add the saved version in place.
    await saveAndCompare(0, 'anna@provider1.example');
    await saveAndCompare(0, 'anna@provider1.example');
    await saveAndCompare(3, 'host@jobcenter.example');
    // Report saves leave the course records alone, so browsers need not refetch the survival curves.
    expect(new Set(watchers[0].boards.map((b) => b.coursesVersion)).size).toBe(1);
    expect(watchers[0].boards[0].coursesVersion).toBe(watchers[0].first.coursesVersion);
    // A course import changes it, and is recomputed from the database (no in-place update).
    const pushes = watchers[0].boards.length;
    const courses = [
      'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
      `L-9001,Individuel coaching,${addMonths(month, -3)}-03,${addMonths(month, -1)}-10,${addMonths(month, -1)}-10,,0-3 mdr,Teknik,under 30`,
    ].join('\n');
    const imported = await server.api(`/api/networks/${server.networkId}/providers/${providers[0]}/courses/import`, {
      method: 'POST', cookie: await as('anna@provider1.example'), headers: { 'content-type': 'text/csv' }, body: courses,
    });
    expect(imported.status).toBe(201);
    await eventually(() => watchers[0].boards.length > pushes, 'the board after the course import');
    expect(watchers[0].boards.at(-1)!.coursesVersion).not.toBe(watchers[0].first.coursesVersion);
    expect(withoutTime(watchers[0].boards.at(-1)!)).toEqual(await viaApi(emails[0]));
    await saveAndCompare(2, 'dorthe@provider3.example');

    const host = await as('host@jobcenter.example');
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/seal`, { method: 'POST', cookie: host, body: JSON.stringify({ from: watchers[0].first.from, to: month }) })).status).toBe(200);
    await eventually(() => watchers.every((w) => w.boards.at(-1)?.sealed), 'the sealed board');
    await saveAndCompare(1, 'bo@provider2.example');
    await saveAndCompare(0, 'anna@provider1.example');
    expect(JSON.stringify(watchers[1].boards.at(-1)!.rows.filter((r) => r.providerId !== providers[0]).map((r) => r.figures))).toBe(JSON.stringify([null, null, null, null, null]));
    expect((await server.api(`/api/networks/${server.networkId}/leaderboard/reveal`, { method: 'POST', cookie: host })).status).toBe(200);
    await eventually(() => watchers.every((w) => w.boards.at(-1)?.sealed === null), 'the revealed board');
    for (const w of [...watchers, shortWatcher]) w.socket.close();
  });

  it('a screen that switches period gets one board per save, for the period it watches now; after unsubscribing none', async () => {
    const month = addMonths(copenhagenMonth(new Date()), -1);
    const short = { from: addMonths(month, -1), to: month };
    const switcher = await subscriber('host@jobcenter.example');
    const stayer = await subscriber('viewer@jobcenter.example');
    const switched = await switcher.socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId, ...short });
    expect(switched.ok).toBe(true);
    let round = 0;
    const save = async () => {
      const res = await server.api(`/api/networks/${server.networkId}/providers/${providers[4]}/reports`, {
        method: 'POST',
        cookie: await as('host@jobcenter.example'),
        body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 7 + round, retained13of26: 2, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 12, reason: `Periodeskift ${++round}` }),
      });
      expect(res.status).toBe(201);
    };
    // Anything pushed to a socket is written before the answer to a request it sends afterwards.
    const settled = (socket: LiveClient) => socket.emitWithAck('leaderboard:unsubscribe', { networkId: 'no-such-network' });

    await save();
    await eventually(() => switcher.boards.length === 1 && stayer.boards.length === 1, 'one board each');
    await settled(switcher.socket);
    await settled(stayer.socket);
    expect(switcher.boards.map((b) => [b.from, b.to])).toEqual([[short.from, short.to]]);
    expect(stayer.boards.map((b) => [b.from, b.to])).toEqual([[stayer.first.from, stayer.first.to]]);

    await switcher.socket.emitWithAck('leaderboard:unsubscribe', { networkId: server.networkId });
    await save();
    await eventually(() => stayer.boards.length === 2, 'the next board for the screen still watching');
    await settled(switcher.socket);
    expect(switcher.boards).toHaveLength(1);
    switcher.socket.close();
    stayer.socket.close();
  });

  it('subscribing to another network or with a bad payload is refused', async () => {
    const s = liveClient(server.url, { cookie: await as('anna@provider1.example') });
    await connected(s);
    expect(await s.emitWithAck('leaderboard:subscribe', { networkId: 'elsewhere' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await s.emitWithAck('leaderboard:subscribe', { networkId: server.networkId, from: 'last year' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    s.close();
  });
});
