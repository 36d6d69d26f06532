// Entry point of `npm start`: open and migrate the database, seed the demo if empty, serve on PORT,
// and shut down gracefully on SIGTERM/SIGINT.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/dialect.ts';
import { assertSqliteWritable } from '../db/storage.ts';
import { createSchemaIfMissing, migrateToLatest } from '../db/migrate.ts';
import { isEmpty, seedDemo } from '../db/seed.ts';
import { hashPassword } from './auth/password.ts';
import { configFromEnv } from './config.ts';
import { consoleLogger, defaultIds, type AppContext } from './context.ts';
import { archiveDemoMeetings } from './meetings/demoArchive.ts';
import { smtpMailer } from './notifications/email.ts';
import { createSamspilServer, loadWebHandler, type NodeHandler, type SamspilServer } from './server.ts';

const log = consoleLogger();
// Handlers first, so a signal during start-up also stops cleanly.
let server: SamspilServer | null = null;
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: stopping`);
  const timer = setTimeout(() => {
    log.error('shutdown took more than 10 s; exiting');
    process.exit(1);
  }, 10_000);
  try {
    await server?.close();
    await handle.close();
    clearTimeout(timer);
    log.info('stopped cleanly');
    process.exit(0);
  } catch (err) {
    log.error(`shutdown failed: ${String(err)}`);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// A static file that vanished mid-response (e.g. the web app rebuilt while serving) must not take
// the server down; anything else unexpected stops it cleanly so a supervisor restarts it.
process.on('uncaughtException', (err: NodeJS.ErrnoException) => {
  if (err.code === 'ENOENT' && err.syscall === 'open') {
    log.warn(`a file disappeared while being served: ${err.path ?? err.message}`);
    return;
  }
  log.error(`unexpected error: ${err.stack ?? String(err)}`);
  void shutdown('uncaughtException');
});

// A wrong setting (e.g. a multi-tenant OIDC_ISSUER) stops the start with its message, not a stack trace.
const config = (() => {
  try {
    return configFromEnv();
  } catch (err) {
    log.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
})();
// A read-only data directory or a full disk: say so and stop, rather than serve errors on every write.
try {
  assertSqliteWritable(config.databaseUrl);
} catch (err) {
  log.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const handle = openDatabase(config.databaseUrl, { pgSchema: config.databaseSchema, queryTimeoutMs: config.databaseQueryTimeoutMs });

const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
const ctx: AppContext = { db: handle.db, dialect: handle.dialect, config, now: () => new Date(), newId: defaultIds, log, mailer };

try {
  if (handle.dialect === 'postgres' && config.databaseSchema) await createSchemaIfMissing(handle.db, config.databaseSchema);
  const applied = await migrateToLatest(handle.db, handle.schema);
  if (applied.length) log.info(`migrations applied: ${applied.join(', ')}`);
  if (config.seed && (await isEmpty(handle.db))) {
    const seeded = await seedDemo(handle.db, { now: new Date(), newId: defaultIds, hashPassword });
    const archived = await archiveDemoMeetings(ctx, seeded.networkId);
    log.info(`seeded the demo network: ${seeded.users} users, ${seeded.reports} monthly reports, ${seeded.meetings} meetings (${archived} archived) (password samspil-demo)`);
  }
} catch (err) {
  log.error(`could not prepare the database (${handle.description}): ${err instanceof Error ? err.message : String(err)}`);
  await handle.close().catch(() => {});
  process.exit(1);
}

const handlerPath = fileURLToPath(new URL('../build/handler.js', import.meta.url));
let webHandler: NodeHandler | undefined;
if (existsSync(handlerPath)) {
  webHandler = await loadWebHandler(handlerPath);
} else {
  log.warn('build/handler.js is missing: serving the API only (run `npm run build`)');
}

server = createSamspilServer(ctx, {
  webHandler,
  reminders: { smtpUrl: config.smtpUrl, from: config.mailFrom, publicUrl: config.publicUrl ?? null },
  redisUrl: config.redisUrl,
});
if (config.redisUrl && handle.dialect !== 'postgres') {
  log.warn('REDIS_URL is set but the database is the embedded SQLite file: instances on other machines will not share its data; use DATABASE_URL=postgres://… for several instances');
}
const port = await server.listen(config.port);
log.info(`Samspil is serving http://localhost:${port} (database: ${handle.description}${config.redisUrl ? `; joined other instances through Redis, instance ${server.cluster?.instanceId}` : ''})`);

