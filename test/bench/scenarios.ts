// The four measurements, each against our server and (where it has one) the reference server.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { TestServer } from '../helpers/server.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { readDocument } from '../../db/queries/documents.ts';
import { BenchChild } from './child.ts';
import { typingHistory } from './corpus.ts';
import { ourUrl, referenceUrl, spread, type BenchFixtures } from './fixtures.ts';
import type { MemoryReading, MemoryServerCommand } from './memoryServer.ts';
import { median } from './stats.ts';
import type { ClientCommand, LatencyResult, SyncTime } from './yjsClients.ts';

export type Clients = BenchChild<ClientCommand>;

/** BENCH_QUICK=1: a smoke run of a few seconds per scenario (its figures are not written to the report). */
export const QUICK = process.env.BENCH_QUICK === '1';
export const LATENCY = { clientsPerDoc: 20, intervalMs: 50, warmupEdits: QUICK ? 10 : 40, measuredEdits: QUICK ? 40 : 300 };
export const HISTORY_UPDATES = 10_000;

export interface LatencyRun extends LatencyResult {
  serverCpuMs: number;
  /** Event-loop utilisation of the server process over the measured window (0–1). */
  serverElu: number;
}

/** One run of 6 documents × 20 clients editing at a fixed rate; the server process's CPU is taken over the measured window. */
export async function propagation(clients: Clients, docUrls: string[]): Promise<LatencyRun> {
  let cpuStart = process.cpuUsage();
  let eluStart = performance.eventLoopUtilization();
  let serverCpuMs = Number.NaN;
  let serverElu = Number.NaN;
  const { clientsPerDoc, ...schedule } = LATENCY;
  const seconds = ((schedule.warmupEdits + schedule.measuredEdits) * schedule.intervalMs) / 1000;
  const result = await clients.request<LatencyResult>(
    { kind: 'latency', docs: docUrls.map((url) => ({ urls: spread([url], clientsPerDoc) })), ...schedule },
    (seconds + 60) * 1000,
    (event) => {
      if (event === 'measure-start') {
        cpuStart = process.cpuUsage();
        eluStart = performance.eventLoopUtilization();
      } else if (event === 'measure-end') {
        const cpu = process.cpuUsage(cpuStart);
        serverCpuMs = (cpu.user + cpu.system) / 1000;
        serverElu = performance.eventLoopUtilization(eluStart).utilization;
      }
    },
  );
  return { ...result, serverCpuMs, serverElu };
}

export interface MemoryResult {
  rssPerConnection: number;
  heapPerConnection: number;
}

/** RSS delta per connection, in a server process of its own started for this one measurement. */
export async function memoryPerConnection(clients: Clients, which: 'ours' | 'reference', count: number, names: string[]): Promise<MemoryResult> {
  const server = new BenchChild<MemoryServerCommand>(new URL('./memoryServer.ts', import.meta.url), `${which} server (memory)`);
  try {
    const noteUrls = await server.request<string[]>(which === 'ours' ? { kind: 'start', which } : { kind: 'start', which, names }, 60_000);
    // One connection per document first, so the documents themselves are in the baseline.
    await clients.request({ kind: 'open', group: 'anchor', urls: noteUrls }, 60_000);
    const before = await server.request<MemoryReading>({ kind: 'memory' }, 30_000);
    await clients.request({ kind: 'open', group: 'load', urls: spread(noteUrls, count) }, 120_000);
    const after = await server.request<MemoryReading>({ kind: 'memory' }, 30_000);
    return { rssPerConnection: (after.rss - before.rss) / count, heapPerConnection: (after.heapUsed + after.external - before.heapUsed - before.external) / count };
  } finally {
    await clients.request({ kind: 'close', group: 'load' }, 60_000).catch(() => {});
    await clients.request({ kind: 'close', group: 'anchor' }, 60_000).catch(() => {});
    server.kill();
  }
}

export interface ColdLoadResult {
  /** Fresh WebSocket connect → sync step 2 applied, first client of a not-yet-loaded document, one per document. */
  connectMs: number[];
  /** DatabaseDocumentStore.load(name) alone, repeated on one document. */
  storeLoadMs: number[];
  /** Where store.load's time goes (medians): the SQL read, Y.mergeUpdates, and applying the merged state to a Y.Doc. */
  parts: { readMs: number; mergeMs: number; applyMs: number };
  stateBytes: number;
  rowsPerDocument: number;
}

