// Fresh databases for tests: a temporary SQLite file, or a fresh PostgreSQL schema dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type DialectName } from '../../db/dialect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { POSTGRES_URL } from './services.ts';

export interface TestDatabase extends DatabaseHandle {
  /** The DATABASE_URL a child process would use for the same database. */
  url: string;
  pgSchema?: string;
  /** Closes and deletes the database. */
  drop(): Promise<void>;
}

export async function freshDatabase(dialect: DialectName, { migrate = true } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'samspil-test-'));
    const url = `file:${join(dir, 'test.db')}`;
    const handle = openDatabase(url);
    if (migrate) await migrateToLatest(handle.db);
    return {
      ...handle,
      url,
      drop: async () => {
        await handle.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase(POSTGRES_URL, { pgSchema: schema });
  if (migrate) await migrateToLatest(handle.db, handle.schema);
  return {
    ...handle,
    url: POSTGRES_URL,
    pgSchema: schema,
    drop: async () => {
      await handle.close().catch(() => {});
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
