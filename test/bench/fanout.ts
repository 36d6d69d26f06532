// `npm run bench` (second part): leaderboard fan-out latency from "report saved" to "received by
// every client" at 100, 500 and 1,000 clients, against a plain socket.io server broadcasting the
// same payload, in the same run. Appends its table to docs/BENCHMARKS.md.
import { fork, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { PerformanceObserver } from 'node:perf_hooks';
import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Server } from 'socket.io';
import { startTestServer } from '../helpers/server.ts';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { bootstrapRatio, median, ms, summary } from './stats.ts';
import { type LeaderboardTraceMessage } from '../../realtime/results/leaderboardLive.ts';

const SIZES = process.env.BENCH_QUICK ? [Number(process.env.BENCH_QUICK) > 1 ? Number(process.env.BENCH_QUICK) : 100] : [100, 500, 1000];
// A p99 over few clients rests on a handful of rounds (one garbage-collector pause delays every
// delivery after it), so small sizes get more rounds.
// Multiples of six, so every order of the three targets (ORDERS) is measured equally often.
const ROUNDS_FOR: Record<number, number> = { 100: 150, 500: 60, 1000: 42 };
const roundsFor = (size: number) => Number(process.env.FANOUT_ROUNDS ?? 0) || (process.env.BENCH_QUICK ? 5 : ROUNDS_FOR[size]);
const WARMUP = 3;
// Whole runs over all sizes; a single p99 ratio moves by ±30 % between runs on this machine.
const RUNS = process.env.BENCH_QUICK ? 1 : Number(process.env.FANOUT_RUNS ?? 3);
// Each size is measured with the period open (one view for everyone) and sealed (eight views);
// FANOUT_CASES=open or sealed measures only one of them.
const CASES = process.env.FANOUT_CASES === 'open' ? ([false] as const) : process.env.FANOUT_CASES === 'sealed' ? ([true] as const) : ([false, true] as const);
const caseName = (sealed: boolean) => (sealed ? 'sealed' : 'open');
const PROCESSES = Number(process.env.FANOUT_PROCESSES ?? 2);
const REPORT = new URL('../../docs/BENCHMARKS.md', import.meta.url);
const now = () => performance.timeOrigin + performance.now();

// Every round starts with an empty young generation, in this process and in the clients'. Without
// that, each round allocates about the same, so the collector's pauses fall in step with the
// rotation of servers, landing again and again in the rounds of whichever server the phase picks
// (measured: 13 of 25 rounds of one server, none of the others). A round's own allocations still
// fall inside its measurement.
const exposedGc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (!exposedGc) throw new Error('Run the fan-out benchmark with node --expose-gc (npm run bench does).');
const collectGarbage = exposedGc;

interface Child {
  proc: ChildProcess;
  /** Sends a command and waits for the reply of that type (and group, if given). */
  ask(command: object, reply: string, group?: string): Promise<Record<string, unknown>>;
  /** Waits for the next message of that type and group. */
  next(type: string, group: string): Promise<Record<string, unknown>>;
}

