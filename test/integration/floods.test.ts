// Floods, with the server's default limits: one client sending 1,000 Yjs updates a second is cut off
// (close 4429) and one address opening 100 connections in a minute is refused past its share (HTTP
// 429 with Retry-After; socket.io handshakes too), while three other documents, edited from another
// address, keep their round-trip latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE } from '../../realtime/config.ts';
import { YjsCloseCode, YjsMessage } from '../../realtime/wire/yjs.ts';
import { DEFAULT_YJS_LIMITS } from '../../realtime/server.ts';
import { methodNoteDocName, minutesDocName } from '../../realtime/yjs/documents.ts';
import { connected, liveClient, rawUpgrade, yjsClient, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Loopback addresses of their own, so each limit meets only the client it is about. */
const BYSTANDERS = '127.0.0.2';
const YJS_FLOODER = '127.0.0.3';
const SOCKET_FLOODER = '127.0.0.4';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

describe('floods are throttled while other documents keep their latency', () => {
  let server: TestServer;
  let meetingId: string;
  let providerIds: string[];
  const cleanup: Array<() => void> = [];

  beforeAll(async () => {
    server = await startTestServer({ connectionsPerAddressPerMinute: DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE });
    meetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
    providerIds = await server.providerIds();
  });
  afterAll(async () => {
    for (const fn of cleanup) fn();
    await server?.close();
  });

  /** Three documents, each with a writer and a reader, all from BYSTANDERS; returns one round trip's timer. */
  async function bystanders() {
    const pairs: Array<[string, string, string]> = [
      [minutesDocName(meetingId), 'host@jobcenter.example', 'viewer@jobcenter.example'],
      [methodNoteDocName(meetingId, providerIds[0]), 'anna@provider1.example', 'carl@provider1.example'],
      [methodNoteDocName(meetingId, providerIds[1]), 'bo@provider2.example', 'host@jobcenter.example'],
    ];
    const docs = await Promise.all(
      pairs.map(async ([name, writer, reader]) => {
        const w = yjsClient(server.url, name, { cookie: await server.as(writer), localAddress: BYSTANDERS });
        const r = yjsClient(server.url, name, { cookie: await server.as(reader), localAddress: BYSTANDERS });
        cleanup.push(w.destroy, r.destroy);
        await Promise.all([w.synced(), r.synced()]);
        return { w, r };
      }),
    );
    let n = 0;
    return async () => {
      const { w, r } = docs[n % docs.length];
      const mark = `f${n++};`;
      const text = r.doc.getText('flood');
      // Timed on the reader's own update event, not by polling.
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('a bystander edit did not arrive within 10 s')), 10_000);
        const seen = () => {
          if (!text.toString().startsWith(mark)) return;
          clearTimeout(timer);
          r.doc.off('update', seen);
          resolve(performance.now());
        };
        r.doc.on('update', seen);
      });
      const start = performance.now();
      w.doc.getText('flood').insert(0, mark);
      return (await arrived) - start;
    };
  }

  it('a client sending 1,000 updates a second is closed with 4429; other documents keep their p99', async () => {
    const roundTrip = await bystanders();
    // Paced like fast typing (one edit every 20 ms over three documents), far below the message rate limit.
    const pace = () => new Promise((r) => setTimeout(r, 20));
    const before: number[] = [];
    for (let i = 0; i < 100; i++) {
      before.push(await roundTrip());
      await pace();
    }

    // The flooder types one character per update into its own provider's note, 10 updates every 10 ms.
    const flooded = methodNoteDocName(meetingId, providerIds[2]);
    const url = `${server.url.replace('http', 'ws')}/yjs/${encodeURIComponent(flooded)}`;
    const cookie = await server.as('dorthe@provider3.example');
    const closes: Array<{ code: number; sent: number; ms: number }> = [];
    const refusals: number[] = [];
    let flooding = true;
    const flood = (async () => {
      while (flooding) {
        const doc = new Y.Doc();
        const frames: Uint8Array[] = [];
        doc.on('update', (update: Uint8Array) => {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, YjsMessage.sync);
          encoding.writeVarUint(e, 2);
          encoding.writeVarUint8Array(e, update);
          frames.push(encoding.toUint8Array(e));
        });
        const socket = new WebSocket(url, { headers: { cookie }, localAddress: YJS_FLOODER });
        const refusedWith = await new Promise<number>((resolve) => {
          socket.once('open', () => resolve(0));
          socket.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? -1));
        });
        if (refusedWith) {
          refusals.push(refusedWith);
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        const opened = performance.now();
        let sent = 0;
        const code = await new Promise<number>((resolve) => {
          socket.once('close', (c) => resolve(c));
          const tick = setInterval(() => {
            if (socket.readyState !== WebSocket.OPEN) return clearInterval(tick);
            for (let i = 0; i < 10; i++) {
              doc.getText('t').insert(0, 'x');
              socket.send(frames.shift()!);
              sent++;
            }
          }, 10);
        });
        closes.push({ code, sent, ms: performance.now() - opened });
        doc.destroy();
      }
    })();

    const during: number[] = [];
    const until = performance.now() + 4000;
    while (performance.now() < until) {
      during.push(await roundTrip());
      await pace();
    }
    flooding = false;
    await flood;

    const [p99Before, p99During] = [percentile(before, 99), percentile(during, 99)];
    console.log(
      `flood: ${closes.length} flooding connection(s) (${refusals.length} refused: ${refusals.join(', ')}), each closed after ${closes.map((c) => `${c.sent} updates in ${Math.round(c.ms)} ms (code ${c.code})`).join(', ')}; ` +
        `bystander round trip p50/p99 before ${percentile(before, 50).toFixed(1)}/${p99Before.toFixed(1)} ms (${before.length}), during ${percentile(during, 50).toFixed(1)}/${p99During.toFixed(1)} ms (${during.length})`,
    );
    expect(closes.length).toBeGreaterThan(0);
    for (const c of closes) {
      expect(c.code).toBe(YjsCloseCode.rateLimited);
      // A burst of five seconds' worth is allowed, then the per-second rate: never the whole flood.
      expect(c.sent).toBeLessThan(DEFAULT_YJS_LIMITS.maxMessagesPerSecond * (5 + c.ms / 1000) + 100);
    }
    expect(p99During).toBeLessThan(p99Before + 150);
  }, 60_000);

  it('an address opening 100 connections a minute is refused past its share, on Yjs and socket.io; another address is not', async () => {
    const perMinute = DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE;
    const url = `${server.url.replace('http', 'ws')}/yjs/${encodeURIComponent(minutesDocName(meetingId))}`;
    const cookie = await server.as('viewer@jobcenter.example');
    const yjs: Array<{ status: number; retryAfter?: string }> = [];
    for (let i = 0; i < 100; i++) yjs.push(await rawUpgrade(url, { cookie }, YJS_FLOODER));
    const admitted = yjs.filter((r) => r.status === 101).length;
    const refused = yjs.filter((r) => r.status === 429);
    // The first test's flooding connections came from the same address and count too.
    expect(admitted).toBeLessThanOrEqual(perMinute);
    expect(admitted + refused.length).toBe(100);
    expect(refused.length).toBeGreaterThanOrEqual(100 - perMinute);
    expect(Number(refused[0].retryAfter)).toBeGreaterThan(0);

    const sockets: LiveClient[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i++) {
      const socket = liveClient(server.url, { cookie, localAddress: SOCKET_FLOODER });
      sockets.push(socket);
      outcomes.push(await connected(socket).then(() => 'ok', (err: Error) => err.message));
      socket.disconnect();
    }
    const liveAdmitted = outcomes.filter((o) => o === 'ok').length;
    console.log(`connections from one address in a minute: Yjs ${admitted} of 100 admitted (Retry-After ${refused[0].retryAfter} s), socket.io ${liveAdmitted} of 100`);
    expect(liveAdmitted).toBe(perMinute);

    // Someone else, from another address, still gets in at once.
    expect((await rawUpgrade(url, { cookie }, BYSTANDERS)).status).toBe(101);
    const other = liveClient(server.url, { cookie, localAddress: BYSTANDERS });
    cleanup.push(() => other.disconnect());
    await connected(other);
  }, 60_000);
});
