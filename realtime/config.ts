// Reads the server's configuration from the environment, with the defaults README documents.
import { readFileSync } from 'node:fs';
import { DEFAULT_DATABASE_URL } from '../db/dialect.ts';
import type { ServerConfig } from './context.ts';
import { oidcSettingsFromEnv, passwordSignInFromEnv } from './auth/oidcConfig.ts';
import { accessibilityFromEnv } from './accessibility/accessibilityFacts.ts';

export interface EnvConfig extends ServerConfig {
  databaseUrl: string;
  /** PostgreSQL schema to use instead of `public` (DATABASE_SCHEMA), e.g. one per deployment or test run. */
  databaseSchema: string | undefined;
  /** PostgreSQL: how long a query may go unanswered before the request fails with 503 (DATABASE_QUERY_TIMEOUT_MS); 0: no limit. */
  databaseQueryTimeoutMs: number;
  redisUrl: string | null;
  seed: boolean;
  /** SMTP server for e-mail reminders (smtp://host:port); none: in-app notifications only. */
  smtpUrl: string | null;
  mailFrom: string | undefined;
}

const version = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** A hung database answers 503 after seconds, not never; a slow query under load still has room. */
export const DEFAULT_DATABASE_QUERY_TIMEOUT_MS = 10_000;

/** A flood, not a crowd: a jobcenter behind one NAT address may need more (README, "Limits"). */
export const DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE = 60;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, 0 or more (got "${raw}")`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}")`);
  return {
    port,
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    databaseSchema: env.DATABASE_SCHEMA?.trim() || undefined,
    databaseQueryTimeoutMs: wholeNumber(env, 'DATABASE_QUERY_TIMEOUT_MS', DEFAULT_DATABASE_QUERY_TIMEOUT_MS),
    redisUrl: env.REDIS_URL?.trim() || null,
    seed: (env.SEED ?? 'true').toLowerCase() !== 'false',
    smtpUrl: env.SMTP_URL?.trim() || null,
    publicUrl: env.ORIGIN?.trim() || null,
    mailFrom: env.SMTP_FROM?.trim() || undefined,
    allowedOrigins: (env.ALLOWED_ORIGINS ?? env.ORIGIN ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    secureCookies: (env.ORIGIN ?? '').startsWith('https://') || env.SECURE_COOKIES === 'true',
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    trustedProxies: (env.TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    connectionsPerAddressPerMinute: wholeNumber(env, 'CONNECTIONS_PER_ADDRESS_PER_MINUTE', DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE),
    version,
    oidc: oidcSettingsFromEnv(env, Boolean(env.REDIS_URL?.trim())),
    passwordSignIn: passwordSignInFromEnv(env),
    accessibility: accessibilityFromEnv(env),
  };
}

export { version as appVersion };
