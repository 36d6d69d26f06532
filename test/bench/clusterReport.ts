// docs/BENCHMARKS-CLUSTER.md, written by test/bench/cluster.ts from one run's figures (printed
// instead with --quick).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { machine } from './report.ts';
import { ms } from './stats.ts';
import type { MemoryReading } from './clusterServers.ts';

export const CLUSTER_REPORT_PATH = fileURLToPath(new URL('../../docs/BENCHMARKS-CLUSTER.md', import.meta.url));

interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
export interface Pooled extends Summary {
  /** Per server process (instances A and B, or the reference), ms of CPU per second. */
  serverCpu: number[];
  clientCpu: number;
  machineCpu: number;
  timerLagP99: number;
  runP99: number[];
  /** Upgrades that failed once and were tried again, over all runs. */
  retried: number;
}
export interface PropagationFigures {
  one: Pooled;
  two: Pooled;
  reference: Pooled;
  order: Array<'one' | 'two' | 'reference'>;
  /** Runs repeated because a client could not connect, and why. */
  repeated: string[];
}
export interface RampStep {
  perInstance: number;
  total: number;
  held: number;
  openMs: number;
  failed: number;
  /** Upgrades that failed once and were tried again. */
  retried: number;
  errors: string[];
  dropped: number;
  undelivered: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Per instance, after the step's connections were open and a full GC. */
  memory: MemoryReading[];
  serverCpu: number[];
  clientCpu: number;
  /** The whole machine's busy CPU, ms/s (of 1000 × cores): servers, clients, PostgreSQL, Redis and everything else. */
  machineCpu: number;
  /** 2 when the step missed the target and was measured again (edits of both pooled). */
  measurements: number;
  timerLagP99: number;
}
export interface RampFigures {
  label: string;
  instances: number;
  steps: RampStep[];
  stopped: string;
  /** Per instance, after a full GC, before the ramp. */
  baseline: MemoryReading[];
  bestPerInstance: number;
  bestTotal: number;
  /** The step before the first with p99 ≥ the target (noise can make a later step pass again). */
  contiguousPerInstance: number;
  durationS: number;
}
export interface FanoutFigures {
  rows: Array<{ size: number; which: 'one' | 'two'; p50: number; p99: number; min: number; startP50: number; startP99: number; postP50: number; cpuPerRound: number[]; machinePerRound: number; samples: number }>;
}
export interface SearchFigures {
  networks: number;
  meetings: number;
  entries: number;
  textBytes: number;
  seedMs: { sqlite: number; postgres: number };
  sqlite: Summary;
  postgres: Summary;
  perQuery: Array<{ q: string; kind: string; sqlite: number; postgres: number; hitsSqlite: number; hitsPostgres: number }>;
}
export interface ClusterFigures {
  command: string;
  quick: boolean;
  date: string;
  commit: string;
  durationS: number;
  load: { start: number; end: number };
  fdLimit: { soft: number; hard: number };
  clientFdLimit: { soft: number; hard: number };
  propagation: PropagationFigures;
  rampOne: RampFigures;
  rampTwo: RampFigures;
  fanout: FanoutFigures;
  search: SearchFigures;
  /** How each part was measured, in words that depend on the benchmark's constants (from cluster.ts). */
  words: { findings: string[]; propagation: string; ramp: string; roomSize: number; fanout: string; search: string; method: string[] };
}

const met = (ok: boolean) => (ok ? 'yes' : '**no**');
/** Client timer lag (p99, ms) above which a ramp step's latencies say more about the client processes than the instances. */
const STARVED_MS = 50;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const kib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : 'n/a');
const cpu = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
const table = (head: string[], rows: string[][], align?: string[]) =>
  [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (align?.[i] ?? (i === 0 ? '---' : '---:')) + '|').join('')}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** Least-squares slope of y over x: bytes per connection, the baseline (0 connections) included. */
export function slope(points: Array<[number, number]>): number {
  const pts = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length < 2) return Number.NaN;
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  const num = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den > 0 ? num / den : Number.NaN;
}

function memoryRows(r: RampFigures): string[][] {
  return r.baseline.map((base, i) => {
    const of = (pick: (m: MemoryReading) => number) => slope([[0, pick(base)], ...r.steps.map((s): [number, number] => [s.perInstance, pick(s.memory[i])])]);
    const last = r.steps.at(-1);
    return [
      `${r.label}: instance ${String.fromCharCode(65 + i)}`,
      mib(base.rss),
      last ? `${mib(last.memory[i].rss)} at ${last.perInstance}` : 'n/a',
      kib(of((m) => m.rss)),
      last ? kib((last.memory[i].rss - base.rss) / last.perInstance) : 'n/a',
      kib(of((m) => m.heapUsed + m.external)),
    ];
  });
}

