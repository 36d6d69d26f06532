// Single sign-on with OpenID Connect: the authorization code flow with PKCE, state and nonce through
// openid-client (certified), and who of the people the identity provider vouches for may come in.
import { createHmac, createPrivateKey, timingSafeEqual, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import * as client from 'openid-client';
import type { Database } from '../../db/database.ts';
import type { InvitationRow } from '../../db/tables/users.table.ts';
import { findIdentity, identitiesOfUser, insertIdentity, pendingInvitationsTo, clearPassword, touchIdentity } from '../../db/queries/userIdentities.ts';
import { claimInvitation } from '../../db/queries/invitations.ts';
import { countActiveMemberships } from '../../db/queries/members.ts';
import { findUserByEmail, findUserById, insertUser, membershipsOf, setLastSignIn } from '../../db/queries/users.ts';
import { containsCpr } from '../../domain/cpr.ts';
import type { AppContext } from '../context.ts';
import { joinByInvitation } from '../members/invitations.ts';
import { assertProviderTakesMembers } from '../members/memberships.ts';
import { isLoopbackHost, type OidcSettings } from './oidcConfig.ts';

/** Why a single sign-on ended without a session; each has its own page (oidcPages.ts). */
export type OidcRefusal =
  | 'unavailable' // the identity provider could not be reached: nothing was done
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

/** An e-mail we may match an account or invitation by: verified by the provider, or in a domain it owns. */
export function trustworthyEmail(settings: OidcSettings, person: VerifiedPerson): string | null {
  if (!person.email || !person.email.includes('@')) return null;
  if (person.emailVerified) return person.email;
  const domain = person.email.slice(person.email.lastIndexOf('@') + 1);
  return settings.trustedEmailDomains.includes(domain) ? person.email : null;
}

/**
 * Which account the verified person is, linking it on the first sign-in; throws OidcError when they
 * may not come in. Never creates an account for someone without a pending invitation.
 */
export async function admit(ctx: AppContext, settings: OidcSettings, person: VerifiedPerson): Promise<{ userId: string; linked: boolean }> {
  const at = ctx.now().toISOString();
  const link = await findIdentity(ctx.db, person.issuer, person.subject);
  if (link) {
    // Linked: this account, whatever the e-mail says now.
    const user = await findUserById(ctx.db, link.user_id);
    if (!user || user.disabled_at) throw new OidcError('not_invited', 'the linked account is closed');
    // A new invitation to an existing account is accepted on its page, signed in.
    if (!(await mayStillComeIn(ctx, user.id)) && (await usableInvitations(ctx, user.id, user.email)).length === 0) {
      throw new OidcError('not_invited', 'every membership is deactivated');
    }
    await touchIdentity(ctx.db, link.id, at);
    await setLastSignIn(ctx.db, user.id, at);
    return { userId: user.id, linked: false };
  }

  const email = trustworthyEmail(settings, person);
  if (!email) throw new OidcError('email_unverified', `e-mail ${person.email ?? '(none)'} is not verified`);
  const account = await findUserByEmail(ctx.db, email);
  const invitations = await usableInvitations(ctx, account?.id ?? null, email);
  if (account) {
    if (account.disabled_at) throw new OidcError('not_invited', 'the account is closed');
    if ((await identitiesOfUser(ctx.db, account.id)).some((i) => i.issuer === person.issuer)) {
      throw new OidcError('linked_to_other', 'the account is linked to another subject of this issuer');
    }
    if (invitations.length === 0 && !(await mayStillComeIn(ctx, account.id))) throw new OidcError('not_invited', 'every membership is deactivated');
  } else if (invitations.length === 0) {
    throw new OidcError('not_invited', 'no account and no pending invitation');
  }

  const userId = account?.id ?? ctx.newId();
  const name = person.name && !containsCpr(person.name) ? person.name.slice(0, 200) : email;
  // Account, link and memberships together: a failure, or a race lost for every invitation, leaves nothing.
  await ctx.db.transaction().execute(async (trx) => {
    if (!account) {
      // Created only now, from an invitation: it signs in through the identity provider, no password.
      await insertUser(trx, { id: userId, email, name, password_hash: '', locale: 'da', created_at: at, disabled_at: null, last_sign_in_at: at });
    }
    await insertIdentity(trx, { id: ctx.newId(), user_id: userId, issuer: person.issuer, subject: person.subject, linked_at: at, last_sign_in_at: at });
    if (account && ctx.config.passwordSignIn !== 'on') await clearPassword(trx, userId);
    // A new account comes with its invitations accepted; an existing one accepts them on the invitation page.
    if (!account && (await joinAll(ctx, trx, invitations, userId, true, at)) === 0) throw new OidcError('not_invited', 'every invitation was used meanwhile');
  });
  await setLastSignIn(ctx.db, userId, at);
  ctx.log.info('single sign-on: account linked', { userId, issuer: person.issuer, created: !account });
  return { userId, linked: true };
}

/** Deactivated everywhere is refused like a stranger; an account that never had a membership (a new host) is not. */
async function mayStillComeIn(ctx: AppContext, userId: string): Promise<boolean> {
  if ((await countActiveMemberships(ctx.db, userId)) > 0) return true;
  return (await membershipsOf(ctx.db, userId)).length === 0;
}

/** The person's pending invitations that can still be accepted now (the provider still takes members). */
async function usableInvitations(ctx: AppContext, userId: string | null, email: string): Promise<InvitationRow[]> {
  const active = new Set(userId ? (await membershipsOf(ctx.db, userId)).filter((m) => !m.disabled_at).map((m) => m.network_id) : []);
  const usable: InvitationRow[] = [];
  for (const inv of await pendingInvitationsTo(ctx.db, email, ctx.now().toISOString())) {
    if (active.has(inv.network_id)) continue;
    if (inv.role === 'provider') {
      try {
        await assertProviderTakesMembers(ctx, inv.network_id, inv.organisation_id!);
      } catch {
        continue;
      }
    }
    usable.push(inv);
  }
  return usable;
}

/** Signing in through the provider creates an invited person's account with its invitations accepted. */
async function joinAll(ctx: AppContext, trx: Kysely<Database>, invitations: InvitationRow[], userId: string, accountCreated: boolean, at: string): Promise<number> {
  let joined = 0;
  for (const inv of invitations) {
    if (!(await claimInvitation(trx, inv.id, at))) continue;
    await joinByInvitation(ctx, trx, inv, userId, accountCreated && joined === 0, at);
    joined++;
  }
  return joined;
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

/** PASSWORD_SIGN_IN: off, nobody has a password; linked-off, an account linked to single sign-on has none. */
export async function mayUsePassword(ctx: AppContext, userId: string): Promise<boolean> {
  const mode = ctx.config.passwordSignIn ?? 'on';
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return (await identitiesOfUser(ctx.db, userId)).length === 0;
}
