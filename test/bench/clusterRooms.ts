// Client process of the cluster benchmark: holds "rooms" of raw y-protocols clients (one document
// per room: one writer and the others watching, as projectors and laptops in a meeting room, or
// every client writing in turn) across ramp steps, and measures edit propagation to every client
// of every room. Unlike yjsClients.ts it opens clients a few at a time and tries a failed upgrade
// once more, as a provider reconnects: under load our server drops upgrades (see the report).
import * as Y from 'yjs';
import { RawClient } from './rawClient.ts';
import { serveCommands } from './child.ts';
import { percentile } from './stats.ts';
import { spreadSourceAddresses } from './clusterAddresses.ts';

export interface Room {
  id: number;
  /** urls[0] is the writer (write access); the others only receive, unless `rotate`. */
  urls: string[];
  /** Every client writes in turn (all need write access), as in the Yjs benchmark's propagation scenario. */
  rotate?: boolean;
}
export type RoomsCommand =
  /** `addressBlock`: this process's clients connect from 127.<10 + block>.x.y (see clusterAddresses.ts). */
  | { kind: 'open'; rooms: Room[]; addressBlock?: number }
  /** Every room's writer makes one edit every intervalMs (rooms staggered); edits sent in the first warmupMs are not measured. */
  | { kind: 'measure'; intervalMs: number; warmupMs: number; measureMs: number }
  | { kind: 'close' };
export interface OpenResult {
  opened: number;
  /** Failed even when tried a second time. */
  failed: number;
  /** Failed the first time (refused, dropped or timed out), then tried again. */
  retried: number;
  /** The first few failures, for the report. */
  errors: string[];
  ms: number;
}
export interface MeasureResult {
  /** Per measured edit: the last receiver's receipt − the send, ms. */
  latencies: number[];
  /** Measured edits that had not reached every receiver 5 s after the last edit was sent. */
  undelivered: number;
  /** Clients disconnected during the measurement. */
  dropped: number;
  clients: number;
  timerLagP99: number;
  clientCpuMs: number;
  wallMs: number;
}

interface HeldRoom {
  id: number;
  clients: RawClient[];
  /** Whether clients[0] is the room's writer. */
  writer: boolean;
  rotate: boolean;
}

const rooms: HeldRoom[] = [];
let dropped = 0;
let closing = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Upgrades in flight at a time per client process. */
const CONCURRENCY = 25;

async function connect(url: string, name: string): Promise<RawClient> {
  const client = new RawClient(url, { presence: { name }, syncTimeoutMs: 20_000 });
  try {
    await client.synced;
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}

async function open(batch: Room[]): Promise<OpenResult> {
  const started = performance.now();
  const all = batch.flatMap((room) => room.urls.map((url, i) => ({ room, url, i })));
  const made = new Map<number, RawClient[]>(batch.map((r) => [r.id, []]));
  const errors: string[] = [];
  let failed = 0;
  let retried = 0;
  const note = (err: unknown) => {
    if (errors.length < 3) errors.push(err instanceof Error ? err.message : String(err));
  };
  // A few upgrades at a time; one that fails is tried once more after a moment, as a provider
  // reconnects (both counted: an upgrade refused or dropped under load is a finding in itself).
  for (let k = 0; k < all.length; k += CONCURRENCY) {
    await Promise.all(
      all.slice(k, k + CONCURRENCY).map(async ({ room, url, i }) => {
        const name = `room ${room.id} #${i}`;
        let client: RawClient;
        try {
          client = await connect(url, name);
        } catch (err) {
          note(err);
          retried++;
          await sleep(500);
          try {
            client = await connect(url, name);
          } catch (again) {
            note(again);
            failed++;
            return;
          }
        }
        client.socket.on('close', () => {
          if (!closing) dropped++;
        });
        made.get(room.id)![i] = client;
      }),
    );
  }
  // The writer first (urls[0]); a room whose writer failed is held without edits.
  for (const room of batch) rooms.push({ id: room.id, clients: room.urls.map((_, i) => made.get(room.id)![i]).filter((c): c is RawClient => Boolean(c)), writer: Boolean(made.get(room.id)![0]), rotate: Boolean(room.rotate) });
  return { opened: all.length - failed, failed, retried, errors, ms: performance.now() - started };
}

async function measure(cmd: { intervalMs: number; warmupMs: number; measureMs: number }, emit: (event: string) => void): Promise<MeasureResult> {
  const droppedBefore = dropped;
  const pending = new Map<string, { sentAt: number; remaining: number; measured: boolean }>();
  const latencies: number[] = [];
  const lags: number[] = [];
  const observers: Array<() => void> = [];
  for (const room of rooms) {
    for (const client of room.clients) {
      const map = client.doc.getMap('bench');
      const observer = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
        if (tr.local) return;
        const at = performance.now();
        for (const key of event.keysChanged) {
          const p = pending.get(key);
          if (!p || --p.remaining > 0) continue;
          pending.delete(key);
          if (p.measured) latencies.push(at - p.sentAt);
        }
      };
      map.observe(observer);
      observers.push(() => map.unobserve(observer));
    }
  }
  const t0 = performance.now() + 100;
  const end = t0 + cmd.warmupMs + cmd.measureMs;
  let cpuStart = process.cpuUsage();
  let wallStart = performance.now();
  const startTimer = setTimeout(() => {
    emit('measure-start');
    cpuStart = process.cpuUsage();
    wallStart = performance.now();
  }, Math.max(0, t0 + cmd.warmupMs - performance.now()));
  const run = Date.now().toString(36);
  await Promise.all(
    rooms.map(async (room, r) => {
      if (!(room.writer || room.rotate) || room.clients.length < 2) return;
      const offset = (r * cmd.intervalMs) / rooms.length;
      for (let k = 0; ; k++) {
        const due = t0 + offset + k * cmd.intervalMs;
        if (due >= end) break;
        await sleep(Math.max(0, due - performance.now()));
        const now = performance.now();
        const measured = due >= t0 + cmd.warmupMs;
        if (measured) lags.push(now - due);
        const key = `${run}.${room.id}.${k}`;
        const writer = room.clients[room.rotate ? k % room.clients.length : 0];
        const receivers = room.clients.filter((c) => c !== writer && c.socket.readyState === c.socket.OPEN);
        pending.set(key, { sentAt: now, remaining: receivers.length, measured });
        writer.doc.getMap('bench').set(key, `edit ${k} in room ${room.id}`);
      }
    }),
  );
  clearTimeout(startTimer);
  for (let waited = 0; [...pending.values()].some((p) => p.measured) && waited < 5_000; waited += 20) await sleep(20);
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  emit('measure-end');
  for (const stop of observers) stop();
  return {
    latencies,
    undelivered: [...pending.values()].filter((p) => p.measured).length,
    dropped: dropped - droppedBefore,
    clients: rooms.reduce((s, r) => s + r.clients.length, 0),
    timerLagP99: percentile(lags, 99),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
  };
}

serveCommands<RoomsCommand>(async (command, emit) => {
  switch (command.kind) {
    case 'open':
      if (command.addressBlock !== undefined) spreadSourceAddresses(command.addressBlock);
      return open(command.rooms);
    case 'measure':
      return measure(command, emit);
    case 'close': {
      closing = true;
      await Promise.all(rooms.flatMap((r) => r.clients.map((c) => c.close())));
      rooms.length = 0;
      closing = false;
      return null;
    }
  }
});
