// Opens the database named by DATABASE_URL: embedded SQLite by default, PostgreSQL for production.
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './database.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, with any password removed: safe to log. */
  description: string;
  /** The PostgreSQL schema in use (for the migrations' bookkeeping); undefined on SQLite. */
  schema?: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:data/samspil.db';

export interface OpenOptions {
  /** PostgreSQL schema to use instead of `public` (tests use a fresh one per run). */
  pgSchema?: string;
  /** PostgreSQL: how long a query may wait for its answer (ms) before it fails and its connection is dropped; 0 or none: no limit. */
  queryTimeoutMs?: number;
}

// PostgreSQL returns int8 (count(*), sums) as strings by default; our counts fit in a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function openDatabase(url = DEFAULT_DATABASE_URL, options: OpenOptions = {}): DatabaseHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 5_000,
      // The server cancels a statement a second before the client gives up on it (a lock, an
      // overloaded database: the connection stays usable); the client's timeout is for silence.
      ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs, statement_timeout: statementTimeoutMs(options.queryTimeoutMs) } : {}),
      ...(options.pgSchema ? { options: `-c search_path=${quoteIdent(options.pgSchema)}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on('error', (err) => console.error('[db] idle PostgreSQL client error:', err.message));
    // A connection that drops while its client is checked out emits 'error' on that client, which
    // the pool does not listen to then: without a listener the process would crash. The query in
    // flight fails on its own (and its caller answers 503), so here it is only noted.
    pool.on('connect', (client) => {
      client.on('error', (err) => console.error('[db] PostgreSQL connection lost:', err.message));
      if (options.queryTimeoutMs) dropOnQueryTimeout(client);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      schema: options.pgSchema ?? 'public',
      description: redactUrl(url) + (options.pgSchema ? ` (schema ${options.pgSchema})` : ''),
      close: () => db.destroy(),
    };
  }
  if (url.startsWith('file:') || url === ':memory:') {
    const path = url === ':memory:' || url === 'file::memory:' ? ':memory:' : resolve(url.slice('file:'.length));
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros, not left in free space: a compaction deletes the logged
    // edits that may hold text deleted since (a CPR number), and only the purge would otherwise scrub them.
    sqlite.pragma('secure_delete = ON');
    const checkpoints = path === ':memory:' ? null : startCheckpointer(sqlite, path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
    sqliteHandles.set(db, sqlite);
    return {
      db,
      dialect: 'sqlite',
      description: `SQLite ${path}`,
      close: async () => {
        await checkpoints?.stop();
        await db.destroy();
      },
    };
  }
  throw new Error(`DATABASE_URL must start with file: or postgres:// (got "${redactUrl(url)}")`);
}

export const statementTimeoutMs = (queryTimeoutMs: number) => Math.max(500, queryTimeoutMs - 1000);

/**
 * A database that accepts the connection and then never answers would hold every request for ever.
 * node-postgres's query_timeout fails the query ("Query read timeout") but keeps the connection, with
 * the unanswered query still at its head: handed out again, every query on it would wait behind that
 * one. So the connection is ended (node-postgres destroys the socket of a client with a query in
 * flight, and the pool drops an ending client when it is released), and the error gets the code of
 * a timed-out connection, which the API answers with 503 like any other lost connection.
 */
function dropOnQueryTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: typeof query }).query = (...args) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result; // a cursor or a callback: not what Kysely waits on
    return result.catch((err: unknown) => {
      if (err instanceof Error && err.message === 'Query read timeout') {
        Object.assign(err, { code: 'ETIMEDOUT' });
        client.end().catch(() => {});
      }
      throw err;
    });
  };
}

/** The better-sqlite3 connection behind each Kysely instance opened here on SQLite. */
const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * Runs `f` on the better-sqlite3 connection behind `db`, for hot paths that reuse their own prepared
 * statements; null when `db` is not such a connection (PostgreSQL, or a transaction: use `db` itself).
 * SQLite has one connection that Kysely guards with a mutex, and a Kysely transaction holds it across
 * awaits: `f` must never run inside someone else's open transaction (its writes would commit or roll
 * back with it), so while one is open, `f` waits for the connection like any Kysely query. Otherwise
 * it runs at once: it is synchronous, so nothing else runs on the connection meanwhile.
 */
export function onSqliteConnection<T>(db: Kysely<Database>, f: (sqlite: SQLite.Database) => T): Promise<T> | null {
  const sqlite = sqliteHandles.get(db);
  if (!sqlite) return null;
  if (!sqlite.inTransaction) {
    try {
      return Promise.resolve(f(sqlite));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return db.connection().execute(async () => {
    if (sqlite.inTransaction) throw new Error('the SQLite connection is inside a transaction that Kysely does not hold');
    return f(sqlite);
  });
}

/**
 * The connection as Kysely sees it, preparing each distinct SQL text once: Kysely's SQLite driver
 * prepares every query afresh, which costs as much as running a small one. Least recently used
 * statements beyond `max` are dropped; a statement still being iterated is never handed out twice.
 */
function reusingStatements(sqlite: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>();
  // SQLite rolls a transaction back by itself on SQLITE_FULL, SQLITE_IOERR and the like; Kysely's
  // ROLLBACK after it would then fail with "no transaction is active" and hide the real error (a
  // full disk would answer 500 instead of 503). With no transaction open, ROLLBACK does nothing.
  const nothing = sqlite.prepare('select 1 where 0');
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      if (text === 'rollback' && !sqlite.inTransaction) return nothing;
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      cache.set(text, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/**
 * Moves WAL checkpoints off the event loop: with auto-checkpointing, the commit that takes the WAL
 * past 1,000 pages copies it into the database and fsyncs, blocking every client for 100 ms or more.
 * A worker thread checkpoints every few seconds instead; if it fails, auto-checkpointing returns.
 */
function startCheckpointer(sqlite: SQLite.Database, path: string, intervalMs = 2000) {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { path, intervalMs } });
  worker.unref();
  const fallBack = (why: string) => {
    console.error(`[db] WAL checkpoint worker failed (${why}); checkpointing on the main connection again`);
    sqlite.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', (err) => fallBack(String(err)));
  worker.on('message', (m: { type: string; message?: string }) => {
    if (m.type === 'error') fallBack(m.message ?? 'unknown');
  });
  return {
    stop: async () => {
      const stopped = new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.once('message', () => resolve());
      });
      worker.postMessage('stop');
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
      // Leave a small, fully checkpointed database behind on a clean shutdown.
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name ${name}`);
  return name;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
