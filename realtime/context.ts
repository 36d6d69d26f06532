// What every part of the server is handed: the database, the clock, id generation, configuration.
// Time and ids are injected so tests can make them repeatable.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DialectName } from '../db/dialect.ts';

export interface ServerConfig {
  port: number;
  /** Origins allowed to make state-changing requests and WebSocket upgrades, besides the server's own. */
  allowedOrigins: string[];
  /** Serve cookies with `Secure` (behind HTTPS). */
  secureCookies: boolean;
  sessionTtlHours: number;
  version: string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppContext {
  db: Kysely<Database>;
  dialect: DialectName;
  config: ServerConfig;
  now: () => Date;
  newId: () => string;
  log: Logger;
}

export const consoleLogger = (quiet = false): Logger => ({
  info: (m, f) => {
    if (!quiet) console.log(`[samspil] ${m}`, f ? JSON.stringify(f) : '');
  },
  warn: (m, f) => console.warn(`[samspil] ${m}`, f ? JSON.stringify(f) : ''),
  error: (m, f) => console.error(`[samspil] ${m}`, f ? JSON.stringify(f) : ''),
});

export const defaultIds = () => randomUUID();
