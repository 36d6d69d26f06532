// Who is asking: resolves a session cookie or an API token to an Actor, and issues both.
// Used by the HTTP API, socket.io and the Yjs upgrade alike, so all three agree.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../domain/access.ts';
import type { UserRow } from '../../db/tables/users.table.ts';
import { findLiveApiToken, findLiveSession, insertApiToken, insertSession, revokeSession, touchApiToken, touchSession } from '../../db/queries/sessions.ts';
import { activeMembershipsOf, findUserById } from '../../db/queries/users.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE } from '../wire/session.ts';
import { sessionCookieOf } from '../transport/cookies.ts';

export interface Identity {
  actor: Actor;
  user: UserRow;
  via: 'session' | 'token';
  /** Hash of the session id or the token id: what a revocation closes. */
  credentialId: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const secret = (prefix: string) => prefix + randomBytes(32).toString('base64url');

export function bearerToken(header: string | undefined | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1] : null;
}

async function identityOf(ctx: AppContext, userId: string, via: Identity['via'], credentialId: string): Promise<Identity | null> {
  const user = await findUserById(ctx.db, userId);
  if (!user || user.disabled_at) return null;
  return { user, via, credentialId, actor: await actorOf(ctx, user.id) };
}

/** What the user may do now: deactivated memberships give nothing; a provider past its last month has left. */
export async function actorOf(ctx: AppContext, userId: string): Promise<Actor> {
  const thisMonth = copenhagenMonth(ctx.now());
  const memberships = await activeMembershipsOf(ctx.db, userId);
  return {
    userId,
    memberships: memberships.map((m) => ({
      networkId: m.network_id,
      role: m.role,
      organisationId: m.organisation_id,
      providerAdmin: m.role === 'provider' && Number(m.provider_admin) === 1,
      providerLeft: m.role === 'provider' && m.provider_last_month !== null && m.provider_last_month < thisMonth,
      providerLastMonth: m.role === 'provider' ? m.provider_last_month : null,
    })),
  };
}

const sessionTtlMs = (ctx: AppContext) => ctx.config.sessionTtlHours * 3600_000;
/** However active, a session ends this long after sign-in; the cookie lives exactly as long. */
export const SESSION_MAX_AGE_MS = 30 * 86400_000;

export async function identityFromSessionCookie(ctx: AppContext, cookieValue: string): Promise<Identity | null> {
  const idHash = sha256(cookieValue);
  const now = ctx.now();
  const session = await findLiveSession(ctx.db, idHash, now.toISOString());
  if (!session || now.getTime() - Date.parse(session.created_at) > SESSION_MAX_AGE_MS) return null;
  // Sliding expiry, written at most once a minute so reads stay reads.
  if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
    await touchSession(ctx.db, idHash, now.toISOString(), new Date(now.getTime() + sessionTtlMs(ctx)).toISOString());
  }
  return identityOf(ctx, session.user_id, 'session', idHash);
}

export async function identityFromToken(ctx: AppContext, token: string): Promise<Identity | null> {
  const now = ctx.now().toISOString();
  const row = await findLiveApiToken(ctx.db, sha256(token), now);
  if (!row) return null;
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) await touchApiToken(ctx.db, row.id, now);
  return identityOf(ctx, row.user_id, 'token', row.id);
}

/** Resolves whatever credential a request carries: bearer header, then `?token=`, then the session cookie. */
export async function identify(
  ctx: AppContext,
  source: { cookieHeader?: string | null; authorizationHeader?: string | null; queryToken?: string | null },
): Promise<Identity | null> {
  const token = bearerToken(source.authorizationHeader) ?? source.queryToken ?? null;
  if (token) return identityFromToken(ctx, token);
  const cookie = sessionCookieOf(source.cookieHeader);
  return cookie ? identityFromSessionCookie(ctx, cookie) : null;
}

/** Starts a session; `cookieExpiresAt` is the absolute end (the idle expiry is enforced on the server). */
export async function startSession(ctx: AppContext, userId: string, userAgent?: string | null): Promise<{ cookieValue: string; cookieExpiresAt: Date }> {
  const cookieValue = secret('');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + sessionTtlMs(ctx));
  await insertSession(ctx.db, {
    id: sha256(cookieValue),
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    last_seen_at: now.toISOString(),
    revoked_at: null,
    user_agent: userAgent?.slice(0, 300) || null,
  });
  return { cookieValue, cookieExpiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS) };
}

export async function endSession(ctx: AppContext, cookieValue: string): Promise<string> {
  const idHash = sha256(cookieValue);
  await revokeSession(ctx.db, idHash, ctx.now().toISOString());
  return idHash;
}

export async function issueApiToken(
  ctx: AppContext,
  userId: string,
  name: string,
  expiresInDays?: number,
): Promise<{ id: string; token: string; createdAt: string; expiresAt: string | null }> {
  const token = secret('sp_');
  const now = ctx.now();
  const row = {
    id: ctx.newId(),
    user_id: userId,
    name,
    token_hash: sha256(token),
    created_at: now.toISOString(),
    last_used_at: null,
    expires_at: expiresInDays ? new Date(now.getTime() + expiresInDays * 86400_000).toISOString() : null,
    revoked_at: null,
  };
  await insertApiToken(ctx.db, row);
  return { id: row.id, token, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function sessionCookie(ctx: AppContext, value: string, expiresAt: Date | null): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (ctx.config.secureCookies) parts.push('Secure');
  parts.push(expiresAt ? `Expires=${expiresAt.toUTCString()}` : 'Max-Age=0');
  return parts.join('; ');
}
