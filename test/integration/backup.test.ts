// `npm run backup` / `npm run restore`: an online backup taken while the database is being written
// is consistent and complete up to its moment; a restore refuses while the database is in use, and
// afterwards the data is there and the integrity check passes. The commands run as an operator runs
// them, in processes of their own, beside a real server process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { backupSqlite, integrityCheck, restoreSqlite } from '../../db/backup.ts';
import { openDatabase } from '../../db/dialect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { appendUpdates, ensureDocument, readDocument } from '../../db/queries/documents.ts';
import { startServerProcess } from '../helpers/process.ts';

const run = promisify(execFile);

/** `npm run backup|restore -- …` as an operator runs it: the CLI in a process of its own, on `DATABASE_URL`. */
async function cli(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'db/backup.ts', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('backup and restore of the embedded database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'samspil-backup-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up while writes go on, refuses to restore under a running server, restores with everything up to the backup', async () => {
    const path = join(dir, 'live.db');
    const handle = openDatabase(`file:${path}`);
    await migrateToLatest(handle.db);
    const now = new Date().toISOString();
    await ensureDocument(handle.db, 'doc', now);
    // About 12 MB, so the backup takes many steps while the writer below keeps committing.
    const blob = new Uint8Array(1024).fill(7);
    for (let i = 0; i < 120; i++) await appendUpdates(handle.db, 'doc', Array.from({ length: 100 }, () => blob), now);

    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await appendUpdates(handle.db, 'doc', [blob], now);
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const count = async () => Number((await handle.db.selectFrom('yjs_updates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // From another process, as an operator runs it, while this one keeps writing.
    const target = join(dir, 'backups', 'one.db');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'db/backup.ts', 'backup', target], { env: { ...process.env, DATABASE_URL: `file:${path}` } });
    const afterBackup = await count();
    expect(stdout).toContain('integrity ok');
    const writtenDuring = written;
    // And in process, through the same function.
    const result = await backupSqlite(path, join(dir, 'two.db'));
    writing = false;
    await writer;
    console.log(`backup from another process while ${writtenDuring} writes committed here: ${stdout.trim()}`);
    expect(result.integrity).toBe('ok');
    expect(writtenDuring).toBeGreaterThan(10);
    expect(integrityCheck(target)).toBe('ok');

    // The server (here: this open handle) still has the database: the restore refuses and changes nothing.
    expect(() => restoreSqlite(target, path)).toThrow(/in use: stop the server/);
    const total = await count();
    await handle.close();

    restoreSqlite(target, path);
    const restored = openDatabase(`file:${path}`);
    const n = Number((await restored.db.selectFrom('yjs_updates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // A consistent moment between the start and the end of the backup; the writes after it are gone.
    expect(n).toBeGreaterThanOrEqual(before);
    expect(n).toBeLessThanOrEqual(afterBackup);
    expect(n).toBeLessThan(total + 1);
    const rows = await restored.db.selectFrom('yjs_updates').select('data').limit(3).execute();
    expect(rows.every((r) => Buffer.from(r.data).equals(Buffer.from(blob)))).toBe(true);
    await restored.close();
    expect(integrityCheck(path)).toBe('ok');
    expect(existsSync(`${path}.restoring`)).toBe(false);
  }, 60_000);

  it('the backup and restore commands: backed up under a running server, refused while it runs, restored after it stops', async () => {
    const path = join(dir, 'served.db');
    const url = `file:${path}`;
    const known = [Buffer.from('first known update'), Buffer.from('second known update'), Buffer.from('third known update')];
    const setup = openDatabase(url);
    await migrateToLatest(setup.db);
    await ensureDocument(setup.db, 'known', new Date().toISOString());
    await appendUpdates(setup.db, 'known', known, new Date().toISOString());
    await setup.close();

    const server = await startServerProcess({ DATABASE_URL: url, PORT: '0', SEED: 'false' });
    const target = join(dir, 'served-backup.db');
    let refused: Awaited<ReturnType<typeof cli>>;
    try {
      const backup = await cli(url, 'backup', target);
      expect(backup, backup.stderr).toMatchObject({ code: 0 });
      expect(backup.stdout).toMatch(/integrity ok/);
      console.log(`npm run backup under a running server: ${backup.stdout.trim()}`);
      refused = await cli(url, 'restore', target);
    } finally {
      await server.kill('SIGTERM');
    }
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/in use: stop the server/);
    expect(await cli(url, 'restore')).toMatchObject({ code: 2, stderr: expect.stringMatching(/usage/) });

    // After the backup: one update deleted, the document changed, a row added.
    const changed = openDatabase(url);
    const ids = await changed.db.selectFrom('yjs_updates').select('id').where('name', '=', 'known').orderBy('id').execute();
    await changed.db.deleteFrom('yjs_updates').where('id', '=', ids[1].id).execute();
    await changed.db.updateTable('yjs_documents').set({ size_bytes: 999 }).where('name', '=', 'known').execute();
    await ensureDocument(changed.db, 'later', new Date().toISOString());
    expect((await readDocument(changed.db, 'known'))!.updates).toHaveLength(2);
    await changed.close();

    const restore = await cli(url, 'restore', target);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    expect(restore.stdout).toMatch(/integrity ok/);
    console.log(`npm run restore with the server stopped: ${restore.stdout.trim()}`);
    const restored = openDatabase(url);
    try {
      expect((await readDocument(restored.db, 'known'))!.updates.map((u) => Buffer.from(u).toString())).toEqual(known.map((k) => k.toString()));
      expect(await restored.db.selectFrom('yjs_documents').select(['name', 'size_bytes']).orderBy('name').execute()).toEqual([{ name: 'known', size_bytes: 0 }]);
    } finally {
      await restored.close();
    }
    expect(integrityCheck(path)).toBe('ok');
  }, 120_000);

  it('refuses a damaged backup and leaves the database alone', async () => {
    const path = join(dir, 'keep.db');
    const handle = openDatabase(`file:${path}`);
    await migrateToLatest(handle.db);
    await handle.close();
    const bad = join(dir, 'bad.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'SQLite format 3\0' + 'x'.repeat(5000));
    expect(() => restoreSqlite(bad, path)).toThrow();
    expect(integrityCheck(path)).toBe('ok');
  });
});
