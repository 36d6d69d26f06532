// Hostile and broken input over HTTP and socket.io, fuzzed with a fixed seed against the real
// server: every JSON endpoint of the OpenAPI document, the CSV/XLSX imports, and socket.io events.
// At least 10,000 inputs per target; never a 500 or a crash, always a clear error (or a closed
// connection), and a refused import stores nothing. (The Yjs endpoint: fuzz.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { REPORT_COLUMNS } from '../../realtime/results/importReports.ts';
import { COURSE_COLUMNS } from '../../realtime/results/importCourses.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connected, liveClient, type LiveClient } from '../helpers/clients.ts';
import { LIVE_LIMITS } from '../../realtime/live/io.ts';

const SEED = 20261123;
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

let server: TestServer;
let hostToken: string;
let ids: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await server.login('host@jobcenter.example');
  hostToken = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token;
  const db = server.ctx.db;
  ids = {
    networkId: server.networkId,
    providerId: (await db.selectFrom('network_providers').select('organisation_id').orderBy('position').executeTakeFirstOrThrow()).organisation_id,
    meetingId: (await db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id,
  };
});
afterAll(async () => {
  await server?.close();
});

/** Runs `task` over `items`, `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, task: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}

const isErrorBody = (body: unknown) => {
  const e = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } })?.error;
  return !!e && typeof e.code === 'string' && typeof e.message === 'string' && (e.issues === undefined || Array.isArray(e.issues));
};

async function tableCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(server.ctx.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    counts[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(server.ctx.db)).rows[0].n);
  }
  return counts;
}

/** An answer's text, and its JSON when it is JSON (null otherwise; the callers check which it must be). */
async function readAnswer(res: Response): Promise<{ text: string; parsed: unknown }> {
  const text = await res.text();
  try {
    return { text, parsed: JSON.parse(text) };
  } catch {
    return { text, parsed: null };
  }
}

