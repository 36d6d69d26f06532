// `npm run start:cluster`: two instances on ports 3001 and 3002 over one PostgreSQL and one Redis,
// behind a local round-robin proxy on port 3000 — for trying the scale-out on one machine.
// DATABASE_URL (PostgreSQL) and REDIS_URL default to the local services.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startProxy } from './proxy.mjs';

const root = new URL('..', import.meta.url).pathname;
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  // Behind this TCP proxy every client has the proxy's address, so a per-address budget would be
  // everyone's: off here, unless asked for.
  CONNECTIONS_PER_ADDRESS_PER_MINUTE: process.env.CONNECTIONS_PER_ADDRESS_PER_MINUTE ?? '0',
};
if (!env.DATABASE_URL.startsWith('postgres')) {
  console.error('[cluster] several instances need PostgreSQL: set DATABASE_URL=postgres://…');
  process.exit(1);
}
const proxyPort = Number(process.env.PORT ?? 3000);
const ports = [3001, 3002];
const children = [];

async function healthy(port, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

function startInstance(port, seed) {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    env: { ...env, PORT: String(port), SEED: seed ? 'true' : 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[:${port}] `;
  child.stdout.on('data', (d) => process.stdout.write(String(d).replace(/^(?=.)/gm, prefix)));
  child.stderr.on('data', (d) => process.stderr.write(String(d).replace(/^(?=.)/gm, prefix)));
  child.on('exit', (code, signal) => console.log(`[cluster] instance :${port} exited (${signal ?? code})`));
  children.push(child);
  return child;
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 11_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The first instance migrates and seeds (and builds the web app if needed); then the second joins.
startInstance(ports[0], true);
if (!(await healthy(ports[0], 300_000))) {
  console.error('[cluster] the first instance did not become healthy');
  stop();
} else {
  startInstance(ports[1], false);
  if (!(await healthy(ports[1], 60_000))) console.error('[cluster] the second instance did not become healthy');
  await startProxy({ port: proxyPort, backends: ports.map((port) => ({ host: '127.0.0.1', port })), log: (l) => console.log(`[cluster] ${l}`) });
  console.log(`[cluster] two instances behind http://localhost:${proxyPort} (instances on ${ports.join(' and ')}; database ${env.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')}, redis ${env.REDIS_URL})`);
}
