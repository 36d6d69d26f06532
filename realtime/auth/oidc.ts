// Single sign-on with OpenID Connect: the authorization code flow with PKCE, state and nonce through
// openid-client (certified), the signed login cookie, and the provider's logout. Who may come in:
// oidcAdmission.ts.
import { createHmac, createPrivateKey, timingSafeEqual, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { identitiesOfUser } from '../../db/queries/userIdentities.ts';
import type { AppContext } from '../context.ts';
import { isLoopbackHost, type OidcSettings } from './oidcConfig.ts';

/** Why a single sign-on ended without a session; each has its own page (oidcPages.ts). */
export type OidcRefusal =
  | 'unavailable' // the identity provider could not be reached: nothing was done
  | 'samspil_unavailable' // our side failed (the database): nothing was done, try again
  | 'state_expired' // no, a forged or an expired login cookie: the login took too long, or was not started here
  | 'failed' // the answer did not verify (state, nonce, signature, audience, issuer, code)
  | 'provider_refused' // the identity provider said no (error=access_denied, …)
  | 'email_unverified' // not linked, and the e-mail is not one we may believe
  | 'not_invited' // a stranger, a closed account, or every membership deactivated
  | 'linked_to_other'; // the account with this e-mail is linked to another person at the provider

export class OidcError extends Error {
  constructor(
    readonly refusal: OidcRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

export const LOGIN_COOKIE = 'samspil_oidc';
export const LOGIN_COOKIE_PATH = '/auth/oidc';
/** How long a login may take between leaving Samspil and coming back. */
export const LOGIN_TTL_MS = 10 * 60_000;
export const CALLBACK_PATH = '/auth/oidc/callback';

/** What the login cookie carries: enough to check the answer, on whichever instance it lands. */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expiresAt: number;
}

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

export function sealLogin(secret: string, login: PendingLogin): string {
  const data = Buffer.from(JSON.stringify(login)).toString('base64url');
  return `${data}.${mac(secret, data)}`;
}

/** The pending login, or null when the cookie is missing, tampered with or expired. */
export function openLogin(secret: string, value: string | undefined, now: Date): PendingLogin | null {
  if (!value) return null;
  const [data, signature] = value.split('.');
  if (!data || !signature) return null;
  const expected = Buffer.from(mac(secret, data));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const login = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as PendingLogin;
    return typeof login.expiresAt === 'number' && login.expiresAt > now.getTime() ? login : null;
  } catch {
    return null;
  }
}

/** `candidate` if it is a path on this site ("/networks/x?y=1"), else "/": never off-site. */
export function safeReturnPath(candidate: string | null | undefined, fallback = '/'): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return fallback;
  try {
    const base = 'http://samspil.invalid';
    const url = new URL(candidate, base);
    return url.origin === base ? url.pathname + url.search + url.hash : fallback;
  } catch {
    return fallback;
  }
}

/** What we take from a verified ID token. */
export interface VerifiedPerson {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  idToken: string;
}

function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const name = (e as Error).name;
    const code = (e as { code?: string }).code ?? '';
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'].includes(code)) return true;
    if (e instanceof TypeError && /fetch failed/i.test(e.message)) return true;
    if (e === (e as { cause?: unknown }).cause) break;
  }
  return false;
}

async function clientAuthentication(settings: OidcSettings): Promise<client.ClientAuth> {
  if (settings.clientSecret) return client.ClientSecretBasic(settings.clientSecret);
  const pem = readFileSync(settings.privateKeyFile!, 'utf8');
  const keyObject = createPrivateKey(pem);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  const algorithm = keyObject.asymmetricKeyType === 'ec' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  return client.PrivateKeyJwt(key as client.CryptoKey);
}