const timed = async (f: () => unknown) => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

/**
 * Stores 10,000 small real updates for each of `trials` documents nobody has opened, then loads them.
 * The first document stays open (in the client group 'late-ours') for the late-joiner measurement.
 */
export async function coldLoad(server: TestServer, fixtures: BenchFixtures, clients: Clients, trials: number): Promise<ColdLoadResult> {
  const names = fixtures.unopened.slice(0, trials);
  const history = typingHistory(HISTORY_UPDATES);
  const store = new DatabaseDocumentStore({ db: server.ctx.db, postgres: server.ctx.dialect === 'postgres', now: server.ctx.now });
  for (const name of names) {
    await store.create(name, async () => null);
    for (let i = 0; i < history.length; i += 500) await store.append(name, history.slice(i, i + 500));
  }
  const rowsPerDocument = (await readDocument(server.ctx.db, names[0]))?.updates.length ?? 0;
  if (rowsPerDocument !== HISTORY_UPDATES) throw new Error(`expected ${HISTORY_UPDATES} stored updates, found ${rowsPerDocument}`);

  const storeLoadMs: number[] = [];
  const reads: number[] = [];
  const merges: number[] = [];
  const applies: number[] = [];
  for (let i = 0; i < 10; i++) {
    storeLoadMs.push(await timed(() => store.load(names[0])));
    let stored: Awaited<ReturnType<typeof readDocument>> = null;
    reads.push(await timed(async () => (stored = await readDocument(server.ctx.db, names[0]))));
    let merged: Uint8Array = new Uint8Array();
    merges.push(await timed(() => (merged = Y.mergeUpdates(stored!.updates.map((u) => u.data)))));
    const doc = new Y.Doc();
    applies.push(await timed(() => Y.applyUpdate(doc, merged)));
    doc.destroy();
  }

  const connectMs: number[] = [];
  let stateBytes = 0;
  for (const [i, name] of names.entries()) {
    const synced = await clients.request<SyncTime>({ kind: 'syncTime', url: ourUrl(server, name, fixtures.hostToken), keepIn: i === 0 ? 'late-ours' : undefined }, 60_000);
    connectMs.push(synced.ms);
    if (i === 0) stateBytes = synced.stateBytes;
  }
  return { connectMs, storeLoadMs, parts: { readMs: median(reads), mergeMs: median(merges), applyMs: median(applies) }, stateBytes, rowsPerDocument };
}

export interface LateJoinResult {
  oursMs: number[];
  referenceMs: number[];
  oursStateBytes: number;
  referenceStateBytes: number;
  feedMs: number;
}

/** A new client syncing the 10,000-update document while it is loaded: ours (kept open by coldLoad) vs the reference fed the same updates. */
export async function lateJoiner(server: TestServer, fixtures: BenchFixtures, clients: Clients, referenceBase: string, joins: number): Promise<LateJoinResult> {
  const name = fixtures.unopened[0];
  const ours = ourUrl(server, name, fixtures.hostToken);
  const reference = referenceUrl(referenceBase, name);
  const feedMs = await clients.request<number>({ kind: 'feed', url: reference, updates: HISTORY_UPDATES }, 120_000);
  await clients.request<SyncTime>({ kind: 'syncTime', url: reference, keepIn: 'late-ref' }, 60_000);
  const oursRuns: SyncTime[] = [];
  const referenceRuns: SyncTime[] = [];
  // Interleaved, so that any drift in the machine's state hits both alike.
  for (let i = 0; i < joins; i++) {
    oursRuns.push(await clients.request<SyncTime>({ kind: 'syncTime', url: ours }, 60_000));
    referenceRuns.push(await clients.request<SyncTime>({ kind: 'syncTime', url: reference }, 60_000));
  }
  await clients.request({ kind: 'close', group: 'late-ours' }, 60_000);
  await clients.request({ kind: 'close', group: 'late-ref' }, 60_000);
  return {
    oursMs: oursRuns.map((r) => r.ms),
    referenceMs: referenceRuns.map((r) => r.ms),
    oursStateBytes: oursRuns[0].stateBytes,
    referenceStateBytes: referenceRuns[0].stateBytes,
    feedMs,
  };
}
