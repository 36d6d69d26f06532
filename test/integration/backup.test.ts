// `npm run backup` / `npm run restore`: an online backup taken while the database is being written
// is consistent and complete up to its moment; a restore refuses while the database is in use, and
// afterwards the data is there and the integrity check passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { backupSqlite, integrityCheck, restoreSqlite } from '../../db/backup.ts';
import { openDatabase } from '../../db/dialect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { appendUpdates, ensureDocument } from '../../db/queries/documents.ts';

const run = promisify(execFile);

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
