// Documents with a long stored history: loading one cold from the database, and a late joiner
// syncing it once loaded, on ours and on the reference fed the same updates.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { TestServer } from '../helpers/server.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { readDocument } from '../../db/queries/documents.ts';
import { typingHistory } from './corpus.ts';
import { ourUrl, referenceUrl, type BenchFixtures } from './fixtures.ts';
import type { Clients } from './scenarios.ts';
import { median } from './stats.ts';
import type { SyncTime } from './yjsClients.ts';

export const HISTORY_UPDATES = 10_000;

export interface ColdLoadResult {
  /** Fresh WebSocket connect → sync step 2 applied, first client of a not-yet-loaded document, one per document. */
  connectMs: number[];
  /** DatabaseDocumentStore.load(name) alone, repeated on one document. */
  storeLoadMs: number[];
  /** Where store.load's time goes (medians): the SQL read, Y.mergeUpdates, and applying the merged state to a Y.Doc. */
  parts: { readMs: number; mergeMs: number; applyMs: number };
  /**
   * Other ways to turn the same rows into a document (medians): applying every update to one Y.Doc in
   * one transaction; merging in chunks of 64 and then the merges; applying the compacted state.
   */
  alternatives: { transactMs: number; chunkedMergeMs: number; snapshotApplyMs: number };
  /** DatabaseDocumentStore.compact of one 10,000-update log (what the last client's departure triggers). */
  compactMs: number;
  stateBytes: number;
}

const timed = async (f: () => unknown) => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

