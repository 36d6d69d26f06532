// `npm run bench`: the Yjs benchmark of our server against @y/websocket-server, in one run of a
// few minutes; prints the results table and rewrites docs/BENCHMARKS.md.
import { execSync } from 'node:child_process';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFAULT_YJS_LIMITS } from '../../realtime/server.ts';
import { BenchChild } from './child.ts';
import type { ClientCommand } from './yjsClients.ts';
import { ourUrl, prepareFixtures, referenceUrl } from './fixtures.ts';
import { startReferenceServer, type ReferenceServer } from './referenceServer.ts';
import { coldLoad, HISTORY_UPDATES, LATENCY, QUICK, lateJoiner, memoryPerConnection, propagation, type Clients, type LatencyRun, type MemoryResult } from './scenarios.ts';
import { consoleTable, REPORT_PATH, writeReport, type Row } from './report.ts';
import { kib, median, ms, percentile, ratio, summary } from './stats.ts';

const MEMORY_COUNTS = QUICK ? [60] : [120, 600];
const COLD_TRIALS = 5;
const LATE_JOINS = QUICK ? 3 : 20;
const WATCHDOG_MS = 8 * 60_000;

const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

let clients: Clients | null = null;
let server: TestServer | null = null;
let reference: ReferenceServer | null = null;

function abort(message: string, code = 1): never {
  console.error(`\n[bench] ${message}`);
  clients?.kill();
  process.exit(code);
}
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`the benchmark did not finish within ${WATCHDOG_MS / 60_000} minutes; aborted`), WATCHDOG_MS).unref();

/** Latency runs ABBA (ours, reference, reference, ours) so warm-up and drift hit both alike. */
function combine(runs: LatencyRun[]) {
  const wallS = runs.reduce((s, r) => s + r.wallMs, 0) / 1000;
  return {
    ...summary(runs.flatMap((r) => r.latencies)),
    serverCpu: runs.reduce((s, r) => s + r.serverCpuMs, 0) / wallS,
    clientCpu: runs.reduce((s, r) => s + r.clientCpuMs, 0) / wallS,
    elu: Math.max(...runs.map((r) => r.serverElu)),
    timerLag: Math.max(...runs.map((r) => r.timerLagP99)),
  };
}

const met = (ok: boolean) => (ok ? 'yes' : '**no**');
const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—');

