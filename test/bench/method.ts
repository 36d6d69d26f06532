// The words of docs/BENCHMARKS.md: how each figure was measured, the run's supporting detail, and
// what the code review behind the figures found.
import { DEFAULT_YJS_LIMITS } from '../../realtime/server.ts';
import type { ColdLoadResult, lateJoiner } from './history.ts';
import { HISTORY_UPDATES } from './history.ts';
import { LATENCY, SEMI_SPACE_FLAGS, type LatencyRun, type MemoryResult, type Propagation } from './scenarios.ts';
import { kib, median, ms, percentile, ratio } from './stats.ts';

export interface RunFigures {
  lat: { ours: Propagation; reference: Propagation; inMemory: Propagation };
  runs: { ours: LatencyRun[]; reference: LatencyRun[]; inMemory: LatencyRun[] };
  memory: Record<number, { ours: MemoryResult; reference: MemoryResult }>;
  cold: ColdLoadResult;
  late: Awaited<ReturnType<typeof lateJoiner>>;
  counts: { cold: number; joins: number; memoryRepeats: number };
  /** Propagation runs thrown away because the client process was starved, and why. */
  repeated: string[];
  maxClientLagMs: number;
}

export function describeRun({ lat, runs, memory, cold, late, counts, repeated, maxClientLagMs }: RunFigures): { method: string[]; details: string[] } {
  const max = (v: number[]) => ms(Math.max(...v));
  return {
    method: [
      `**Servers.** Ours is the real server (\`createSamspilServer\`, started by \`test/helpers/server.ts\`) over a fresh, seeded SQLite database, with \`DEFAULT_YJS_LIMITS\`: ${DEFAULT_YJS_LIMITS.maxMessagesPerSecond} messages/s per connection is ample, as each client sends about one edit a second. The reference is \`setupWSConnection\` from \`@y/websocket-server\` 0.1.1 on a plain \`http\` + \`ws\` server, in memory, without auth or persistence, in the same process as ours.`,
      `**Clients.** Raw y-protocols clients (\`ws\` + \`y-protocols/sync\` + one \`Y.Doc\` each; no \`WebsocketProvider\`) in a separate child process (\`test/bench/yjsClients.ts\`), so the server process's event loop serves clients only. Each announces one awareness state after connecting. Ours authenticate with \`?token=\` of a member of the note's provider.`,
      `**Edit propagation.** The upcoming meeting's six method notes, ${LATENCY.clientsPerDoc} clients each. Each document gets one edit every ${LATENCY.intervalMs} ms from a rotating writer (documents staggered), ${LATENCY.warmupEdits} warm-up edits, then ${LATENCY.measuredEdits} measured. An edit sets key \`<doc>.<n>\` in a \`Y.Map\`; the sender notes \`performance.now()\`, every receiver's map observer notes its receipt, and latency = last receiver's receipt − send (one clock: one process). Six runs ABCCBA (ours, reference, diagnostic, diagnostic, reference, ours), samples pooled: ${lat.ours.n} per server. The diagnostic is a second instance of our server given \`MemoryDocumentStore\` instead of the database, to tell the cost of storing each update from the rest of our connection path. CPU is \`process.cpuUsage()\` of the server process and of the client process over the measured window, per second of wall time; "other processes" is the machine's busy time from \`/proc/stat\` minus both. A run whose client timers fired more than ${maxClientLagMs} ms late at p99 had a starved client process (other work on the machine) and is repeated (at most three times per benchmark, and not for the diagnostic).`,
      `**Memory per connection.** For each server and each N, ${counts.memoryRepeats} times, a fresh server process of its own (\`test/bench/memoryServer.ts\`): one connection per note kept open (the documents belong to the baseline) and six more opened and closed (warm code paths), then RSS after \`gc()\` once it has stopped moving, N connections opened spread over the six notes and synced, RSS after \`gc()\` again; reported: the median of (after − before) / N. Both servers run with a fixed 16 MB young generation (\`${SEMI_SPACE_FLAGS.join(' ')}\`), or V8 would grow it during the upgrade storm and put megabytes into the delta that no connection holds. RSS moves in pages and heap chunks, so expect ±1–2 KiB of noise per connection at N = 600 and several times that at N = 120.`,
      `**Cold load.** ${HISTORY_UPDATES.toLocaleString('en')} small real updates (typing into the editor's XML fragment: words, paragraphs, backspaces; ${(cold.stateBytes / 1024).toFixed(0)} KiB of state) appended with \`DatabaseDocumentStore.append\` to each of ${counts.cold} documents nobody has opened. A fresh client's connect → sync step 2 applied is timed once per document (host token, upgrade auth included), waiting for the previous document's compaction to finish first. \`DatabaseDocumentStore.load(name)\` alone is timed ${cold.storeLoadMs.length} times in the server process.`,
      `**Late joiner.** With that document loaded on ours (its first client kept open) and the reference fed the same ${HISTORY_UPDATES.toLocaleString('en')} updates through a client, ${counts.joins} new clients per server connect and sync one after another, interleaved ours/reference; the same again on a small document (method note) for the fixed cost of a connection.`,
    ],
    details: [
      ...(['ours', 'reference', 'inMemory'] as const).map(
        (w) =>
          `Edit propagation, ${w === 'inMemory' ? 'ours with the in-memory store' : w}: p50 ${ms(lat[w].p50)}, p95 ${ms(lat[w].p95)}, p99 ${ms(lat[w].p99)}, max ${ms(lat[w].max)} ms; server CPU ${lat[w].serverCpu.toFixed(0)} ms/s, client CPU ${lat[w].clientCpu.toFixed(0)} ms/s, other processes on the machine ${lat[w].otherCpu.toFixed(0)} ms/s. Server event-loop delay: p99 ${ms(lat[w].loopDelayP99)} ms, max ${ms(lat[w].loopDelayMax)} ms. Client timer lag p99 ${ms(lat[w].timerLag)} ms (a saturated client process would show here).`,
      ),
      repeated.length ? `Runs repeated because the client process was starved: ${repeated.join('; ')}.` : 'No propagation run had to be repeated.',
      `p99 per run, in order ours, reference, diagnostic, diagnostic, reference, ours: ${[runs.ours[0], runs.reference[0], runs.inMemory[0], runs.inMemory[1], runs.reference[1], runs.ours[1]].map((r) => ms(percentile(r.latencies, 99))).join(', ')} ms.`,
      ...Object.entries(memory).map(([n, m]) => `Per connection at N = ${n}: RSS ours ${kib(m.ours.rssPerConnection)}, reference ${kib(m.reference.rssPerConnection)}; heap + external ours ${kib(m.ours.heapPerConnection)}, reference ${kib(m.reference.heapPerConnection)}.`),
      `Cold connect per document: ${cold.connectMs.map(ms).join(', ')} ms. \`store.load\` runs: ${cold.storeLoadMs.map(ms).join(', ')} ms.`,
      `Where \`store.load\`'s time goes (medians): the SQL read of ${HISTORY_UPDATES.toLocaleString('en')} rows ${ms(cold.parts.readMs)} ms, applying them to one \`Y.Doc\` in one transaction ${ms(cold.alternatives.transactMs)} ms. Not used, for comparison: \`Y.mergeUpdates\` of the same rows ${ms(cold.parts.mergeMs)} ms (then applying the merged update ${ms(cold.parts.applyMs)} ms).`,
      `\`DatabaseDocumentStore.compact\` of one ${HISTORY_UPDATES.toLocaleString('en')}-update log (run when the last client leaves, and every 500 updates): ${ms(cold.compactMs)} ms, all of it on the event loop.`,
      `Late joiner, ${HISTORY_UPDATES.toLocaleString('en')}-update document: ours median ${ms(median(late.large.oursMs))} / max ${max(late.large.oursMs)} ms, reference ${ms(median(late.large.referenceMs))} / ${max(late.large.referenceMs)} ms; synced state ${late.large.oursStateBytes} bytes (ours) vs ${late.large.referenceStateBytes} (reference). Feeding the reference took ${ms(late.feedMs)} ms.`,
      `Late joiner, small document: ours median ${ms(median(late.small.oursMs))} / max ${max(late.small.oursMs)} ms, reference ${ms(median(late.small.referenceMs))} / ${max(late.small.referenceMs)} ms.`,
    ],
  };
}

