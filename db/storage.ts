// Before the embedded database opens: is there somewhere to write it? A read-only data directory,
// a read-only database file or a full disk stops the start with a message saying which and what to
// do, instead of a server that answers every write with an error.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class StorageError extends Error {}

const advice = (code: string | undefined, what: string): string => {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `${what} is not writable by this user (${code}). Make it writable for the user running Samspil, or set DATABASE_URL=file:<path> to a writable place.`;
    case 'EROFS':
      return `${what} is on a read-only file system (EROFS). Mount it read-write, or set DATABASE_URL=file:<path> to a writable place.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk holding ${what} is full (${code}). Free some space, then start again; nothing was changed.`;
    default:
      return `${what} cannot be written (${code ?? 'unknown error'}).`;
  }
};

/**
 * Checks that the SQLite database at `url` (a `file:` URL; anything else passes) can be written:
 * its directory exists or can be made, a file can be written and synced there (the WAL and the
 * shared-memory file live beside the database), and the database file itself opens for writing.
 */
export function assertSqliteWritable(url: string): void {
  if (!url.startsWith('file:') || url === 'file::memory:') return;
  const path = resolve(url.slice('file:'.length));
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new StorageError(`Cannot create the data directory: ${advice((err as NodeJS.ErrnoException).code, dir)}`);
  }
  const probe = resolve(dir, `.samspil-write-probe-${process.pid}`);
  try {
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, Buffer.alloc(4096));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new StorageError(`Cannot write to the data directory: ${advice((err as NodeJS.ErrnoException).code, dir)}`);
  } finally {
    rmSync(probe, { force: true });
  }
  if (existsSync(path)) {
    try {
      closeSync(openSync(path, 'r+'));
    } catch (err) {
      throw new StorageError(`Cannot open the database for writing: ${advice((err as NodeJS.ErrnoException).code, path)}`);
    }
  }
}
