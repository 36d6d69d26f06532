// The real server as a child process (`node --import tsx realtime/main.ts`), for crash and restart tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * A port nothing listens on now, for a test to bind (or leave unbound) later. Taken from below
 * Linux's ephemeral range (32768 and up), from which every `listen(0)` of the tests running
 * alongside gets its port, so none of them can be handed it in the meantime.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

/** A server process over a fresh temporary SQLite database (seeded), removed when it stops; `env` adds configuration. */
export async function startSeededServerProcess(env: Record<string, string> = {}): Promise<ServerProcess & { stop(): Promise<void>; databaseFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'samspil-proc-'));
  const databaseFile = join(dir, 'samspil.db');
  const proc = await startServerProcess({ DATABASE_URL: `file:${databaseFile}`, PORT: '0', ...env });
  return {
    ...proc,
    /** The SQLite file, for a test that must store what the API would refuse (a row from before a rule). */
    databaseFile,
    async stop() {
      await proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A real deployment's first day: an empty SQLite database (SEED=false) where `npm run create-host`
 * made the first host, optionally sending e-mail through `smtpUrl`. Removed when it stops.
 */
export async function startFreshDeploymentProcess(host: { email: string; name: string; password: string; jobcenter: string; network: string }, env: Record<string, string> = {}): Promise<ServerProcess & { stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'samspil-fresh-'));
  const databaseUrl = `file:${join(dir, 'samspil.db')}`;
  await new Promise<void>((resolve, reject) => {
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/cli.ts', 'create-host', '--email', host.email, '--name', host.name, '--jobcenter', host.jobcenter, '--network', host.network],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, SAMSPIL_PASSWORD: host.password }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    cli.stdout!.on('data', (d) => (out += d));
    cli.stderr!.on('data', (d) => (out += d));
    cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`create-host exited with ${code}:\n${out}`))));
  });
  const proc = await startServerProcess({ DATABASE_URL: databaseUrl, SEED: 'false', PORT: '0', ...env });
  return {
    ...proc,
    async stop() {
      await proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'realtime/main.ts'], {
    cwd: root,
    // Tests open far more connections a minute from 127.0.0.1 than a person would; the tests of the
    // connection limits themselves pass their own CONNECTIONS_PER_ADDRESS_PER_MINUTE.
    env: { ...process.env, CONNECTIONS_PER_ADDRESS_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = () => {
      const m = out.match(/serving (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    kill: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