function child(): Child {
  const proc = fork(new URL('./fanoutClients.ts', import.meta.url), [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: string, group?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process did not answer ${type} within 60 s`)), 60_000);
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type || (group !== undefined && m.group !== group)) return;
        clearTimeout(timer);
        proc.off('message', onMessage);
        resolve(m);
      };
      proc.on('message', onMessage);
    });
  return {
    proc,
    next,
    ask(command, reply, group) {
      const answer = next(reply, group);
      proc.send(command);
      return answer;
    },
  };
}

const TARGETS = ['ours', 'plain', 'control'] as const;
type Target = (typeof TARGETS)[number];
/** Every order of the three, in turn: each target goes first, in the middle and last equally often,
 * and follows each other target equally often (with two orders only, plain was always in the middle). */
const ORDERS: Target[][] = [
  ['ours', 'plain', 'control'],
  ['control', 'ours', 'plain'],
  ['plain', 'control', 'ours'],
  ['ours', 'control', 'plain'],
  ['plain', 'ours', 'control'],
  ['control', 'plain', 'ours'],
];
/** Which connected clients a target's broadcast reaches: the control round reaches our server's. */
const groupOf = (target: Target) => (target === 'control' ? 'ours' : target);

async function main() {
  const server = await startTestServer();
  const tokenFor = async (email: string) => (await (await server.api('/api/auth/tokens', { method: 'POST', cookie: await server.as(email), body: '{}' })).json()).token as string;
  // A realistic audience: the host, members of every provider, viewers — so sealed views would differ.
  const tokens = await Promise.all(['host@jobcenter.example', 'viewer@jobcenter.example', 'anna@provider1.example', 'bo@provider2.example', 'dorthe@provider3.example', 'emil@provider4.example', 'frida@provider5.example', 'gustav@provider6.example'].map(tokenFor));
  const hostToken = tokens[0];
  const providers = await server.providerIds();
  const month = addMonths(copenhagenMonth(new Date()), -1);
  const board = await (await server.api(`/api/networks/${server.networkId}/leaderboard`, { token: hostToken })).json();
  const payloadBytes = Buffer.byteLength(JSON.stringify(board));

  // "Report saved": the publisher announces each change the moment the save has committed.
  let savedAt = Number.NaN;
  let computedAt = Number.NaN;
  let sentAt = Number.NaN;
  subscribe('samspil:leaderboard', (message) => {
    const { phase } = message as LeaderboardTraceMessage;
    if (phase === 'changed') savedAt = now();
    else if (phase === 'computed') computedAt = now();
    else sentAt = now();
  });

  // Garbage-collector pauses of this process (both servers live in it), to see which rounds they fell in.
  const gcPauses: Array<{ at: number; ms: number }> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ at: performance.timeOrigin + e.startTime, ms: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  // The yardstick: a plain socket.io server that broadcasts the same payload to everyone when the
  // same reporter process posts the same body to it, so both servers are triggered alike (the
  // reporter's and the IPC's work falls in both measurements, not only in ours).
  let broadcastAt = Number.NaN;
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      broadcastAt = now();
      // The control: the same trigger and payload, broadcast to our server's subscribers without
      // saving or computing anything. Its ratio to plain shows how far two equal broadcasts differ here.
      // Every socket of our server is a subscriber here, so io.emit reaches the same clients, in
      // connection order, as plain's io.emit does its own.
      if (req.url === '/control') server.io.local.emit('leaderboard:updated', board);
      else plain.emit('leaderboard:updated', board);
      sentAt = now();
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const plain = new Server(http, { serveClient: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const plainUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

  // Reports are saved from a process of its own, as from a browser: its HTTP client does not share the server's event loop.
  const reporter = child();
  const rows: string[] = [];
  const hostPost = async (path: string, body: object) => {
    const res = await server.api(path, { method: 'POST', token: hostToken, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  };
  const pooled = new Map(
    SIZES.flatMap((size) => CASES.map((sealed) => [`${size}|${sealed}`, { ours: [] as number[][], plain: [] as number[][], control: [] as number[][], ratios: [] as number[], controlRatios: [] as number[] }])),
  );
  let round = 0;
  for (let run = 1; run <= RUNS; run++) for (const size of SIZES) {
    const ROUNDS = roundsFor(size);
    // The clients, spread over processes so that both cores can take them in once the server is done.
    const children = Array.from({ length: Math.min(PROCESSES, size) }, child);
    const counts = children.map((_, i) => Math.floor(size / children.length) + (i < size % children.length ? 1 : 0));
    const firsts = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
    for (const target of ['ours', 'plain'] as const) {
      await Promise.all(
        children.map((c, i) =>
          c.ask(
            target === 'ours'
              ? { type: 'connect', group: target, url: server.url, tokens, first: firsts[i], count: counts[i], subscribe: { networkId: server.networkId }, event: 'leaderboard:updated' }
              : { type: 'connect', group: target, url: plainUrl, tokens, first: firsts[i], count: counts[i], subscribe: null, event: 'leaderboard:updated' },
            'connected',
            target,
          ),
        ),
      );
    }
    for (const sealed of CASES) {
      // Sealed: every provider's members see only their own figures, so each push carries eight views.
      if (sealed) await hostPost(`/api/networks/${server.networkId}/leaderboard/seal`, { from: board.from, to: board.to });
      const results = Object.fromEntries(
        TARGETS.map((t) => [t, { latencies: [] as number[], rounds: [] as number[][], sendMs: [] as number[], saveMs: [] as number[], computeMs: [] as number[], serverCpuMs: 0, clientCpuMs: 0, bytes: 0, windows: [] as Array<{ from: number; to: number }> }]),
      ) as Record<
        Target,
        { latencies: number[]; rounds: number[][]; sendMs: number[]; saveMs: number[]; computeMs: number[]; serverCpuMs: number; clientCpuMs: number; bytes: number; windows: Array<{ from: number; to: number }> }
      >;
      // Rounds go through every order of the targets, so load from elsewhere on the machine falls on
      // all three alike and none always runs right after the same one.
      for (let r = 0; r < WARMUP + ROUNDS; r++) {
        for (const target of ORDERS[r % ORDERS.length]) {
          const group = groupOf(target);
          await Promise.all(children.map((c) => c.ask({ type: 'arm', group }, 'armed', group)));
          const done = Promise.all(children.map((c) => c.next('round', group)));
          const cpuBefore = process.cpuUsage();
          collectGarbage({ type: 'minor' });
          savedAt = computedAt = sentAt = broadcastAt = Number.NaN;
          const posted = now();
          const url = target === 'ours' ? `${server.url}/api/networks/${server.networkId}/providers/${providers[round % 6]}/reports` : `${plainUrl}/${target === 'control' ? 'control' : 'broadcast'}`;
          const answer = await reporter.ask(
            {
              type: 'post',
              url,
              token: hostToken,
              body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 5 + (round % 7), retained13of26: 2, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 12, reason: `Benchmark-rettelse ${round}` }),
            },
            'posted',
          );
          if (answer.status !== 201) throw new Error(`${target}: the POST answered ${answer.status}`);
          // Ours from the commit; plain from the moment its handler has the request.
          const start = target === 'ours' ? savedAt : broadcastAt;
          if (r >= WARMUP) results[target].saveMs.push(start - posted);
          round++;
          const replies = await done;
          const sent = sentAt;
          if (!(start > 0) || !(sent >= start)) throw new Error(`${target}: no save/send time was recorded`);
          if (r < WARMUP) continue;
          const cpu = process.cpuUsage(cpuBefore);
          const res = results[target];
          res.serverCpuMs += (cpu.user + cpu.system) / 1000;
          res.sendMs.push(sent - start);
          if (target === 'ours') res.computeMs.push(computedAt - start);
          const latencies = replies.flatMap((m) => (m.received as number[]).map((t) => t - start));
          res.latencies.push(...latencies);
          res.rounds.push(latencies);
          for (const m of replies) {
            res.clientCpuMs += m.cpuMs as number;
            res.bytes += m.bytes as number;
          }
          res.windows.push({ from: start, to: start + Math.max(...latencies) });
        }
      }
      if (sealed) await hostPost(`/api/networks/${server.networkId}/leaderboard/reveal`, {});
      // Pauses that overlapped a round's deliveries (the observer reports them a little later, hence here).
      const gcIn = (t: Target) => {
        const hit = results[t].windows.map(({ from, to }) => gcPauses.filter((g) => g.at + g.ms > from && g.at < to).reduce((sum, g) => sum + g.ms, 0));
        return `${hit.filter((paused) => paused > 0).length} (${ms(hit.reduce((a, b) => a + b, 0))})`;
      };
      const s = Object.fromEntries(TARGETS.map((t) => [t, summary(results[t].latencies)])) as Record<Target, ReturnType<typeof summary>>;
      const perRound = (v: number) => (v / ROUNDS).toFixed(0);
      const ratio = s.ours.p99 / s.plain.p99;
      const kibPerClient = (t: Target) => (results[t].bytes / results[t].latencies.length / 1024).toFixed(1);
      const compute = summary(results.ours.computeMs);
      const pool = pooled.get(`${size}|${sealed}`)!;
      pool.ours.push(...results.ours.rounds);
      pool.plain.push(...results.plain.rounds);
      pool.control.push(...results.control.rounds);
      pool.ratios.push(ratio);
      const controlRatio = s.control.p99 / s.plain.p99;
      pool.controlRatios.push(controlRatio);
      rows.push(
        `| ${run} | ${size} | ${caseName(sealed)} | ${ROUNDS} | ${ms(s.ours.p50)} | ${ms(s.ours.p99)} | ${ms(s.plain.p50)} | ${ms(s.plain.p99)} | ${ratio.toFixed(2)}× | ${ratio <= 1 ? 'yes' : '**no**'} | ${ms(s.control.p99)} | ${controlRatio.toFixed(2)}× | ` +
          `${ms(median(results.ours.saveMs))} / ${ms(median(results.plain.saveMs))} | ${ms(compute.p50)} / ${ms(compute.max)} | ${ms(median(results.ours.sendMs))} / ${ms(median(results.plain.sendMs))} / ${ms(median(results.control.sendMs))} | ${TARGETS.map(gcIn).join(' / ')} | ${kibPerClient('ours')} / ${kibPerClient('plain')} | ` +
          `${perRound(results.ours.serverCpuMs)} / ${perRound(results.plain.serverCpuMs)} | ${perRound(results.ours.clientCpuMs)} / ${perRound(results.plain.clientCpuMs)} |`,
      );
      console.log(`[fan-out] run ${run}, ${size} clients, ${caseName(sealed)}: ours p50 ${ms(s.ours.p50)} ms p99 ${ms(s.ours.p99)} ms; plain p50 ${ms(s.plain.p50)} ms p99 ${ms(s.plain.p99)} ms; control p99 ${ms(s.control.p99)} ms; ours to computed p50 ${ms(compute.p50)} max ${ms(compute.max)} ms`);
    }
    await Promise.all(children.map((c) => c.ask({ type: 'close' }, 'closed')));
    for (const c of children) c.proc.kill();
  }
  const pooledRows = SIZES.flatMap((size) => CASES.map((sealed) => ({ size, sealed }))).map(({ size, sealed }) => {
    const pool = pooled.get(`${size}|${sealed}`)!;
    const ours = summary(pool.ours.flat());
    const plainSummary = summary(pool.plain.flat());
    const ratio = ours.p99 / plainSummary.p99;
    const control = summary(pool.control.flat());
    const interval = (a: number[][], b: number[][]) => {
      const { low, high } = bootstrapRatio(a, b, 99);
      return `${low.toFixed(2)}–${high.toFixed(2)}`;
    };
    const met = pool.ratios.filter((r) => r <= 1).length;
    const list = (ratios: number[]) => ratios.map((r) => r.toFixed(2)).join(', ');
    return (
      `| ${size} | ${caseName(sealed)} | ${ms(ours.p50)} | ${ms(ours.p99)} | ${ms(plainSummary.p50)} | ${ms(plainSummary.p99)} | ${ratio.toFixed(2)}× | ${interval(pool.ours, pool.plain)} | ${ratio <= 1 ? 'yes' : '**no**'} | ${met} of ${pool.ratios.length} (${list(pool.ratios)}) | ` +
      `${ms(control.p50)} | ${ms(control.p99)} | ${(control.p99 / plainSummary.p99).toFixed(2)}× | ${interval(pool.control, pool.plain)} | ${list(pool.controlRatios)} |`
    );
  });
  const section = [
    '',
    '## Leaderboard fan-out (socket.io)',
    '',
    `Command: \`npm run bench\` (part 2, \`test/bench/fanout.ts\`). ${RUNS} runs over all sizes; in each, ${SIZES.map((size) => `${roundsFor(size)} measured rounds at ${size} clients`).join(', ')}, after ${WARMUP} warm-up rounds, per server, going through every order of ours, plain and control in turn; payload ${(payloadBytes / 1024).toFixed(1)} KiB.`,
    'Ours: a correction is saved through `POST …/reports` (sent from another process); timed from the moment the save has committed (the publisher is told, via the `samspil:leaderboard` diagnostics channel)',
    'until each subscribed client has `leaderboard:updated`: adding the saved version to the board last pushed (the first push after subscribing recomputes it from the database; the warm-up rounds take that), cutting it into views and sending them (clients are host, viewers and members of all six providers). Open: one view for all; sealed: the host sealed the period, so there are eight views (host, viewer, each provider its own figures), each encoded once.',
    'Plain: a bare socket.io server in the same process; the same reporter process posts the same body to it, and its handler calls `io.emit(board)` with the same payload. Timed from the moment the handler has the request until each client has it.',
    'Control: triggered like plain, but the handler broadcasts the same payload with `io.emit` on our server, whose sockets are all subscribers (no save, no computation). Control against plain is two equal broadcasts: how far their ratio strays from 1.0 is the noise of this machine.',
    `Clients: real socket.io clients over WebSocket, spread over ${PROCESSES} child processes; a client's time is when its handler runs. p50/p99 over all clients and rounds.`,
    '"POST to start" is from sending the POST until the start point (the commit; for plain, the handler), not in the latency; "to computed" is from the commit until the board is computed (median / max); "to sent" is from the start point until every view has been handed to socket.io; CPU is per round.',
    'A garbage-collector pause of the benchmark\'s process (both servers run in it) delays every delivery of the round it falls in, so a p99 rests on the few rounds that had one: "rounds with a GC pause" counts them per server. The 95 % intervals are bootstrapped over whole rounds (400 resamples).',
    '',
    'All runs pooled (p50/p99 over every client and round of every run; the last column: in how many runs that run\'s own p99 ratio met the target):',
    '',
    '| clients | period | ours p50 ms | ours p99 ms | plain p50 ms | plain p99 ms | p99 ratio | its 95 % interval | target ≤ 1.0 met? | runs meeting it (their ratios) | control p50 ms | control p99 ms | control / plain p99 | its 95 % interval | control / plain, each run |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...pooledRows,
    '',
    'Each run:',
    '',
    '| run | clients | period | rounds | ours p50 ms | ours p99 ms | plain p50 ms | plain p99 ms | p99 ratio | target ≤ 1.0 met? | control p99 ms | control / plain | POST to start ms ours / plain | ours to computed ms | to sent ms ours / plain / control | rounds with a GC pause (ms) ours / plain / control | KiB per client ours / plain | server CPU ms ours / plain | client CPU ms ours / plain |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  if (process.env.BENCH_NO_WRITE) console.log(section);
  else if (existsSync(REPORT) && readFileSync(REPORT, 'utf8').includes('## Leaderboard fan-out')) {
    const text = readFileSync(REPORT, 'utf8');
    writeFileSync(REPORT, text.slice(0, text.indexOf('\n## Leaderboard fan-out')) + section);
  } else appendFileSync(REPORT, section);
  gcObserver.disconnect();
  reporter.proc.kill();
  plain.close();
  await server.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