/** Waits until the server has compacted a document (its snapshot covers the log), so that work does not land in the next measurement. */
async function compacted(server: TestServer, name: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await server.ctx.db.selectFrom('yjs_documents').select('snapshot_seq').where('name', '=', name).executeTakeFirst();
    if (row && row.snapshot_seq > 0) return;
    if (Date.now() > deadline) throw new Error(`${name} was not compacted within 60 s (on load, or when its last client left)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Stores 10,000 small real updates for each of `trials` + 1 documents nobody has opened, then loads
 * them. The first stays open (client group 'late-ours') for the late joiner; the last is compacted directly.
 */
export async function coldLoad(server: TestServer, fixtures: BenchFixtures, clients: Clients, trials: number): Promise<ColdLoadResult> {
  const names = fixtures.unopened.slice(0, trials + 1);
  if (names.length < trials + 1) throw new Error(`need ${trials + 1} unopened documents, the seed has ${names.length}`);
  const history = typingHistory(HISTORY_UPDATES);
  const { db } = server.ctx;
  const store = new DatabaseDocumentStore({ db, postgres: server.ctx.dialect === 'postgres', now: server.ctx.now });
  for (const name of names) {
    await store.create(name, async () => null);
    for (let i = 0; i < history.length; i += 500) await store.append(name, history.slice(i, i + 500));
    const rows = (await readDocument(db, name))?.updates.length;
    if (rows !== HISTORY_UPDATES) throw new Error(`expected ${HISTORY_UPDATES.toLocaleString('en')} stored updates for ${name}, found ${rows}`);
  }

  const storeLoadMs: number[] = [];
  const reads: number[] = [];
  const merges: number[] = [];
  const applies: number[] = [];
  const alternatives = { transact: [] as number[], chunked: [] as number[], snapshot: [] as number[] };
  for (let i = 0; i < 5; i++) {
    storeLoadMs.push(await timed(() => store.load(names[0])));
    let stored: Awaited<ReturnType<typeof readDocument>> = null;
    reads.push(await timed(async () => (stored = await readDocument(db, names[0]))));
    let merged: Uint8Array = new Uint8Array();
    merges.push(await timed(() => (merged = Y.mergeUpdates(stored!.updates))));
    const doc = new Y.Doc();
    applies.push(await timed(() => Y.applyUpdate(doc, merged)));
    const rows = stored!.updates;
    const built = new Y.Doc();
    alternatives.transact.push(await timed(() => Y.transact(built, () => rows.forEach((u) => Y.applyUpdate(built, u)))));
    alternatives.chunked.push(await timed(() => Y.mergeUpdates(Array.from({ length: Math.ceil(rows.length / 64) }, (_, c) => Y.mergeUpdates(rows.slice(c * 64, c * 64 + 64))))));
    const snapshot = Y.encodeStateAsUpdate(built);
    const fromSnapshot = new Y.Doc();
    alternatives.snapshot.push(await timed(() => Y.applyUpdate(fromSnapshot, snapshot)));
    for (const d of [doc, built, fromSnapshot]) d.destroy();
  }

  const connectMs: number[] = [];
  let stateBytes = 0;
  for (const [i, name] of names.slice(0, trials).entries()) {
    const keep = i === 0;
    const synced = await clients.request<SyncTime>({ kind: 'syncTime', url: ourUrl(server, name, fixtures.hostToken), keepIn: keep ? 'late-ours' : undefined }, 60_000);
    connectMs.push(synced.ms);
    if (keep) stateBytes = synced.stateBytes;
    // Kept open, the first is compacted from its loaded state shortly after loading; the others when their client leaves.
    await compacted(server, name);
  }
  const compactMs = await timed(() => store.compact(names[trials]));
  return {
    connectMs,
    storeLoadMs,
    parts: { readMs: median(reads), mergeMs: median(merges), applyMs: median(applies) },
    alternatives: { transactMs: median(alternatives.transact), chunkedMergeMs: median(alternatives.chunked), snapshotApplyMs: median(alternatives.snapshot) },
    compactMs,
    stateBytes,
  };
}

export interface JoinResult {
  oursMs: number[];
  referenceMs: number[];
  oursStateBytes: number;
  referenceStateBytes: number;
}

/** `joins` new clients per server connect and sync one after another, interleaved ours/reference so drift hits both alike. */
async function joins(clients: Clients, ours: string, reference: string, count: number): Promise<JoinResult> {
  const oursRuns: SyncTime[] = [];
  const referenceRuns: SyncTime[] = [];
  for (let i = 0; i < count; i++) {
    oursRuns.push(await clients.request<SyncTime>({ kind: 'syncTime', url: ours }, 60_000));
    referenceRuns.push(await clients.request<SyncTime>({ kind: 'syncTime', url: reference }, 60_000));
  }
  return {
    oursMs: oursRuns.map((r) => r.ms),
    referenceMs: referenceRuns.map((r) => r.ms),
    oursStateBytes: oursRuns[0].stateBytes,
    referenceStateBytes: referenceRuns[0].stateBytes,
  };
}

/**
 * Late joiners on the 10,000-update document while it is loaded (ours kept open by coldLoad; the
 * reference fed the same updates through a client), and on a small one (a method note) for the
 * fixed cost of a connection.
 */
export async function lateJoiner(server: TestServer, fixtures: BenchFixtures, clients: Clients, referenceBase: string, count: number) {
  const name = fixtures.unopened[0];
  const ours = ourUrl(server, name, fixtures.hostToken);
  const reference = referenceUrl(referenceBase, name);
  const feedMs = await clients.request<number>({ kind: 'feed', url: reference, updates: HISTORY_UPDATES }, 120_000);
  await clients.request<SyncTime>({ kind: 'syncTime', url: reference, keepIn: 'late-ref' }, 60_000);
  const large = await joins(clients, ours, reference, count);

  const note = fixtures.notes[0];
  const smallOurs = ourUrl(server, note.name, note.token);
  const smallReference = referenceUrl(referenceBase, note.name);
  await clients.request({ kind: 'open', group: 'late-small', urls: [smallOurs, smallReference] }, 60_000);
  const small = await joins(clients, smallOurs, smallReference, count);
  for (const group of ['late-ours', 'late-ref', 'late-small']) await clients.request({ kind: 'close', group }, 60_000);
  return { large, small, feedMs };
}
