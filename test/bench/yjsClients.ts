// The client process: many raw y-protocols clients, driven by the benchmark runner over IPC, so
// that the server process's event loop serves clients and nothing else.
import * as Y from 'yjs';
import { RawClient } from './rawClient.ts';
import { typingHistory } from './corpus.ts';
import { percentile } from './stats.ts';
import { serveCommands } from './child.ts';

/** One client per URL; the URL carries the document name and the token. */
export interface LatencyCommand {
  kind: 'latency';
  docs: Array<{ urls: string[] }>;
  intervalMs: number;
  warmupEdits: number;
  measuredEdits: number;
}
export interface LatencyResult {
  /** Per measured edit: the last receiver's receipt time minus the send time, ms. */
  latencies: number[];
  /** How late the client process's edit timers fired (ms, p99): a busy client process shows here. */
  timerLagP99: number;
  clientCpuMs: number;
  wallMs: number;
}
export interface SyncTime {
  ms: number;
  /** Size of the synced state, to check both servers served the same content. */
  stateBytes: number;
}
export type ClientCommand =
  | LatencyCommand
  | { kind: 'open'; group: string; urls: string[] }
  | { kind: 'close'; group: string }
  | { kind: 'syncTime'; url: string; keepIn?: string }
  | { kind: 'feed'; url: string; updates: number };

const groups = new Map<string, RawClient[]>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens clients a batch at a time (so the upgrade storm does not time out) and waits for all to sync. */
async function openAll(urls: string[], presence = true): Promise<RawClient[]> {
  const clients: RawClient[] = [];
  for (let i = 0; i < urls.length; i += 50) {
    const batch = urls.slice(i, i + 50).map((url, j) => new RawClient(url, presence ? { presence: { name: `bench ${i + j}` } } : {}));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.synced));
  }
  return clients;
}

async function latency(cmd: LatencyCommand, emit: (event: string) => void): Promise<LatencyResult> {
  const docs = await Promise.all(cmd.docs.map((d) => openAll(d.urls)));
  let dropped: string | null = null;
  let closing = false;
  for (const clients of docs) {
    for (const c of clients) {
      c.socket.on('close', (code, reason) => {
        if (!closing) dropped ??= `a client was disconnected mid-run (${code} ${reason.toString()})`;
      });
    }
  }
  const pending = new Map<string, { sentAt: number; remaining: number; measured: boolean }>();
  const latencies: number[] = [];
  const lags: number[] = [];
  let allSent = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => (finish = r));

  docs.forEach((clients) => {
    for (const client of clients) {
      client.doc.getMap('bench').observe((event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.local) return;
        const at = performance.now();
        for (const key of event.keysChanged) {
          const p = pending.get(key);
          if (!p || --p.remaining > 0) continue;
          pending.delete(key);
          if (p.measured) latencies.push(at - p.sentAt);
          if (allSent && pending.size === 0) finish();
        }
      });
    }
  });

  const total = cmd.warmupEdits + cmd.measuredEdits;
  const t0 = performance.now() + 200;
  let cpuStart = process.cpuUsage();
  let wallStart = 0;
  setTimeout(() => {
    emit('measure-start');
    cpuStart = process.cpuUsage();
    wallStart = performance.now();
  }, Math.max(0, t0 + cmd.warmupEdits * cmd.intervalMs - performance.now()));

  // Each document gets one edit every intervalMs from a rotating writer; documents are staggered.
  const writers = docs.map(async (clients, d) => {
    const offset = (d * cmd.intervalMs) / docs.length;
    for (let k = 0; k < total && !dropped; k++) {
      const due = t0 + offset + k * cmd.intervalMs;
      await sleep(Math.max(0, due - performance.now()));
      const now = performance.now();
      if (k >= cmd.warmupEdits) lags.push(now - due);
      const key = `${d}.${k}`;
      pending.set(key, { sentAt: now, remaining: clients.length - 1, measured: k >= cmd.warmupEdits });
      clients[k % clients.length].doc.getMap('bench').set(key, `edit ${key} by writer ${k % clients.length}`);
    }
  });
  await Promise.all(writers);
  allSent = true;
  if (pending.size > 0 && !dropped) {
    const settle = setTimeout(finish, 10_000);
    await finished;
    clearTimeout(settle);
  }
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  emit('measure-end');
  closing = true;
  await Promise.all(docs.flat().map((c) => c.close()));
  if (dropped) throw new Error(dropped);
  if (pending.size > 0) throw new Error(`${pending.size} edits had not reached every receiver 10 s after the last was sent`);
  return { latencies, timerLagP99: percentile(lags, 99), clientCpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

async function run(command: ClientCommand, emit: (event: string) => void): Promise<unknown> {
  switch (command.kind) {
    case 'latency':
      return latency(command, emit);
    case 'open': {
      const started = performance.now();
      const clients = await openAll(command.urls);
      groups.set(command.group, [...(groups.get(command.group) ?? []), ...clients]);
      return { count: clients.length, ms: performance.now() - started };
    }
    case 'close': {
      await Promise.all((groups.get(command.group) ?? []).map((c) => c.close()));
      groups.delete(command.group);
      return null;
    }
    case 'syncTime': {
      const client = new RawClient(command.url);
      await client.synced;
      const result: SyncTime = { ms: client.syncedAt - client.startedAt, stateBytes: Y.encodeStateAsUpdate(client.doc).byteLength };
      if (command.keepIn) groups.set(command.keepIn, [...(groups.get(command.keepIn) ?? []), client]);
      else await client.close();
      return result;
    }
    case 'feed': {
      const updates = typingHistory(command.updates);
      const client = new RawClient(command.url);
      await client.synced;
      const started = performance.now();
      for (const u of updates) client.sendUpdate(u);
      await client.roundTrip();
      await client.close();
      return performance.now() - started;
    }
  }
}

serveCommands(run);