/**
 * What the code review behind the figures found, with this run's numbers. The causes were confirmed
 * while writing the benchmark (CPU profiles, a heap-snapshot diff, timing the store's appends).
 */
export function findings({ lat, memory, cold, late }: RunFigures): string[] {
  const n = Math.max(...Object.keys(memory).map(Number));
  const { parts, alternatives } = cold;
  const large = { ours: median(late.large.oursMs), reference: median(late.large.referenceMs) };
  return [
    `**Cold load: \`DatabaseDocumentStore.load\` of 10,000 logged rows takes ${ms(median(cold.storeLoadMs))} ms; connect → synced, including authentication and the sync exchange, ${ms(median(cold.connectMs))} ms (target < 50 ms).** On SQLite the store reads the log in one query, as one concatenated blob and the length of each update (better-sqlite3 would copy every row's blob into a Buffer of its own, which cost as much again), ${ms(parts.readMs)} ms here, and applies the snapshot and every row to one \`Y.Doc\` inside one \`Y.transact\`, ${ms(alternatives.transactMs)} ms: most of the load, on the event loop (\`Y.mergeUpdates\` of the same rows takes ${ms(parts.mergeMs)} ms). The registry encodes the loaded state once: it is the first clients' sync step 2 and, a second later, the snapshot that folds the long log, without reading and applying the log a second time (such a log only exists when compaction did not run: a crash). Later loads apply one snapshot (${ms(alternatives.snapshotApplyMs)} ms for this document).`,
    `**Compaction applies the log in one transaction**: ${ms(cold.compactMs)} ms for 10,000 rows, on the event loop (it runs every 500 updates and when a document's last client leaves, so in practice on a few hundred rows).`,
    `**Edit propagation: p99 ${x(ratio(lat.ours.p99, lat.reference.p99))} and server CPU ${x(ratio(lat.ours.serverCpu, lat.reference.serverCpu))} the reference's; storing each update before relaying it accounts for ${share(lat.ours.serverCpu, lat.inMemory.serverCpu, lat.reference.serverCpu)} of the extra CPU and ${share(lat.ours.p99, lat.inMemory.p99, lat.reference.p99)} of the extra p99** (the design: durable before relayed and acknowledged). With \`MemoryDocumentStore\` our server's p99 was ${ms(lat.inMemory.p99)} ms and its CPU ${lat.inMemory.serverCpu.toFixed(0)} ms/s, against ${ms(lat.ours.p99)} ms and ${lat.ours.serverCpu.toFixed(0)} ms/s with SQLite and the reference's ${ms(lat.reference.p99)} ms and ${lat.reference.serverCpu.toFixed(0)} ms/s. \`SharedDocument.commit\` (\`realtime/yjs/sharedDocument.ts\`) → \`appendUpdates\` (\`db/queries/documents.ts\`) stores a batch with one INSERT statement prepared once per connection (one autocommitted insert for a single update, one transaction for more), synchronously on better-sqlite3 and never inside a transaction someone else holds open. A batch is written as soon as the task that committed its first update ends; only when the document already stored a batch in this turn of the event loop does the next wait for the next turn, gathering what arrives meanwhile. (It used to compile a Kysely query, prepare a fresh statement and wait a \`setImmediate\` for every update, about three times the CPU of the prepared insert, measured alone.)`,
    `  1. **WAL checkpoints do not run inside an edit's INSERT.** With auto-checkpointing, the commit that took the WAL past 1,000 pages copied it into the database and fsynced on the event loop (one append took 145 ms, and one run's p99 rose to 65 ms behind a 183 ms stall). \`db/dialect.ts\` turns auto-checkpointing off and a worker thread (\`db/checkpoint-worker.mjs\`, its own connection) runs \`wal_checkpoint(PASSIVE)\` every 2 s. Largest event-loop stall in this run: ${ms(lat.ours.loopDelayMax)} ms (reference ${ms(lat.reference.loopDelayMax)} ms).`,
    `  2. **Kysely's SQLite statements are prepared once per SQL text** (\`db/dialect.ts\`): its driver prepared every query afresh, which cost as much as running a small one. This also makes the upgrade's authentication queries about three times cheaper.`,
    `**Each update is encoded once for all connections** (a \`WeakMap\` from update to sync message in \`realtime/yjs/messages.ts\`), as the reference does; **a document's whole state is encoded once** (\`SharedDocument.encodedState\`, dropped at the next update) for every client that connects with an empty state vector, and its sync step 2 message built once, where the reference encodes the state for each joiner.`,
    `**Late joiner on the 10,000-update document: ${ms(large.ours)} ms against ${ms(large.reference)} ms** (${x(ratio(large.ours, large.reference))}); most of it is the client applying ${(late.large.oursStateBytes / 1024).toFixed(0)} KiB of state, the same on both. Ours authenticates the upgrade first (\`identify\` and \`documentAccess\`: four to six queries, about 0.3 ms of CPU) and sends the cached state; the reference encodes it per joiner. On the small document (${ms(median(late.small.oursMs))} vs ${ms(median(late.small.referenceMs))} ms) our copy also holds the method-note template, which the reference's does not.`,
    `**Memory per connection: ${kib(memory[n].ours.heapPerConnection)} of heap on ours against ${kib(memory[n].reference.heapPerConnection)} on the reference** (N = ${n}). A heap-snapshot diff showed about 12 more closures per connection (\`serveConnection\`'s handlers and the upgrade's). The open-connection index in \`upgrade.ts\` now keeps only the actor and credential id, not the whole \`Identity\` (the full \`users\` row, password hash included), and the upgrade's handlers no longer hold the request URL. RSS says more than the heap: measured 100 connections at a time, ours rose by 20–50 KiB per connection over the first 200 and 5–15 KiB after, the reference by 1–15 KiB throughout, so most of our RSS excess at N = 120 is a one-off growth (likely heap and allocator pages left behind by the upgrade's queries), not memory each connection keeps.`,
  ];
}

const x = (r: number) => `${r.toFixed(1)}×`;
/** How much of ours' excess over the reference goes away without the database. */
const share = (ours: number, inMemory: number, reference: number) =>
  ours > reference ? `${Math.round((100 * Math.min(ours - reference, Math.max(0, ours - inMemory))) / (ours - reference))} %` : 'none';