describe('every JSON endpoint under fuzzed bodies', () => {
  it(`answers ${RUNS} generated bodies with 4xx and a clear error, never a 500`, async () => {
    const doc = await (await server.api('/api/openapi.json')).json();
    const routes: Array<{ method: string; path: string }> = [];
    for (const [path, ops] of Object.entries<Record<string, { requestBody?: { content?: Record<string, unknown> } }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch'].includes(method) || !op.requestBody?.content?.['application/json']) continue;
        const concrete = path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? (name === 'month' ? '2026-01' : 'x'));
        routes.push({ method: method.toUpperCase(), path: concrete });
      }
    }
    expect(routes.length).toBeGreaterThan(20);

    type Body = { kind: string; text: string; object: boolean };
    const json = (kind: string) => (v: unknown): Body => ({ kind, text: JSON.stringify(v) ?? 'null', object: v !== null && typeof v === 'object' && !Array.isArray(v) });
    const bodyArb: fc.Arbitrary<Body> = fc.oneof(
      { weight: 4, arbitrary: fc.anything().map(json('anything')) },
      { weight: 3, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(json('object')) },
      { weight: 2, arbitrary: fc.record({ email: fc.anything(), name: fc.anything(), month: fc.anything(), text: fc.anything(), reason: fc.anything(), terms: fc.anything() }, { requiredKeys: [] }).map(json('wrong types')) },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((text) => ({ kind: 'invalid json', text, object: false })) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => ({ kind: 'deep nesting', text: '['.repeat(n) + ']'.repeat(n), object: false })) },
      { weight: 1, arbitrary: fc.integer({ min: 100, max: 10_000 }).map((n) => ({ kind: 'deep object', text: '{"a":'.repeat(n) + '1' + '}'.repeat(n), object: true })) },
      { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 100_000 }).map((n) => ({ kind: 'huge string', text: JSON.stringify({ name: 'x'.repeat(n), text: 'y'.repeat(n), reason: 'z' }), object: true })) },
    );
    const bodies = fc.sample(fc.tuple(fc.nat(routes.length - 1), bodyArb), { seed: SEED, numRuns: RUNS });
    // A few bodies of over 1 MiB, last: the server answers 413 and closes the connection before
    // reading them, and a client reusing that connection for another request sees it fail.
    bodies.push(...[0, 1, 2, 3, 4].map((i): [number, Body] => [i % routes.length, { kind: 'over 1 MiB', text: JSON.stringify({ text: 'x'.repeat(1024 * 1024 + i) }), object: true }]));

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = Date.now();
    const sendBody = async ([r, body]: [number, Body]) => {
      const route = routes[r];
      let res: Response;
      try {
        res = await server.api(route.path, { method: route.method, token: hostToken, headers: { 'content-type': 'application/json' }, body: body.text });
      } catch (err) {
        // Over 1 MiB the server answers 413 and closes without reading the rest, so the upload may fail.
        if (body.kind !== 'over 1 MiB' && failures.length < 10) failures.push(`${route.method} ${route.path} ${body.kind} → ${String(err)}`);
        statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
        return;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const { text, parsed } = await readAnswer(res);
      const bad =
        res.status >= 500 ||
        (res.status >= 400 && !isErrorBody(parsed)) ||
        (!body.object && ![400, 413, 422].includes(res.status)) ||
        (body.kind === 'over 1 MiB' && res.status !== 413);
      if (bad && failures.length < 10) failures.push(`${route.method} ${route.path} ${body.kind} ${body.text.slice(0, 60)} → ${res.status} ${text.slice(0, 200)}`);
    };
    await pool(bodies.slice(0, -5), 8, sendBody);
    for (const b of bodies.slice(-5)) await sendBody(b);
    console.log(`JSON fuzz: ${bodies.length} requests over ${routes.length} routes in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures).toEqual([]);
    expect(bodies.length).toBeGreaterThanOrEqual(RUNS);
    expect((await server.api('/api/health')).status).toBe(200);
  }, 180_000);
});

describe('the CSV/XLSX imports under broken files', () => {
  it(`refuses ${RUNS} generated broken files with 400/413/422 and stores nothing`, async () => {
    const base = `/api/networks/${ids.networkId}/providers/${ids.providerId}`;
    const reportHeader = Object.values(REPORT_COLUMNS).map((names) => names[0]);
    const courseHeader = Object.values(COURSE_COLUMNS).map((names) => names[0]);
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('', '12,5', '2026-13', '-1', '1e99', '"', '"a""b', '0101901234', 'NaN', '=1+1'));
    const csvArb = fc.tuple(
      fc.constantFrom('reports', 'courses'),
      fc.constantFrom(',', ';', '\t'),
      fc.array(fc.array(cell, { maxLength: 12 }), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
    ).map(([target, sep, rows, bom]) => {
      const header = target === 'reports' ? reportHeader : courseHeader;
      // The first data row always has a month no calendar has, so no file is clean.
      const lines = [header.join(sep), ['2026-13', ...rows[0]].join(sep), ...rows.slice(1).map((r) => r.join(sep))];
      return { kind: 'csv', target, type: 'text/csv', body: new TextEncoder().encode((bom ? '\uFEFF' : '') + lines.join('\n')) };
    });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ark1');
    sheet.addRow(reportHeader);
    sheet.addRow(['2026-13', 'x', -1, 'y']);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    const xlsxArb = fc.oneof(
      fc.tuple(fc.nat(xlsx.length - 1), fc.nat(255), fc.nat(40)).map(([at, byte, n]) => {
        const b = xlsx.slice();
        for (let i = 0; i < n + 1; i++) b[(at + i * 97) % b.length] = byte;
        return b;
      }),
      fc.nat(xlsx.length - 1).map((n) => xlsx.slice(0, n)),
      fc.uint8Array({ maxLength: 200 }).map((junk) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...junk])),
      fc.constant(xlsx),
    ).chain((body) => fc.constantFrom('reports', 'courses').map((target) => ({ kind: 'xlsx', target, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body })));
    const otherArb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((body) => ({ kind: 'bytes', target: 'reports', type: 'text/csv', body })),
      fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(([type, text]) => ({ kind: 'wrong type', target: 'courses', type, body: new TextEncoder().encode(text) })),
      fc.constant({ kind: 'empty', target: 'reports', type: 'text/csv', body: new Uint8Array() }),
    );
    const files = fc.sample(fc.oneof({ weight: 6, arbitrary: csvArb }, { weight: 2, arbitrary: xlsxArb }, { weight: 2, arbitrary: otherArb }), { seed: SEED, numRuns: RUNS });
    const tooLarge = { kind: 'too large', target: 'reports', type: 'text/csv', body: new Uint8Array(5 * 1024 * 1024 + 1).fill(0x41) };

    const before = await tableCounts();
    let retries = 0;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const started = Date.now();
    const send = async (file: (typeof files)[number]) => {
      let res: Response;
      const post = () => server.api(`${base}/${file.target}/import`, { method: 'POST', token: hostToken, headers: { 'content-type': file.type }, body: file.body });
      try {
        // A kept-alive connection the server has just closed fails once at the socket level (seen
        // rarely under load, not understood yet): one retry, counted; a second failure is a failure.
        res = await post().catch(() => {
          retries++;
          return post();
        });
      } catch (err) {
        // Too large: the server answers 413 and closes without reading the rest, so the upload may fail.
        if (file.kind !== 'too large' && failures.length < 10) failures.push(`${file.kind} (${file.body.byteLength} B, ${file.type}) → ${String(err)} ${String((err as { cause?: unknown }).cause)}`);
        statuses.set(-1, (statuses.get(-1) ?? 0) + 1);
        return;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const { text, parsed } = await readAnswer(res);
      if ((![400, 413, 422].includes(res.status) || !isErrorBody(parsed)) && failures.length < 10) failures.push(`${file.kind} ${file.target} ${file.type} (${file.body.byteLength} B) → ${res.status} ${text.slice(0, 200)}`);
    };
    await pool(files, 6, send);
    await send(tooLarge); // last, alone: its connection is closed before the body is read
    console.log(`import fuzz: ${files.length + 1} files in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; retried after a socket error: ${retries}`);
    expect(failures).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  }, 180_000);
});

describe('socket.io under fuzzed events', () => {
  // 10,000 events from one connection are a flood by design; the event rate has its own test (live-limits).
  const eventsPerSecond = LIVE_LIMITS.eventsPerSecond;
  beforeAll(() => void (LIVE_LIMITS.eventsPerSecond = 1_000_000));
  afterAll(() => void (LIVE_LIMITS.eventsPerSecond = eventsPerSecond));

  it(`answers ${RUNS} wrong, unknown, ack-less and oversized events with an error ack or a closed connection`, async () => {
    const known = ['presence:join', 'presence:leave', 'leaderboard:subscribe', 'leaderboard:unsubscribe', 'meeting:join', 'meeting:leave'];
    const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
    type Event = { kind: string; event: string; args: unknown[]; ack: boolean };
    const payload = fc.oneof(
      fc.anything({ withTypedArray: false }),
      fc.record({ networkId: fc.oneof(fc.constant(ids.networkId), fc.anything()), meetingId: fc.oneof(fc.constant(ids.meetingId), fc.anything()), from: fc.anything(), to: fc.anything() }, { requiredKeys: [] }),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    const eventArb: fc.Arbitrary<Event> = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...known), fc.array(payload, { maxLength: 3 }), fc.boolean()).map(([event, args, ack]) => ({ kind: 'known', event, args, ack })) },
      { weight: 3, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 30 }), fc.array(payload, { maxLength: 2 }), fc.boolean()).map(([event, args, ack]) => ({ kind: 'unknown', event: reserved.has(event) || known.includes(event) ? `x${event}` : event, args, ack })) },
    );
    const events = fc.sample(eventArb, { seed: SEED, numRuns: RUNS });
    // A few payloads over maxHttpBufferSize (64 KiB): the server closes those connections.
    for (let i = 0; i < 5; i++) events.splice(i * 1999, 1, { kind: 'oversized', event: 'presence:join', args: [{ networkId: 'x'.repeat(65 * 1024 + i) }], ack: true });

    const open = async () => {
      const s = liveClient(server.url, { token: hostToken });
      await connected(s);
      return s;
    };
    let socket: LiveClient = await open();
    let connections = 1;
    const answers = new Map<string, number>();
    const failures: string[] = [];
    const count = (k: string) => answers.set(k, (answers.get(k) ?? 0) + 1);
    const started = Date.now();
    for (let start = 0; start < events.length; start += 100) {
      // An oversized event goes alone: its connection closes under the others' pending acks.
      const batch = events.slice(start, start + 100).filter((e) => e.kind !== 'oversized');
      const alone = events.slice(start, start + 100).filter((e) => e.kind === 'oversized');
      const current = socket;
      await Promise.all(
        batch.map(async (e) => {
          const emitter = current as unknown as { emit(event: string, ...args: unknown[]): void; timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> } };
          if (!e.ack) {
            emitter.emit(e.event, ...e.args);
            return count('no ack asked');
          }
          try {
            const ack = (await emitter.timeout(3000).emitWithAck(e.event, ...e.args)) as { ok?: unknown; error?: unknown };
            if (ack?.ok === true) count('ok');
            else if (ack?.ok === false && isErrorBody(ack)) count(`error ${(ack.error as { code: string }).code}`);
            else if (failures.length < 10) failures.push(`${e.event} ${JSON.stringify(e.args).slice(0, 80)} → ${JSON.stringify(ack).slice(0, 120)}`);
          } catch (err) {
            if (current.connected && failures.length < 10) failures.push(`${e.event} ${String(JSON.stringify(e.args)).slice(0, 80)} → no ack: ${String(err)}`);
          }
        }),
      );
      for (const e of alone) {
        if (!current.connected) break;
        const closed = new Promise<string>((resolve) => {
          current.once('disconnect', (reason) => resolve(reason));
          setTimeout(() => resolve('still open after 10 s'), 10_000);
        });
        (current as unknown as { emit(event: string, ...args: unknown[]): void }).emit(e.event, ...e.args, () => {});
        count(`closed: ${await closed}`);
      }
      if (!socket.connected) {
        socket.close();
        socket = await open();
        connections++;
      }
    }
    // Still answering, and the server is alive.
    const still = (await (socket as unknown as { timeout(ms: number): { emitWithAck(event: string, p: unknown): Promise<{ ok: boolean }> } }).timeout(5000).emitWithAck('presence:join', { networkId: ids.networkId })) as { ok: boolean };
    expect(still.ok).toBe(true);
    socket.close();
    console.log(`socket.io fuzz: ${events.length} events over ${connections} connections in ${((Date.now() - started) / 1000).toFixed(1)} s; ${JSON.stringify(Object.fromEntries(answers))}`);
    expect(failures).toEqual([]);
    expect(events.length).toBeGreaterThanOrEqual(RUNS);
    expect((await server.api('/api/health')).status).toBe(200);
  }, 180_000);
});
