// `npm start` as a user runs it: one process, seeded once, serving every endpoint on one port,
// stopping cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'samspil-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const check = () => {
      const m = out.match(/serving (http:\/\/localhost:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out, url };
}

function stop(s: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once('exit', (code) => resolve(code));
    s.child.kill(signal);
  });
}

describe('npm start', () => {
  it('creates and seeds an empty embedded database once, serves API and pages on one port, and stops cleanly', async () => {
    const dbPath = join(dir, 'first.db');
    const first = await start({ DATABASE_URL: `file:${dbPath}` });
    expect(first.output()).toContain('seeded the demo network');
    const health = await fetch(`${first.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, database: { dialect: 'sqlite' } });
    const page = await fetch(`${first.url}/login`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const code = await stop(first);
    if (code !== 0) console.log("OUTPUT", first.output());
    expect(code).toBe(0);
    expect(first.output()).toContain('stopped cleanly');

    const sqlite = new Database(dbPath, { readonly: true });
    expect((sqlite.pragma('journal_mode', { simple: true }) as string).toLowerCase()).toBe('wal');
    const users = (sqlite.prepare('select count(*) n from users').get() as { n: number }).n;
    sqlite.close();

    const second = await start({ DATABASE_URL: `file:${dbPath}` });
    expect(second.output()).not.toContain('seeded the demo network');
    expect(await stop(second, 'SIGINT')).toBe(0);
    const again = new Database(dbPath, { readonly: true });
    expect((again.prepare('select count(*) n from users').get() as { n: number }).n).toBe(users);
    again.close();
  });

  it('SEED=false leaves a new database empty', async () => {
    const dbPath = join(dir, 'empty.db');
    const s = await start({ DATABASE_URL: `file:${dbPath}`, SEED: 'false' });
    expect(s.output()).not.toContain('seeded');
    expect(await stop(s)).toBe(0);
    const sqlite = new Database(dbPath, { readonly: true });
    expect((sqlite.prepare('select count(*) n from users').get() as { n: number }).n).toBe(0);
    sqlite.close();
  });
});
