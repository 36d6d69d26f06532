// Live load: edit propagation across many clients, and server memory per connection; ours and the reference.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BenchChild } from './child.ts';
import { spread } from './fixtures.ts';
import type { MemoryReading, MemoryServerCommand } from './memoryServer.ts';
import { summary } from './stats.ts';
import type { ClientCommand, LatencyResult } from './yjsClients.ts';

export type Clients = BenchChild<ClientCommand>;

/** BENCH_QUICK=1: a smoke run of a few seconds per scenario (its figures are not written to the report). */
export const QUICK = process.env.BENCH_QUICK === '1';
export const LATENCY = { clientsPerDoc: 20, intervalMs: 50, warmupEdits: QUICK ? 10 : 40, measuredEdits: QUICK ? 40 : 300 };

export interface LatencyRun extends LatencyResult {
  serverCpuMs: number;
  /** Event-loop delay of the server process over the measured window, ms. */
  loopDelayP99: number;
  loopDelayMax: number;
  /** CPU the whole machine spent outside the server and client processes in the window (other work sharing the cores). */
  otherCpuMs: number;
}

/** CPU time the whole machine has spent busy, from /proc/stat (NaN where there is none). */
function machineBusyMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal ?? 0)) * 10; // USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

/** One run of 6 documents × 20 clients editing at a fixed rate; the server process's CPU is taken over the measured window. */
export async function propagation(clients: Clients, docUrls: string[]): Promise<LatencyRun> {
  let cpuStart = process.cpuUsage();
  let serverCpuMs = Number.NaN;
  let busyStart = 0;
  let busyMs = Number.NaN;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const { clientsPerDoc, ...schedule } = LATENCY;
  const seconds = ((schedule.warmupEdits + schedule.measuredEdits) * schedule.intervalMs) / 1000;
  const result = await clients.request<LatencyResult>(
    { kind: 'latency', docs: docUrls.map((url) => ({ urls: spread([url], clientsPerDoc) })), ...schedule },
    (seconds + 60) * 1000,
    (event) => {
      if (event === 'measure-start') {
        cpuStart = process.cpuUsage();
        busyStart = machineBusyMs();
        loopDelay.enable();
      } else if (event === 'measure-end') {
        loopDelay.disable();
        const cpu = process.cpuUsage(cpuStart);
        serverCpuMs = (cpu.user + cpu.system) / 1000;
        busyMs = machineBusyMs() - busyStart;
      }
    },
  );
  const otherCpuMs = Math.max(0, busyMs - serverCpuMs - result.clientCpuMs);
  return { ...result, serverCpuMs, otherCpuMs, loopDelayP99: loopDelay.percentile(99) / 1e6, loopDelayMax: loopDelay.max / 1e6 };
}

/** Pools the runs of one server: latency samples together, CPU per second of measured wall time. */
export function combineRuns(runs: LatencyRun[]) {
  const wallS = runs.reduce((s, r) => s + r.wallMs, 0) / 1000;
  return {
    ...summary(runs.flatMap((r) => r.latencies)),
    serverCpu: runs.reduce((s, r) => s + r.serverCpuMs, 0) / wallS,
    clientCpu: runs.reduce((s, r) => s + r.clientCpuMs, 0) / wallS,
    otherCpu: runs.reduce((s, r) => s + r.otherCpuMs, 0) / wallS,
    loopDelayP99: Math.max(...runs.map((r) => r.loopDelayP99)),
    loopDelayMax: Math.max(...runs.map((r) => r.loopDelayMax)),
    timerLag: Math.max(...runs.map((r) => r.timerLagP99)),
  };
}
export type Propagation = ReturnType<typeof combineRuns>;


export const SEMI_SPACE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

export interface MemoryResult {
  rssPerConnection: number;
  heapPerConnection: number;
}

/** RSS delta per connection, in a server process of its own started for this one measurement. */
export async function memoryPerConnection(clients: Clients, which: 'ours' | 'reference', count: number, names: string[]): Promise<MemoryResult> {
  // A young generation of fixed size: otherwise V8 grows it under the upgrade path's allocation
  // rate, and that step (megabytes, not per connection) would land in the delta.
  const server = new BenchChild<MemoryServerCommand>(new URL('./memoryServer.ts', import.meta.url), `${which} server (memory)`, SEMI_SPACE_FLAGS);
  try {
    const noteUrls = await server.request<string[]>(which === 'ours' ? { kind: 'start', which } : { kind: 'start', which, names }, 60_000);
    // One connection per document first, so the documents themselves are in the baseline, plus a
    // few opened and closed so code paths are warm without pre-growing the heap by N connections.
    await clients.request({ kind: 'open', group: 'anchor', urls: noteUrls }, 60_000);
    await clients.request({ kind: 'open', group: 'load', urls: noteUrls }, 60_000);
    await clients.request({ kind: 'close', group: 'load' }, 60_000);
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
