// `npm run backup [-- file]` and `npm run restore -- <file>`: a consistent online backup of the
// embedded SQLite database, and putting one back. PostgreSQL is backed up with pg_dump (README).
//
// The backup uses SQLite's online backup API (better-sqlite3's db.backup()) on a connection of its
// own, so it may run while the server writes: it copies a consistent snapshot in one read transaction. The restore replaces the database file, so it refuses while any
// other connection has the database open (a running server), and checks the backup first.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { DEFAULT_DATABASE_URL } from './dialect.ts';

/** The file behind a `file:` DATABASE_URL; throws with advice for PostgreSQL. */
export function sqlitePathOf(url: string): string {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new Error('DATABASE_URL points at PostgreSQL: back it up with pg_dump and restore with pg_restore (see README, "Privacy and data").');
  }
  if (!url.startsWith('file:') || url === 'file::memory:') throw new Error(`not an SQLite file database: ${url}`);
  return resolve(url.slice('file:'.length));
}

/** Runs SQLite's integrity check on a file; 'ok' when it is sound. */
export function integrityCheck(path: string): string {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

export interface BackupResult {
  path: string;
  pages: number;
  integrity: string;
}

/** Copies the live database at `source` into `target` (a new file), consistently, while others may write. */
export async function backupSqlite(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; choose another file`);
  mkdirSync(dirname(target), { recursive: true });
  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  let pages = 0;
  try {
    // Every page in one step, inside one read transaction: in WAL mode the server's writers go on
    // meanwhile, and the copy is the database as of that transaction's start. (Copying in small steps
    // would restart from scratch whenever another connection writes, never finishing under load.)
    const result = await db.backup(target, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return 0x7fffffff;
      },
    });
    pages = result.totalPages;
  } catch (err) {
    rmSync(target, { force: true });
    throw err;
  } finally {
    db.close();
  }
  const integrity = integrityCheck(target);
  if (integrity !== 'ok') throw new Error(`the backup at ${target} failed its integrity check: ${integrity}`);
  return { path: target, pages, integrity };
}

/** Whether another connection has the database open (a running server): it then holds it in WAL mode. */
export function inUseByOthers(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new SQLite(path, { fileMustExist: true, timeout: 0 });
  try {
    // Leaving WAL mode needs the database to itself; a server (and its checkpoint thread) keeps it open.
    db.pragma('journal_mode = DELETE');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY' || /locked|busy/i.test(String(err))) return true;
    throw err;
  } finally {
    db.close();
  }
}

/** Replaces the database at `target` by the backup at `backup`; refuses while the server runs. */
export function restoreSqlite(backup: string, target: string): { integrity: string } {
  if (!existsSync(backup)) throw new Error(`no backup at ${backup}`);
  const integrity = integrityCheck(backup);
  if (integrity !== 'ok') throw new Error(`the backup at ${backup} failed its integrity check (${integrity}); nothing was changed`);
  if (inUseByOthers(target)) {
    throw new Error(`the database at ${target} is in use: stop the server (and anything else using it) first; nothing was changed`);
  }
  mkdirSync(dirname(target), { recursive: true });
  // Copy beside the target, then rename over it: a crash midway leaves the old database or the new, never half of one.
  const incoming = `${target}.restoring`;
  copyFileSync(backup, incoming);
  // A write-ahead log left from the old database must never be applied to the new one.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  renameSync(incoming, target);
  return { integrity: integrityCheck(target) };
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  const path = sqlitePathOf(process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
  if (command === 'backup') {
    const target = resolve(file ?? `backups/samspil-${timestamp()}.db`);
    const result = await backupSqlite(path, target);
    console.log(`backed up ${path} to ${result.path} (${result.pages} pages, integrity ${result.integrity})`);
    return 0;
  }
  if (command === 'restore') {
    if (!file) {
      console.error('usage: npm run restore -- <backup file>   (stop the server first)');
      return 2;
    }
    const { integrity } = restoreSqlite(resolve(file), path);
    console.log(`restored ${resolve(file)} to ${path} (integrity ${integrity}); start the server again`);
    return 0;
  }
  console.error('usage: tsx db/backup.ts backup [file] | restore <file>');
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('db/backup.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
