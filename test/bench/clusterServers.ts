// The cluster benchmark's servers: real `node --import tsx realtime/main.ts` processes over one fresh
// PostgreSQL schema and a Redis server of the benchmark's own, what each process uses (CPU, RSS,
// open-files limit, read from /proc), and cleanup that runs however the benchmark ends.
import { readdirSync, readFileSync } from 'node:fs';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { startOwnRedis, type OwnRedis } from '../helpers/redis.ts';

// ---- cleanup ---------------------------------------------------------------------------------

type Cleanup = { label: string; run: () => Promise<unknown>; now?: () => void };
const cleanups: Cleanup[] = [];

/** Registers cleanup; `now` is a synchronous last resort for when the process exits without awaiting (e.g. process.exit). */
export function onCleanup(label: string, run: () => Promise<unknown>, now?: () => void): () => void {
  const entry = { label, run, now };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered cleanup, newest first; each at most once. */
export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const entry = cleanups.pop()!;
    try {
      await entry.run();
    } catch (err) {
      console.error(`[cluster bench] cleanup "${entry.label}" failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

process.once('exit', () => {
  for (const entry of cleanups.reverse()) entry.now?.();
});

// ---- /proc -----------------------------------------------------------------------------------

/** user + system CPU of a process so far, ms (USER_HZ = 100); NaN once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The soft and hard limit of open files of a process, as the kernel has them. */
export function openFilesLimit(pid: number): { soft: number; hard: number } {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').replace('Max open files', '').trim().split(/\s+/);
    return { soft: Number(soft), hard: Number(hard) };
  } catch {
    return { soft: Number.NaN, hard: Number.NaN };
  }
}

/** Pids of this process's children whose command line contains `needle` (BenchChild hides its pid); `except` leaves out earlier ones still exiting. */
export function childPids(needle: string, except: number[] = []): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid || except.includes(Number(entry))) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU time the whole machine has spent busy so far, ms, from /proc/stat (USER_HZ = 100). */
export function machineBusyMs(): number {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal ?? 0)) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU of several processes over a window: call start(), then stop() for ms each; the last entry is the whole machine's busy time. */
export function cpuMeter(pids: number[]) {
  const read = () => [...pids.map(cpuMsOf), machineBusyMs()];
  let before = read();
  return {
    start: () => (before = read()),
    stop: () => read().map((v, i) => v - before[i]),
  };
}

// ---- memory of an instance, after garbage collection ------------------------------------------

/**
 * Added to the instances' NODE_OPTIONS: V8's gc() exposed, and on SIGUSR2 (unused by the server) a
 * full collection and one line with process.memoryUsage(). It does nothing until signalled; the
 * benchmark signals only between measurements.
 */
const GC_HOOK = `--expose-gc --import "data:text/javascript,process.on('SIGUSR2',()=>{globalThis.gc();console.log('[bench-gc]'+JSON.stringify(process.memoryUsage()))})"`;

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Memory of an instance after a full GC, once RSS has stopped moving (at most 10 collections). */
export async function settledMemory(instance: Instance): Promise<MemoryReading> {
  let last: MemoryReading | null = null;
  for (let i = 0; i < 10; i++) {
    const seen = instance.process.output().length;
    instance.process.child.kill('SIGUSR2');
    let line: string | undefined;
    for (let waited = 0; !line && waited < 5_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      line = /\[bench-gc\](\{.*\})/.exec(instance.process.output().slice(seen))?.[1];
    }
    if (!line) throw new Error(`instance ${instance.url} did not report its memory (GC hook missing?)`);
    const reading = JSON.parse(line) as MemoryReading;
    if (last && Math.abs(reading.rss - last.rss) < 256 * 1024) return reading;
    last = reading;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last!;
}

// ---- the cluster -----------------------------------------------------------------------------

export interface Instance {
  url: string;
  pid: number;
  process: ServerProcess;
}

export interface Cluster {
  database: TestDatabase;
  redis: OwnRedis;
  instances: Instance[];
  /** Stops the running instances and starts `count` fresh ones (SEED=false) over the same database and Redis. */
  restart(count: number): Promise<Instance[]>;
}

const started: Instance[] = [];
/** The last lines each instance started by this run printed: shown when the run fails. */
export function instanceOutputs(lines = 15): string {
  return started.map((i) => `--- instance ${i.url} (pid ${i.pid}) ---\n${i.process.output().trimEnd().split('\n').slice(-lines).join('\n')}`).join('\n');
}

async function stopInstance(instance: Instance): Promise<void> {
  // Graceful first (it stores pending updates and closes sockets); SIGKILL if it takes too long.
  const killer = setTimeout(() => instance.process.child.kill('SIGKILL'), 12_000);
  await instance.process.kill('SIGTERM');
  clearTimeout(killer);
}

/** A fresh PostgreSQL schema and Redis, the first instance migrating and seeding the demo, then the others with SEED=false. */
export async function startCluster(count: number): Promise<Cluster> {
  const database = await freshDatabase('postgres', { migrate: false });
  onCleanup(`drop PostgreSQL schema ${database.pgSchema}`, () => database.drop());
  const redis = await startOwnRedis();
  onCleanup('stop Redis', () => redis.stop(), () => void redis.stop());
  const env = { DATABASE_URL: database.url, DATABASE_SCHEMA: database.pgSchema!, REDIS_URL: redis.url, PORT: '0', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${GC_HOOK}`.trim() };
  const start = async (seed: boolean): Promise<Instance> => {
    const before = new Set(childPids('realtime/main.ts'));
    const proc = await startServerProcess({ ...env, SEED: String(seed) }).catch((err: unknown) => {
      // The helper does not stop a process that failed to start in time: do it here.
      for (const pid of childPids('realtime/main.ts')) if (!before.has(pid)) process.kill(pid, 'SIGKILL');
      throw err;
    });
    const instance = { url: proc.url, pid: proc.child.pid!, process: proc };
    started.push(instance);
    const forget = onCleanup(`stop instance ${proc.url}`, () => stopInstance(instance), () => proc.child.kill('SIGKILL'));
    proc.child.once('exit', forget);
    return instance;
  };
  const cluster: Cluster = {
    database,
    redis,
    instances: [],
    async restart(n) {
      await Promise.all(cluster.instances.map(stopInstance));
      cluster.instances = await Promise.all(Array.from({ length: n }, () => start(false)));
      return cluster.instances;
    },
  };
  cluster.instances.push(await start(true));
  for (let i = 1; i < count; i++) cluster.instances.push(await start(false));
  return cluster;
}
