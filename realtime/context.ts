// What every part of the server is handed: the database, the clock, id generation, configuration.
// Time and ids are injected so tests can make them repeatable.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DialectName } from '../db/dialect.ts';
import type { Mailer } from './notifications/email.ts';
import type { OidcSettings, PasswordSignIn } from './auth/oidcConfig.ts';
import type { AccessibilityFacts } from './wire/accessibility.ts';

export interface ServerConfig {
  port: number;
  /** Origins allowed to make state-changing requests and WebSocket upgrades, besides the server's own. */
  allowedOrigins: string[];
  /** Serve cookies with `Secure` (behind HTTPS). */
  secureCookies: boolean;
  sessionTtlHours: number;
  version: string;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES); none: the TCP peer is the client. */
  trustedProxies?: string[];
  /** New Yjs and socket.io connections one address may open per minute, each (0: no limit). */
  connectionsPerAddressPerMinute?: number;
  /** The address people reach Samspil at (ORIGIN), for links in e-mails; absent: the request's own. */
  publicUrl?: string | null;
  /** Single sign-on with OpenID Connect (OIDC_*); absent or null: passwords only. */
  oidc?: OidcSettings | null;
  /** Who may sign in with a password (PASSWORD_SIGN_IN); absent: on. */
  passwordSignIn?: PasswordSignIn;
  /** The accessibility statement's authority, contact and assessment date (ACCESSIBILITY_*); absent: the demo's. */
  accessibility?: AccessibilityFacts;
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
  /** Sends invitations and password resets (SMTP_URL); null or absent: no e-mail, links are handed out instead. */
  mailer?: Mailer | null;
}

/** Removes secrets from a log line: `?token=…`, API tokens, bearer credentials, session cookies. */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&]token=)[^&\s"']+/gi, '$1[redacted]')
    .replace(/\bsp_[A-Za-z0-9_-]{8,}/g, 'sp_[redacted]')
    .replace(/(bearer\s+)[^\s"']+/gi, '$1[redacted]')
    .replace(/(samspil_session=)[^;\s"']+/gi, '$1[redacted]')
    // Invitation and password-reset links carry their token in the path.
    .replace(/(\/(?:api\/)?(?:invitations|password-reset)\/)[A-Za-z0-9_-]{16,}/g, '$1[redacted]');
}

const line = (m: string, f?: Record<string, unknown>) => redactSecrets(`[samspil] ${m}${f ? ' ' + JSON.stringify(f) : ''}`);

export const consoleLogger = (quiet = false): Logger => ({
  info: (m, f) => {
    if (!quiet) console.log(line(m, f));
  },
  warn: (m, f) => console.warn(line(m, f)),
  error: (m, f) => console.error(line(m, f)),
});

export const defaultIds = () => randomUUID();
