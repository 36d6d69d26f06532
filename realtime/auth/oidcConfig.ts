// Single sign-on settings (OIDC_*, PASSWORD_SIGN_IN) read from the environment and checked at start:
// a wrong issuer stops the server with a message rather than failing at someone's first sign-in.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** on: passwords for everyone; linked-off: an account linked to single sign-on has none; off: no passwords at all. */
export type PasswordSignIn = 'on' | 'linked-off' | 'off';

export interface OidcSettings {
  /** The issuer identifier, exactly as the provider's discovery document names it. */
  issuer: string;
  clientId: string;
  /** client_secret_basic; absent with a private key (private_key_jwt). */
  clientSecret: string | null;
  /** PEM file of a PKCS#8 private key for private_key_jwt (OIDC_PRIVATE_KEY_FILE). */
  privateKeyFile: string | null;
  /** Shown on the button: "Log ind med <displayName>". */
  displayName: string;
  scopes: string;
  /** Domains whose e-mail addresses are believed without `email_verified` (lower case). */
  trustedEmailDomains: string[];
  /** Signs the short-lived login cookie; several instances must share it (OIDC_COOKIE_SECRET). */
  cookieSecret: string;
}

/** Entra ID's multi-tenant endpoints: anyone from any tenant could sign in through them. */
const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations', 'consumers']);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Why this issuer is refused, or null. */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `OIDC_ISSUER must be a URL (got "${issuer}")`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return `OIDC_ISSUER must use https: (http: only on a loopback address, for development): "${issuer}"`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `OIDC_ISSUER must use https: (got "${issuer}")`;
  if (url.search || url.hash) return `OIDC_ISSUER must not carry a query or fragment: "${issuer}"`;
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s).toLowerCase());
  if (/\{tenant(id)?\}/i.test(decodeURIComponent(url.pathname)) || (segments.length > 0 && MULTI_TENANT_SEGMENTS.has(segments[0]))) {
    return `OIDC_ISSUER is a multi-tenant endpoint ("${issuer}"): anyone from any organisation could sign in. Use your own tenant's issuer, e.g. https://login.microsoftonline.com/<tenant id>/v2.0`;
  }
  return null;
}

export function passwordSignInFromEnv(env: NodeJS.ProcessEnv): PasswordSignIn {
  const raw = (env.PASSWORD_SIGN_IN ?? 'on').trim().toLowerCase() || 'on';
  if (raw !== 'on' && raw !== 'linked-off' && raw !== 'off') throw new Error(`PASSWORD_SIGN_IN must be on, linked-off or off (got "${env.PASSWORD_SIGN_IN}")`);
  return raw;
}

/** The settings, or null when OIDC_ISSUER is not set; throws with a message naming the variable at fault. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv, severalInstances: boolean): OidcSettings | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) {
    if (passwordSignInFromEnv(env) !== 'on') throw new Error('PASSWORD_SIGN_IN other than "on" needs single sign-on (OIDC_ISSUER)');
    return null;
  }
  const problem = issuerProblem(issuer);
  if (problem) throw new Error(problem);
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new Error('OIDC_CLIENT_ID is required with OIDC_ISSUER');
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim() || null;
  const privateKeyFile = env.OIDC_PRIVATE_KEY_FILE?.trim() || null;
  if (!clientSecret && !privateKeyFile) throw new Error('OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE is required with OIDC_ISSUER');
  if (clientSecret && privateKeyFile) throw new Error('set OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE, not both');
  let cookieSecret = env.OIDC_COOKIE_SECRET?.trim() ?? '';
  if (cookieSecret && cookieSecret.length < 32) throw new Error('OIDC_COOKIE_SECRET must be at least 32 characters');
  if (!cookieSecret) {
    // The login may start on one instance and come back to another: they must share the secret.
    if (severalInstances) throw new Error('OIDC_COOKIE_SECRET is required when several instances run (REDIS_URL is set)');
    cookieSecret = randomBytes(32).toString('base64url');
  }
  const scopes = env.OIDC_SCOPES?.trim() || 'openid email profile';
  if (!scopes.split(/\s+/).includes('openid')) throw new Error(`OIDC_SCOPES must include openid (got "${scopes}")`);
  return {
    issuer,
    clientId,
    clientSecret,
    privateKeyFile,
    displayName: env.OIDC_DISPLAY_NAME?.trim() || new URL(issuer).hostname,
    scopes,
    trustedEmailDomains: (env.OIDC_TRUSTED_EMAIL_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
    cookieSecret,
  };
}