/** One per server: discovers the provider on first use (and again after a failure), then keeps it. */
export class OidcService {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly ctx: AppContext,
    readonly settings: OidcSettings,
  ) {}

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.settings.issuer);
      const insecure = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
      this.configuration = clientAuthentication(this.settings)
        .then((auth) =>
          // Non-repudiation: the ID token's signature is checked against the provider's keys even though
          // it came straight from the token endpoint (openid-client would otherwise rely on TLS alone).
          client.discovery(issuer, this.settings.clientId, undefined, auth, {
            execute: insecure ? [client.allowInsecureRequests, client.enableNonRepudiationChecks] : [client.enableNonRepudiationChecks],
            timeout: 10,
          }),
        )
        .catch((err: unknown) => {
          this.configuration = null;
          this.ctx.log.warn('single sign-on: the identity provider could not be discovered', { issuer: this.settings.issuer, error: String(err) });
          throw new OidcError('unavailable', String(err));
        });
    }
    return this.configuration;
  }

  /** The provider's address to send the browser to, and the cookie that lets the callback check the answer. */
  async startLogin(redirectUri: string, next: string | null): Promise<{ url: string; cookieValue: string }> {
    const config = await this.discover();
    const login: PendingLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next: safeReturnPath(next),
      expiresAt: this.ctx.now().getTime() + LOGIN_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      state: login.state,
      nonce: login.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, cookieValue: sealLogin(this.settings.cookieSecret, login) };
  }

  /**
   * Checks the provider's answer against the login cookie and redeems the code: state, nonce, PKCE,
   * the ID token's signature, issuer, audience and expiry are all checked by openid-client.
   */
  async finishLogin(callbackUrl: URL, cookieValue: string | undefined): Promise<{ person: VerifiedPerson; next: string }> {
    const error = callbackUrl.searchParams.get('error');
    if (error) throw new OidcError('provider_refused', `${error}: ${callbackUrl.searchParams.get('error_description') ?? ''}`);
    const login = openLogin(this.settings.cookieSecret, cookieValue, this.ctx.now());
    if (!login) throw new OidcError('state_expired', 'no valid login cookie');
    const config = await this.discover();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        expectedState: login.state,
        expectedNonce: login.nonce,
        pkceCodeVerifier: login.verifier,
        idTokenExpected: true,
      });
    } catch (err) {
      if (isUnreachable(err)) throw new OidcError('unavailable', String(err));
      throw new OidcError('failed', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    }
    const idClaims = tokens.claims();
    if (!idClaims || !tokens.id_token) throw new OidcError('failed', 'no ID token');
    let claims: Record<string, unknown> & { iss: string; sub: string } = idClaims;
    // Some providers put e-mail and name only in the UserInfo answer; its `sub` must be the ID token's.
    if (typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, iss: idClaims.iss, sub: idClaims.sub };
      } catch (err) {
        if (isUnreachable(err)) throw new OidcError('unavailable', String(err));
        throw new OidcError('failed', `userinfo: ${String(err)}`);
      }
    }
    const name = typeof claims.name === 'string' ? claims.name : [claims.given_name, claims.family_name].filter((p) => typeof p === 'string').join(' ');
    return {
      next: login.next,
      person: {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null,
        emailVerified: claims.email_verified === true,
        name: name.trim() || null,
        idToken: tokens.id_token,
      },
    };
  }

  /** Where to send the browser after signing out of Samspil, or null when the provider has no logout. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.discover();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { client_id: this.settings.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }
}

const services = new WeakMap<AppContext, OidcService>();

/** The server's single sign-on, or null when it is not configured. */
export function oidcOf(ctx: AppContext): OidcService | null {
  const settings = ctx.config.oidc;
  if (!settings) return null;
  let service = services.get(ctx);
  if (!service) services.set(ctx, (service = new OidcService(ctx, settings)));
  return service;
}

/** Names the identity provider's logout on POST /api/auth/logout, for the web to send the browser on to. */
export const END_SESSION_HEADER = 'X-Samspil-End-Session';

/** For a person linked to single sign-on: the provider's logout, coming back to our sign-in page; else null. */
export async function providerLogoutOf(ctx: AppContext, userId: string, requestUrl: string): Promise<string | null> {
  const oidc = oidcOf(ctx);
  if (!oidc || !(await identitiesOfUser(ctx.db, userId)).length) return null;
  const origin = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : new URL(requestUrl).origin;
  return oidc.endSessionUrl(origin + '/login');
}