async function main() {
  const started = performance.now();
  log('starting our server (fresh seeded SQLite, default Yjs limits) and the reference server');
  server = await startTestServer();
  reference = await startReferenceServer();
  const fixtures = await prepareFixtures(server);
  clients = new BenchChild<ClientCommand>(new URL('./yjsClients.ts', import.meta.url), 'client process');

  const ourDocs = fixtures.notes.map((n) => ourUrl(server!, n.name, n.token));
  const refDocs = fixtures.notes.map((n) => referenceUrl(reference!.url, n.name));
  const runs = { ours: [] as LatencyRun[], reference: [] as LatencyRun[] };
  for (const which of ['ours', 'reference', 'reference', 'ours'] as const) {
    log(`edit propagation, 6 documents × ${LATENCY.clientsPerDoc} clients, ${which}`);
    runs[which].push(await propagation(clients, which === 'ours' ? ourDocs : refDocs));
  }
  const lat = { ours: combine(runs.ours), reference: combine(runs.reference) };

  const memory: Record<number, { ours: MemoryResult; reference: MemoryResult }> = {};
  for (const count of MEMORY_COUNTS) {
    log(`memory per connection, ${count} connections, each server in a process of its own`);
    const ours = await memoryPerConnection(clients, 'ours', count, []);
    const ref = await memoryPerConnection(clients, 'reference', count, fixtures.notes.map((n) => n.name));
    memory[count] = { ours, reference: ref };
  }

  log(`cold load of ${COLD_TRIALS} documents with ${HISTORY_UPDATES} stored updates each`);
  const cold = await coldLoad(server, fixtures, clients, COLD_TRIALS);
  log(`late joiner, ${LATE_JOINS} joins each`);
  const late = await lateJoiner(server, fixtures, clients, reference.url, LATE_JOINS);

  clients.kill();
  await reference.close();
  await server.close();

  const p99Ratio = ratio(lat.ours.p99, lat.reference.p99);
  const coldMedian = median(cold.connectMs);
  const loadMedian = median(cold.storeLoadMs);
  const late50 = { ours: median(late.oursMs), reference: median(late.referenceMs) };
  const lateRatio = ratio(late50.ours, late50.reference);
  const rows: Row[] = [
    ...(['p50', 'p95', 'p99'] as const).map((p) => ({
      scenario: `Edit propagation ${p}, 6 docs × 20 clients (ms)`,
      ours: ms(lat.ours[p]),
      reference: ms(lat.reference[p]),
      ratio: x(ratio(lat.ours[p], lat.reference[p])),
      target: p === 'p99' ? 'ratio ≤ 1.0' : '—',
      met: p === 'p99' ? met(p99Ratio <= 1) : '—',
    })),
    { scenario: 'Server process CPU during propagation (ms/s)', ours: lat.ours.serverCpu.toFixed(0), reference: lat.reference.serverCpu.toFixed(0), ratio: x(ratio(lat.ours.serverCpu, lat.reference.serverCpu)), target: '—', met: '—' },
    { scenario: 'Client process CPU during propagation (ms/s)', ours: lat.ours.clientCpu.toFixed(0), reference: lat.reference.clientCpu.toFixed(0), ratio: '—', target: '—', met: '—' },
    ...MEMORY_COUNTS.map((count) => ({
      scenario: `Server RSS per connection, ${count} connections`,
      ours: kib(memory[count].ours.rssPerConnection),
      reference: kib(memory[count].reference.rssPerConnection),
      ratio: x(ratio(memory[count].ours.rssPerConnection, memory[count].reference.rssPerConnection)),
      target: '—',
      met: '—',
    })),
    { scenario: `Cold load, ${HISTORY_UPDATES} stored updates: connect → synced (ms, median of ${COLD_TRIALS})`, ours: ms(coldMedian), reference: 'n/a', ratio: '—', target: '< 50 ms', met: met(coldMedian < 50) },
    { scenario: `Cold load: DatabaseDocumentStore.load alone (ms, median of ${cold.storeLoadMs.length})`, ours: ms(loadMedian), reference: 'n/a', ratio: '—', target: '< 50 ms', met: met(loadMedian < 50) },
    { scenario: `Late joiner on the loaded ${HISTORY_UPDATES}-update document (ms, median of ${LATE_JOINS})`, ours: ms(late50.ours), reference: ms(late50.reference), ratio: x(lateRatio), target: 'ratio ≤ 1.0', met: met(lateRatio <= 1) },
  ];

  const durationS = (performance.now() - started) / 1000;
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  if (!QUICK) writeReport({
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') + ` (commit ${commit})`,
    durationS,
    rows,
    method: [
      `**Servers.** Ours is the real server (\`createSamspilServer\` via \`test/helpers/server.ts\`) over a fresh, seeded SQLite database with \`DEFAULT_YJS_LIMITS\` (${DEFAULT_YJS_LIMITS.maxMessagesPerSecond} messages/s per connection is plenty here: each client sends about one edit a second). The reference is \`setupWSConnection\` from \`@y/websocket-server\` 0.1.1 on a plain \`http\` + \`ws\` server, in memory, without auth or persistence, in the same process as ours.`,
      `**Clients.** Raw y-protocols clients (\`ws\` + \`y-protocols/sync\` + one \`Y.Doc\` each, no \`WebsocketProvider\`) in a separate child process (\`test/bench/yjsClients.ts\`), so the server process's event loop serves clients only. Each client announces one awareness state after connecting. Our clients authenticate with \`?token=\` of a member of the note's provider.`,
      `**Edit propagation.** The upcoming meeting's six method notes, ${LATENCY.clientsPerDoc} clients each. Each document gets one edit every ${LATENCY.intervalMs} ms from a rotating writer (documents staggered), ${LATENCY.warmupEdits} warm-up edits then ${LATENCY.measuredEdits} measured ones. An edit sets a key \`<doc>.<n>\` in a \`Y.Map\`; the sender records \`performance.now()\`, every receiver's map observer records its receipt, and latency = last receiver's receipt − send (one clock: same process). Four runs ABBA (ours, reference, reference, ours), samples pooled: ${lat.ours.n} per server. CPU is \`process.cpuUsage()\` in the server process and in the client process over the measured window.`,
      `**Memory per connection.** For each server and each N, a fresh server process of its own (\`test/bench/memoryServer.ts\`): one connection per note first (so the documents are in the baseline), then after \`gc()\` RSS is read, N more connections are opened spread over the six notes and synced, \`gc()\` again, and (RSS after − RSS before) / N is reported.`,
      `**Cold load.** ${HISTORY_UPDATES} real small updates (typing into the editor's XML fragment: words, paragraphs, backspaces; ${(cold.stateBytes / 1024).toFixed(0)} KiB of state) are appended with \`DatabaseDocumentStore.append\` to each of ${COLD_TRIALS} documents nobody has opened; a fresh client's connect → sync step 2 applied is timed once per document (host token; upgrade auth included). \`DatabaseDocumentStore.load(name)\` alone is timed ${cold.storeLoadMs.length} times in the server process.`,
      `**Late joiner.** With that document loaded on ours (its first client kept open) and the same ${HISTORY_UPDATES} updates fed to the reference through a client, ${LATE_JOINS} new clients per server connect and sync one after another, interleaved ours/reference.`,
    ],
    details: [
      `Edit propagation, ours: p50 ${ms(lat.ours.p50)}, p95 ${ms(lat.ours.p95)}, p99 ${ms(lat.ours.p99)}, max ${ms(lat.ours.max)} ms; server event-loop utilisation (worst run) ${(lat.ours.elu * 100).toFixed(0)} %; client timer lag p99 ${ms(lat.ours.timerLag)} ms.`,
      `Edit propagation, reference: p50 ${ms(lat.reference.p50)}, p95 ${ms(lat.reference.p95)}, p99 ${ms(lat.reference.p99)}, max ${ms(lat.reference.max)} ms; server event-loop utilisation (worst run) ${(lat.reference.elu * 100).toFixed(0)} %; client timer lag p99 ${ms(lat.reference.timerLag)} ms.`,
      `Per run p99 (ours, reference, reference, ours): ${[runs.ours[0], runs.reference[0], runs.reference[1], runs.ours[1]].map((r) => ms(percentile(r.latencies, 99))).join(', ')} ms.`,
      ...MEMORY_COUNTS.map((c) => `Heap + external per connection at ${c}: ours ${kib(memory[c].ours.heapPerConnection)}, reference ${kib(memory[c].reference.heapPerConnection)}.`),
      `Cold connect per document (ms): ${cold.connectMs.map(ms).join(', ')}. store.load runs (ms): ${cold.storeLoadMs.map(ms).join(', ')}.`,
      `Where store.load's time goes (medians): SQL read of ${cold.rowsPerDocument} rows ${ms(cold.parts.readMs)} ms, \`Y.mergeUpdates\` ${ms(cold.parts.mergeMs)} ms; the registry then applies the merged state to a \`Y.Doc\` (${ms(cold.parts.applyMs)} ms).`,
      `Late joiner (ms): ours p50 ${ms(late50.ours)} / max ${ms(Math.max(...late.oursMs))}, reference p50 ${ms(late50.reference)} / max ${ms(Math.max(...late.referenceMs))}; synced state ${late.oursStateBytes} bytes (ours) vs ${late.referenceStateBytes} (reference). Feeding the reference took ${ms(late.feedMs)} ms.`,
    ],
    findings: FINDINGS,
  });
  console.log(`\n${consoleTable(rows)}\n`);
  log(`done in ${durationS.toFixed(0)} s; ${QUICK ? 'quick run, report not written' : `wrote ${REPORT_PATH}`}`);
}

/** What the code review behind these numbers found; kept beside the generator so the report says it every time. */
const FINDINGS: string[] = [];

main().catch((err: unknown) => abort(err instanceof Error ? (err.stack ?? err.message) : String(err)));