function stepRows(r: RampFigures): string[][] {
  return r.steps.map((s) => [
    String(s.perInstance),
    String(s.held),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
    `${s.samples}${s.measurements > 1 ? ' (2 windows)' : ''}`,
    s.serverCpu.map(cpu).join(' / '),
    cpu(s.clientCpu),
    cpu(s.machineCpu),
    ms(s.timerLagP99),
    `${(s.openMs / 1000).toFixed(1)}${s.retried ? ` (${s.retried})` : ''}`,
    s.failed || s.dropped || s.undelivered ? `${s.failed} / ${s.dropped} / ${s.undelivered}` : '—',
    s.p99 < 50 && !s.failed && !s.dropped && !s.undelivered ? 'yes' : '**no**',
  ]);
}

export function renderClusterReport(f: ClusterFigures): string {
  const p = f.propagation;
  const one = f.rampOne.bestPerInstance;
  const two = f.rampTwo.bestTotal;
  const ratio = one > 0 ? two / one : Number.NaN;
  const boundOne = f.rampOne.steps.at(-1)?.perInstance ?? 0;
  /** Why a ramp's figure is only a lower bound (it did not stop at an instance's limit), or null. */
  const limitedBy = (r: RampFigures): string | null => {
    if (r.stopped.startsWith('the bound')) return "the ramp's bound";
    if (r.stopped.startsWith('the time bound')) return "the ramp's time bound";
    const last = r.steps.at(-1);
    if (last && !(last.p99 < 50) && last.timerLagP99 > STARVED_MS) return `starved client processes at the next step (timer lag p99 ${ms(last.timerLagP99)} ms)`;
    return null;
  };
  const boundNote = (r: RampFigures) => (limitedBy(r) ? ` (a lower bound: ${limitedBy(r)})` : '');
  // The ratio proves something only against one instance's real limit; two instances' lower bound may still show it is met.
  const ratioMet = limitedBy(f.rampOne)
    ? `not conclusive (one instance's figure is a lower bound: ${limitedBy(f.rampOne)})`
    : ratio >= 1.7
      ? 'yes'
      : limitedBy(f.rampTwo)
        ? `**no** (not conclusive: ${limitedBy(f.rampTwo)})`
        : '**no**';
  const stopNote = (r: RampFigures) => {
    const last = r.steps.at(-1);
    const why = limitedBy(r);
    if (!last) return `${r.label}: no step was measured.`;
    const cpuNote = `at its last step the instances used ${last.serverCpu.map(cpu).join(' / ')} ms/s of CPU, the client processes ${cpu(last.clientCpu)} ms/s, the whole machine ${cpu(last.machineCpu)} ms/s of ${os.availableParallelism() * 1000}`;
    return `**${r.label}:** stopped because ${r.stopped}; ${cpuNote}.${why ? ` Its figure is a lower bound (${why}), not the instance's limit.` : ''}`;
  };
  const fan = (size: number, which: 'one' | 'two') => f.fanout.rows.find((r) => r.size === size && r.which === which);
  const s = f.search;
  return `# Benchmarks: several instances (issue 7)

Generated by \`test/bench/cluster.ts\` (part of \`npm run bench\`); every figure below is from the run
recorded here, and rerunning overwrites this file.

- **Command:** \`${f.command}\` (from the project root)
- **Date:** ${f.date}; the run took ${f.durationS.toFixed(0)} s
- **Commit:** ${f.commit} (the code measured)
- **Machine:** ${machine()}
- **Load:** load average (1 min) ${f.load.start.toFixed(2)} at the start and ${f.load.end.toFixed(2)} at the end, on ${os.availableParallelism()} cores
- **Open files:** limit ${f.fdLimit.soft} (soft) / ${f.fdLimit.hard} (hard) per server process, ${f.clientFdLimit.soft} / ${f.clientFdLimit.hard} for the benchmark and its client processes (Node raises the soft limit to the hard one at start; \`ulimit -Hn\` before the run raises it further)

> Everything runs on this one machine: two server instances, PostgreSQL, Redis, the client processes
> and, while this run was recorded, other people's work in the same checkout (see the load average).
> The figures are a lower bound for the servers; refresh them on a quiet machine.

## Targets

| Target (issue 7) | Measured | Met? |
|---|---:|---:|
| One instance holds ≥ 2,000 connections with p99 edit propagation < 50 ms | ${one}${boundNote(f.rampOne)} | ${met(one >= 2000)} |
| Two instances hold ≥ 1.7× one instance's connections at p99 < 50 ms | ${two} in all (${f.rampTwo.bestPerInstance} each)${boundNote(f.rampTwo)}: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}× | ${ratioMet} |
| Edit propagation p99 < 50 ms, 6 docs × 20 clients, one instance | ${ms(p.one.p99)} ms | ${met(p.one.p99 < 50)} |
| Edit propagation p99 < 50 ms, 6 docs × 20 clients, across two instances | ${ms(p.two.p99)} ms | ${met(p.two.p99 < 50)} |

## 1. Yjs edit propagation: one instance, two instances, reference

${f.words.propagation}

${table(
  ['', 'One instance', 'Two instances', 'Reference (@y/websocket-server)', 'Target', 'Met?'],
  [
    ...(['p50', 'p95', 'p99', 'max'] as const).map((k) => [
      `Edit propagation ${k} (ms)`,
      ms(p.one[k]),
      ms(p.two[k]),
      ms(p.reference[k]),
      k === 'p99' ? '< 50 ms' : '—',
      k === 'p99' ? `${met(p.one.p99 < 50)} / ${met(p.two.p99 < 50)}` : '—',
    ]),
    ['Samples (edits)', String(p.one.n), String(p.two.n), String(p.reference.n), '—', '—'],
    ['Server CPU, ms/s (instance A / B)', `${cpu(p.one.serverCpu[0])} / ${cpu(p.one.serverCpu[1])}`, `${cpu(p.two.serverCpu[0])} / ${cpu(p.two.serverCpu[1])}`, cpu(p.reference.serverCpu[0]), '—', '—'],
    ['Client process CPU, ms/s', cpu(p.one.clientCpu), cpu(p.two.clientCpu), cpu(p.reference.clientCpu), '—', '—'],
    [`Whole machine busy, ms/s (of ${os.availableParallelism() * 1000})`, cpu(p.one.machineCpu), cpu(p.two.machineCpu), cpu(p.reference.machineCpu), '—', '—'],
    ['Client timer lag p99 (ms; high = starved client process)', ms(p.one.timerLagP99), ms(p.two.timerLagP99), ms(p.reference.timerLagP99), '—', '—'],
    ['Upgrades retried (failed once), all runs', String(p.one.retried), String(p.two.retried), String(p.reference.retried), '—', '—'],
    ['p99 of each run (ms)', p.one.runP99.map(ms).join(', '), p.two.runP99.map(ms).join(', '), p.reference.runP99.map(ms).join(', '), '—', '—'],
  ],
)}

Runs in the order ${p.order.join(', ')}; samples pooled per setup. ${p.repeated.length ? `Runs repeated (a starved client process, or a client that could not connect): ${p.repeated.join('; ')}.` : 'No run had to be repeated.'}

## 2. Memory per connection, per instance

Memory of each instance (\`process.memoryUsage()\`) before the ramp of section 3 and after each
step's connections had synced, each time after full garbage collections until RSS stopped moving:
the instances run with \`--expose-gc\` and a SIGUSR2 hook added to \`NODE_OPTIONS\` that collects
and prints the figures, signalled only between measurements. Per connection = the least-squares
slope over the steps (the baseline included), which weighs one-off growth less than
(last − before) / N. Connections in use: documents loaded, awareness announced, edits flowing.

${table(
  ['Ramp: instance', 'RSS before', 'RSS at the last step (per instance)', 'RSS per connection (slope over the steps)', 'RSS per connection ((last − before) / N)', 'Heap + external per connection (slope)'],
  [...memoryRows(f.rampOne), ...memoryRows(f.rampTwo)],
)}

The ramp of one instance ran with instance B started and idle; its row is left out. A document
costs memory of its own (one per ${f.words.roomSize} connections here), included in the figure.

## 3. Connections held per instance

${f.words.ramp}

${table(
  ['', 'One instance', 'Two instances', 'Target', 'Met?'],
  [
    ['Largest step with p99 < 50 ms and no errors (per instance)', `${f.rampOne.bestPerInstance}`, `${f.rampTwo.bestPerInstance}`, '≥ 2,000 (one instance)', met(one >= 2000)],
    ['… in all', `${f.rampOne.bestTotal}`, `${f.rampTwo.bestTotal}`, '—', '—'],
    ['Two instances / one instance', '—', Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a', '≥ 1.7×', ratioMet],
    ['Steps below 50 ms without a break (per instance)', `${f.rampOne.contiguousPerInstance}`, `${f.rampTwo.contiguousPerInstance}`, '—', '—'],
    ['Ramp stopped because', f.rampOne.stopped, f.rampTwo.stopped, '—', '—'],
    ['Ramp duration', `${f.rampOne.durationS.toFixed(0)} s`, `${f.rampTwo.durationS.toFixed(0)} s`, '—', '—'],
  ],
)}

${stopNote(f.rampOne)}

${stopNote(f.rampTwo)}

${[f.rampOne, f.rampTwo]
  .map(
    (r) => `### Steps, ${r.label}

${table(
  ['Per instance', 'Held in all', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Edits', `Server CPU ms/s${r.instances > 1 ? ' (A / B)' : ''}`, 'Client CPU ms/s', 'Machine CPU ms/s', 'Client timer lag p99 ms', 'Opening s (upgrades retried)', 'Failed / dropped / undelivered', 'p99 < 50?'],
  stepRows(r),
)}`,
  )
  .join('\n\n')}
${boundOne && f.rampOne.steps.some((st) => st.errors.length) ? `\nFirst errors: ${[...f.rampOne.steps, ...f.rampTwo.steps].flatMap((st) => st.errors).slice(0, 3).join('; ')}\n` : ''}
## 4. Leaderboard fan-out (socket.io)

${f.words.fanout}

${table(
  ['Clients', 'Instances', 'p50 ms', 'p99 ms', 'From the POST\'s start: p50 / p99 ms', 'POST (save) p50 ms', 'CPU per round ms: A / B / clients / machine', 'Samples'],
  f.fanout.rows.map((r) => [
    String(r.size),
    r.which === 'one' ? 'one' : 'two (split)',
    ms(r.p50),
    ms(r.p99),
    `${ms(r.startP50)} / ${ms(r.startP99)}`,
    ms(r.postP50),
    [...r.cpuPerRound, r.machinePerRound].map(cpu).join(' / '),
    String(r.samples),
  ]),
)}

Issue 7 sets no number for fan-out; for comparison, \`docs/BENCHMARKS.md\` has the single-process
fan-out on SQLite against a plain socket.io broadcast.${fan(1000, 'one') && fan(1000, 'two') ? ` At 1,000 clients, two instances: p99 ${ms(fan(1000, 'two')!.p99)} ms against ${ms(fan(1000, 'one')!.p99)} ms on one.` : ''}

## 5. Archive search: 5 years of meetings for ${s.networks} networks

${f.words.search}

${table(
  ['Engine', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Queries', 'Seeding (s)', 'Target'],
  [
    ['SQLite (FTS5)', ms(s.sqlite.p50), ms(s.sqlite.p95), ms(s.sqlite.p99), ms(s.sqlite.max), String(s.sqlite.n), (s.seedMs.sqlite / 1000).toFixed(1), 'none set in issue 7'],
    ['PostgreSQL (tsvector, GIN)', ms(s.postgres.p50), ms(s.postgres.p95), ms(s.postgres.p99), ms(s.postgres.max), String(s.postgres.n), (s.seedMs.postgres / 1000).toFixed(1), 'none set in issue 7'],
  ],
)}

Per query (median ms; hits returned, at most 50):

${table(
  ['Query', 'Kind', 'SQLite ms', 'PostgreSQL ms', 'Hits SQLite / PostgreSQL'],
  s.perQuery.map((q) => [`\`${q.q}\``, q.kind, ms(q.sqlite), ms(q.postgres), `${q.hitsSqlite.toFixed(0)} / ${q.hitsPostgres.toFixed(0)}`]),
)}

## Findings

${f.words.findings.map((x) => `- ${x}`).join('\n')}

## Method

${f.words.method.map((m) => `- ${m}`).join('\n')}
`;
}

export function writeClusterReport(f: ClusterFigures): void {
  const md = renderClusterReport(f);
  if (f.quick) {
    console.log(`\n${md}`);
    console.log(`[cluster bench] quick run: ${CLUSTER_REPORT_PATH} not written`);
  } else {
    writeFileSync(CLUSTER_REPORT_PATH, md);
    console.log(`[cluster bench] wrote ${CLUSTER_REPORT_PATH}`);
  }
}
