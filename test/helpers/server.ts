// Starts the real server on a free port over a fresh, seeded database, and signs people in.
import type { DialectName } from '../../db/dialect.ts';
import { seedDemo } from '../../db/seed.ts';
import { hashPassword } from '../../realtime/auth/password.ts';
import { smtpMailer } from '../../realtime/notifications/email.ts';
import { consoleLogger, defaultIds, type AppContext } from '../../realtime/context.ts';
import { createSamspilServer, type ServerOptions } from '../../realtime/server.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

export interface TestServer {
  url: string;
  port: number;
  ctx: AppContext;
  database: TestDatabase;
  /** The server's socket.io server, for benchmarks that broadcast on it directly. */
  io: ReturnType<typeof createSamspilServer>['io'];
  networkId: string;
  /** The providers' organisation ids in the order the network lists them (the demo seed's six). */
  providerIds(): Promise<string[]>;
  /** Moves the server's clock forward (sessions expire, etc.). */
  advanceClock(ms: number): void;
  login(email: string, password?: string): Promise<string>;
  /** A session cookie for this user, signed in once per server and reused. */
  as(email: string): Promise<string>;
  /** An API token for this user, created once per server and reused. */
  tokenOf(email: string): Promise<string>;
  api(path: string, init?: RequestInit & { cookie?: string; token?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    dialect?: DialectName;
    seed?: boolean;
    /** Reuse a database (a restart): it is neither seeded nor dropped by this server. */
    database?: TestDatabase;
    /** New connections per address and minute; 0 (no limit) unless a test of the limit says otherwise. */
    connectionsPerAddressPerMinute?: number;
    /** Send invitations and resets to this SMTP server (a real one, started by the test). */
    smtpUrl?: string;
  } & Omit<ServerOptions, 'webHandler'> = {},
): Promise<TestServer> {
  const ownsDatabase = !options.database;
  const database = options.database ?? (await freshDatabase(options.dialect ?? 'sqlite'));
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const seeded = !ownsDatabase || options.seed === false ? null : await seedDemo(database.db, { now: now(), newId: defaultIds, hashPassword });
  const ctx: AppContext = {
    db: database.db,
    dialect: database.dialect,
    config: { port: 0, allowedOrigins: [], secureCookies: false, sessionTtlHours: 12, version: 'test', connectionsPerAddressPerMinute: options.connectionsPerAddressPerMinute ?? 0 },
    now,
    newId: defaultIds,
    log: consoleLogger(true),
    mailer: options.smtpUrl ? smtpMailer(options.smtpUrl) : null,
  };
  // API and realtime only: pages are tested against a real `npm start` process (helpers/process.ts),
  // because vitest's module resolution would load the built SvelteKit server with browser conditions.
  const server = createSamspilServer(ctx, options);
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(url + path, { ...init, headers, redirect: 'manual' });
  };

  const cookies = new Map<string, Promise<string>>();
  const tokens = new Map<string, Promise<string>>();
  const login = async (email: string, password = 'samspil-demo') => {
    const res = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  };

  return {
    url,
    port,
    ctx,
    database,
    io: server.io,
    networkId: seeded?.networkId ?? (await database.db.selectFrom('networks').select('id').executeTakeFirst())?.id ?? '',
    providerIds: async () => (await database.db.selectFrom('network_providers').select('organisation_id').orderBy('position').execute()).map((r) => r.organisation_id),
    advanceClock: (ms) => (offset += ms),
    api,
    login,
    as(email) {
      if (!cookies.has(email)) cookies.set(email, login(email));
      return cookies.get(email)!;
    },
    tokenOf(email) {
      if (!tokens.has(email)) {
        const created = login(email).then(async (cookie) => (await (await api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token as string);
        tokens.set(email, created);
      }
      return tokens.get(email)!;
    },
    async close() {
      await server.close();
      ctx.mailer?.close();
      if (ownsDatabase) await database.drop();
    },
  };
}
