// A read-only data directory or a full disk on the embedded database: the server refuses to start
// with a clear message, a write that hits SQLITE_READONLY or SQLITE_FULL answers 503 with a clear
// message (a Yjs edit is refused with 1013, so the client resends), nothing is half-written, and
// writes work again once there is room — without root tricks: query_only stands in for a read-only
// file and max_page_count for a full disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import { onSqliteConnection } from '../../db/dialect.ts';
import { assertSqliteWritable, StorageError } from '../../db/storage.ts';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'samspil-storage-'));
afterAll(() => {
  chmodSync(join(dir, 'readonly'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});

// A directory without write permission stops everyone but root: find out which we are.
const readonlyDir = join(dir, 'readonly');
mkdirSync(readonlyDir);
chmodSync(readonlyDir, 0o555);
let permissionsBite = false;
try {
  writeFileSync(join(readonlyDir, 'probe'), 'x');
  rmSync(join(readonlyDir, 'probe'));
} catch {
  permissionsBite = true;
}
if (!permissionsBite) {
  console.warn(
    '\n!!! SKIPPED: the tests run as root, for whom chmod does not make a directory read-only; the read-only data ' +
      'directory start-up test needs an ordinary user (docs/operations.md, "Read-only or full disk"). It is tried as nobody through runuser ' +
      'where possible, and the same refusal is tested with a path that cannot be created.\n',
  );
}

// As root, the same start-up can still be tried as an unprivileged user, if runuser and nobody exist.
const asNobody = !permissionsBite && process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;

/** Runs the server's entry point and returns its exit code and output (it should not get far). */
function startFails(databaseUrl: string, nobody = false): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--import', 'tsx', 'realtime/main.ts'];
    const [command, ...args] = nobody ? ['runuser', '-u', 'nobody', '--', ...node] : node;
    const child = spawn(command, args, { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server started instead of refusing:\n${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('starting without a writable data directory', () => {
  it.skipIf(!permissionsBite)('a read-only data directory: the server refuses to start, saying which directory and what to do', async () => {
    expect(() => assertSqliteWritable(`file:${join(readonlyDir, 'samspil.db')}`)).toThrow(StorageError);
    const { code, output } = await startFails(`file:${join(readonlyDir, 'samspil.db')}`);
    expect(code).not.toBe(0);
    expect(output).toContain(`cannot start: Cannot write to the data directory: ${readonlyDir} is not writable`);
  }, 70_000);

  it.runIf(asNobody)('as root: the same refusal for an unprivileged user (runuser -u nobody)', async () => {
    chmodSync(dir, 0o755);
    const { code, output } = await startFails(`file:${join(readonlyDir, 'samspil.db')}`, true);
    expect(code).toBe(1);
    expect(output).toContain(`cannot start: Cannot write to the data directory: ${readonlyDir} is not writable by this user (EACCES)`);
  }, 70_000);

  it('a data directory that cannot be created: the server refuses to start with a clear message and exit code 1', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const url = `file:${join(file, 'data', 'samspil.db')}`;
    expect(() => assertSqliteWritable(url)).toThrow(/Cannot create the data directory/);
    const { code, output } = await startFails(url);
    expect(code).toBe(1);
    expect(output).toContain('cannot start: Cannot create the data directory');
  }, 70_000);

  it('a writable directory passes and leaves no probe behind', () => {
    const ok = join(dir, 'ok');
    assertSqliteWritable(`file:${join(ok, 'samspil.db')}`);
    assertSqliteWritable('postgres://somewhere/db');
  });
});

describe('writes on a read-only or full database', () => {
  let server: TestServer;
  let host: string;
  let archivedMeetingId: string;
  let sqlite: SQLite.Database;
  beforeAll(async () => {
    server = await startTestServer();
    host = await server.login('host@jobcenter.example');
    sqlite = (await onSqliteConnection(server.ctx.db, (s) => s))!;
    archivedMeetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'closed').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    sqlite.pragma('query_only = OFF');
    await server?.close();
  });

  const addendum = (text: string) => server.api(`/api/meetings/${archivedMeetingId}/addenda`, { method: 'POST', cookie: host, body: JSON.stringify({ text }) });
  const addenda = async () => (await server.ctx.db.selectFrom('meeting_addenda').select('id').execute()).length;

  it('SQLITE_READONLY answers 503 with a clear message and changes nothing; writes work again after', async () => {
    const before = await addenda();
    sqlite.pragma('query_only = ON');
    const res = await addendum('Tilføjelse mens databasen er skrivebeskyttet.');
    sqlite.pragma('query_only = OFF');
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toMatch(/database.*nothing was changed/i);
    expect(await addenda()).toBe(before);
    expect((await addendum('Tilføjelse bagefter.')).status).toBe(201);
  });

  it('SQLITE_FULL: 503 over HTTP, 1013 for a Yjs edit, nothing half-written, integrity ok, and writes resume once there is room', async () => {
    const before = await addenda();
    // A writer with the minutes open before the disk fills up.
    const name = `meeting:${(await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id}:minutes`;
    const client = yjsClient(server.url, name, { cookie: host });
    const closes: number[] = [];
    client.provider.on('connection-close', (event: { code: number } | null) => void (event && closes.push(event.code)));
    await client.synced();
    // A disk with no room left: the database may not grow past its pages now, and those are filled.
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages + 8}`);
    const fill = sqlite.prepare("insert into yjs_updates (name, data, created_at) values ('filler', ?, '')");
    for (const size of [2000, 500, 100, 20, 1]) {
      try {
        for (;;) fill.run(Buffer.alloc(size, 1));
      } catch (err) {
        expect((err as { code: string }).code).toBe('SQLITE_FULL');
      }
    }

    const res = await addendum('x'.repeat(4000));
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toMatch(/database.*nothing was changed/i);
    expect(await addenda()).toBe(before);

    client.doc.getText('full').insert(0, 'y'.repeat(20_000));
    await eventually(() => closes.includes(YjsCloseCode.storeUnavailable), 'the edit to be refused with 1013');
    const storedText = sqlite.prepare("select count(*) as n from yjs_updates where name = ? and length(data) > 20000").get(name) as { n: number };
    expect(storedText.n).toBe(0);

    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // Room again: the same edits go through (y-websocket resends on reconnect).
    sqlite.prepare("delete from yjs_updates where name = 'filler'").run();
    sqlite.pragma('max_page_count = 1073741823');
    expect((await addendum('x'.repeat(4000))).status).toBe(201);
    await eventually(() => {
      const row = sqlite.prepare('select count(*) as n from yjs_updates where name = ? and length(data) > 20000').get(name) as { n: number };
      return row.n > 0;
    }, 'the edit to be stored once the disk has room (resent on reconnect)', 15_000);
    client.destroy();
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 60_000);
});
