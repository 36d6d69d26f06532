// `npm run bench` (second part): leaderboard fan-out latency from "report saved" to "received by
// every client" at 100, 500 and 1,000 clients, against a plain socket.io server broadcasting the
// same payload, in the same run. Appends its table to docs/BENCHMARKS.md.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Server } from 'socket.io';
import { startTestServer } from '../helpers/server.ts';
import { addMonths } from '../../realtime/results/leaderboard.ts';
import { currentMonth } from '../../realtime/results/reports.ts';
import { ms, summary } from './stats.ts';

const SIZES = process.env.BENCH_QUICK ? [100] : [100, 500, 1000];
const ROUNDS = process.env.BENCH_QUICK ? 5 : 20;
const WARMUP = 3;
const REPORT = new URL('../../docs/BENCHMARKS.md', import.meta.url);
const now = () => performance.timeOrigin + performance.now();

function child(): { proc: ChildProcess; ask: (command: object, reply: string) => Promise<Record<string, unknown>> } {
  const proc = fork(new URL('./fanoutClients.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (command: object, reply: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process did not answer ${reply} within 60 s`)), 60_000);
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== reply) return;
        clearTimeout(timer);
        proc.off('message', onMessage);
        resolve(m);
      };
      proc.on('message', onMessage);
      proc.send(command);
    });
  return { proc, ask };
}

async function main() {
  const server = await startTestServer();
  const tokenFor = async (email: string) => (await (await server.api('/api/auth/tokens', { method: 'POST', cookie: await server.as(email), body: '{}' })).json()).token as string;
  // A realistic audience: the host, members of every provider, viewers — so sealed views would differ.
  const tokens = await Promise.all(['host@jobcenter.example', 'viewer@jobcenter.example', 'anna@provider1.example', 'bo@provider2.example', 'dorthe@provider3.example', 'emil@provider4.example', 'frida@provider5.example', 'gustav@provider6.example'].map(tokenFor));
  const hostToken = tokens[0];
  const providers = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').orderBy('position').execute()).map((r) => r.organisation_id);
  const month = addMonths(currentMonth(new Date()), -1);
  const board = await (await server.api(`/api/networks/${server.networkId}/leaderboard`, { token: hostToken })).json();
  const payloadBytes = Buffer.byteLength(JSON.stringify(board));

  // The yardstick: a plain socket.io server that broadcasts the same payload to everyone.
  const http = createServer();
  const plain = new Server(http, { serveClient: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const plainUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

  const rows: string[] = [];
  let round = 0;
  for (const size of SIZES) {
    const results: Record<string, { p50: number; p99: number; serverCpuMs: number; clientCpuMs: number }> = {};
    for (const target of ['ours', 'plain'] as const) {
      const { proc, ask } = child();
      await ask(
        target === 'ours'
          ? { type: 'connect', url: server.url, tokens, count: size, subscribe: { networkId: server.networkId }, event: 'leaderboard:updated' }
          : { type: 'connect', url: plainUrl, tokens, count: size, subscribe: null, event: 'leaderboard:updated' },
        'connected',
      );
      const latencies: number[] = [];
      const cpuBefore = process.cpuUsage();
      let clientCpu = 0;
      for (let r = 0; r < WARMUP + ROUNDS; r++) {
        await ask({ type: 'arm', expected: size }, 'armed');
        const done = new Promise<Record<string, unknown>>((resolve) => {
          const onMessage = (m: Record<string, unknown>) => {
            if (m.type === 'round') {
              proc.off('message', onMessage);
              resolve(m);
            }
          };
          proc.on('message', onMessage);
        });
        const t0 = now();
        if (target === 'ours') {
          const res = await server.api(`/api/networks/${server.networkId}/providers/${providers[round % 6]}/reports`, {
            method: 'POST',
            token: hostToken,
            body: JSON.stringify({ month, referred: 9, active: 60, jobStarts: 5 + (round % 7), retained13of26: 2, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 12, reason: `Benchmark-rettelse ${round}` }),
          });
          if (res.status !== 201) throw new Error(`saving a report failed: ${res.status}`);
        } else {
          plain.emit('leaderboard:updated', board);
        }
        round++;
        const m = await done;
        clientCpu = m.cpuMs as number;
        if (r >= WARMUP) for (const t of m.received as number[]) latencies.push(t - t0);
      }
      const cpu = process.cpuUsage(cpuBefore);
      const s = summary(latencies);
      results[target] = { p50: s.p50, p99: s.p99, serverCpuMs: (cpu.user + cpu.system) / 1000, clientCpuMs: clientCpu };
      await ask({ type: 'close' }, 'closed');
      proc.kill();
    }
    const ratio = results.ours.p99 / results.plain.p99;
    rows.push(`| ${size} | ${ms(results.ours.p50)} | ${ms(results.ours.p99)} | ${ms(results.plain.p50)} | ${ms(results.plain.p99)} | ${ratio.toFixed(2)}× | ${ratio <= 1 ? 'yes' : '**no**'} | ${results.ours.serverCpuMs.toFixed(0)} / ${results.ours.clientCpuMs.toFixed(0)} |`);
    console.log(`[fan-out] ${size} clients: ours p50 ${ms(results.ours.p50)} ms p99 ${ms(results.ours.p99)} ms; plain p50 ${ms(results.plain.p50)} ms p99 ${ms(results.plain.p99)} ms`);
  }
  const section = [
    '',
    '## Leaderboard fan-out (socket.io)',
    '',
    `Command: \`npm run bench\` (part 2, \`test/bench/fanout.ts\`). ${ROUNDS} measured rounds after ${WARMUP} warm-up rounds per size; payload ${(payloadBytes / 1024).toFixed(1)} KiB.`,
    'Ours: time from the start of `POST …/reports` (a correction: validation, versioned insert, audit, commit) until every subscribed client has `leaderboard:updated`,',
    'including recomputing the board and cutting it into views (clients are host, viewers and members of all six providers). Plain: time from `io.emit(board)` on a bare socket.io server',
    'until every client has it. Clients run in a separate process; latencies are per client, p50/p99 over all clients and rounds.',
    '',
    '| clients | ours p50 ms | ours p99 ms | plain p50 ms | plain p99 ms | p99 ratio | target ≤ 1.0 met? | ours CPU ms server / clients |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  if (existsSync(REPORT) && readFileSync(REPORT, 'utf8').includes('## Leaderboard fan-out')) {
    const text = readFileSync(REPORT, 'utf8');
    writeFileSync(REPORT, text.slice(0, text.indexOf('\n## Leaderboard fan-out')) + section);
  } else appendFileSync(REPORT, section);
  plain.close();
  await server.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
