// /api/auth: sign in and out with email + password, and API tokens for scripts.
import { z } from '@hono/zod-openapi';
import { findUserByEmail, setLastSignIn } from '../../db/queries/users.ts';
import { listApiTokens, revokeApiToken, revokeOtherSessions, setPasswordHash } from '../../db/queries/sessions.ts';
import { assertAcceptablePassword, dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { endSession, issueApiToken, sessionCookie, startSession } from './identity.ts';
import { SignInThrottle } from './throttle.ts';
import { sessionCookieOf } from '../transport/cookies.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ChangePasswordRequest, CreatedToken, CreateTokenRequest, LoginRequest, MeResponse, TokenInfo } from '../wire/auth.ts';
import { addressOf, jsonBody, jsonContent, newRouter, openRoute, refusals, requireIdentity, signedInRoute } from '../http/router.ts';
import { meOf } from './meRoutes.ts';
import { END_SESSION_HEADER, providerLogoutOf } from './oidc.ts';
import { mayUsePassword } from './oidcAdmission.ts';
import type { LiveHooks } from '../http/hooks.ts';

/** What every route for a signed-in caller may answer. */
const signedIn = refusals({ 401: 'Not signed in' });

const login = openRoute('post', '/login', 'Sign in with email and password; sets the session cookie', {
  request: { body: jsonBody(LoginRequest) },
  responses: {
    200: jsonContent(MeResponse, 'Signed in; the `samspil_session` cookie is set'),
    ...refusals({
      401: 'Wrong email or password (the message does not say which)',
      403: 'Password sign-in is off (PASSWORD_SIGN_IN=off): sign in through single sign-on',
      422: 'The body is not valid',
      429: 'Too many failed attempts; try again later',
    }),
  },
});

const logout = openRoute('post', '/logout', 'Sign out: ends the session and clears the cookie', {
  responses: {
    204: {
      description: 'Signed out (also when there was no session)',
      headers: { [END_SESSION_HEADER]: { description: "Single sign-on: the identity provider's logout to send the browser to next", schema: { type: 'string' as const } } },
    },
  },
});

const logoutEverywhere = signedInRoute('post', '/logout-everywhere', 'Sign out everywhere: ends every session of yours (this one too) and closes their live connections; API tokens stay until revoked', {
  responses: { 204: { description: 'Every session ended; the cookie is cleared' }, ...signedIn },
});

const createToken = signedInRoute('post', '/tokens', 'Create an API token carrying your own rights', {
  request: { body: jsonBody(CreateTokenRequest, false) },
  responses: { 201: jsonContent(CreatedToken, 'The token; its secret is shown only now'), ...signedIn },
});

const listTokens = signedInRoute('get', '/tokens', 'List your API tokens (without their secrets)', {
  responses: { 200: jsonContent(z.object({ tokens: z.array(TokenInfo) }), 'Your tokens, newest first'), ...signedIn },
});

const revokeToken = signedInRoute('delete', '/tokens/{tokenId}', 'Revoke one of your API tokens', {
  request: { params: z.object({ tokenId: z.string().min(1).max(100) }) },
  responses: { 204: { description: 'Revoked' }, ...refusals({ 401: 'Not signed in', 404: 'No such live token of yours' }) },
});

const changePassword = signedInRoute('post', '/password', 'Change your password; every other session of yours is signed out', {
  request: { body: jsonBody(ChangePasswordRequest) },
  responses: {
    204: { description: 'Changed' },
    ...refusals({ 401: 'Not signed in', 403: 'The current password is wrong', 422: 'The body is not valid' }),
  },
});

const GENERIC_LOGIN_ERROR = 'Wrong email or password.';

export function authRoutes(ctx: AppContext, live: LiveHooks) {
  const throttle = new SignInThrottle(ctx.db, ctx.now);

  return newRouter()
    .openapi(login, async (c) => {
      const { email, password } = c.req.valid('json');
      if (ctx.config.passwordSignIn === 'off') {
        throw new AppError('forbidden', `Passwords are not used here: sign in with ${ctx.config.oidc?.displayName ?? 'single sign-on'}.`);
      }
      const accountKey = email.toLowerCase();
      const addressKey = addressOf(ctx, c);
      const wait = await throttle.retryAfterMs(accountKey, addressKey);
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        throw new AppError('rate_limited', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60_000)} minutes.`);
      }
      const user = await findUserByEmail(ctx.db, email);
      // Always run one scrypt so an unknown email costs as much time as a wrong password.
      const valid = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
      // PASSWORD_SIGN_IN=linked-off: also an account linked while passwords were on signs in only through single sign-on.
      if (!user || !valid || user.disabled_at || !(await mayUsePassword(ctx, user.id))) {
        await throttle.failed(accountKey, addressKey);
        throw new AppError('unauthenticated', GENERIC_LOGIN_ERROR);
      }
      await throttle.succeeded(accountKey);
      await setLastSignIn(ctx.db, user.id, ctx.now().toISOString());
      // A fresh session id on every sign-in (no fixation); an existing one in the request is ended.
      const previous = sessionCookieOf(c.req.header('cookie'));
      if (previous) live.credentialRevoked(await endSession(ctx, previous));
      const { cookieValue, cookieExpiresAt } = await startSession(ctx, user.id, c.req.header('user-agent'));
      c.header('Set-Cookie', sessionCookie(ctx, cookieValue, cookieExpiresAt));
      const me = await meOf(ctx, user.id, 'session');
      return c.json(me, 200);
    })
    .openapi(changePassword, async (c) => {
      const identity = requireIdentity(c);
      const { currentPassword, newPassword } = c.req.valid('json');
      assertAcceptablePassword(newPassword, 'newPassword');
      if (!(await verifyPassword(currentPassword, identity.user.password_hash))) {
        throw new AppError('forbidden', 'The current password is wrong.');
      }
      await setPasswordHash(ctx.db, identity.user.id, await hashPassword(newPassword));
      const keep = identity.via === 'session' ? identity.credentialId : null;
      for (const id of await revokeOtherSessions(ctx.db, identity.user.id, keep, ctx.now().toISOString())) live.credentialRevoked(id);
      return c.body(null, 204);
    })
    .openapi(logout, async (c) => {
      const value = sessionCookieOf(c.req.header('cookie'));
      const identity = c.get('identity');
      const endSessionUrl = identity?.via === 'session' ? await providerLogoutOf(ctx, identity.user.id, c.req.url) : null;
      if (endSessionUrl) c.header(END_SESSION_HEADER, endSessionUrl);
      if (value) live.credentialRevoked(await endSession(ctx, value));
      c.header('Set-Cookie', sessionCookie(ctx, '', null));
      return c.body(null, 204);
    })
    .openapi(logoutEverywhere, async (c) => {
      const identity = requireIdentity(c);
      for (const id of await revokeOtherSessions(ctx.db, identity.user.id, null, ctx.now().toISOString())) live.credentialRevoked(id);
      c.header('Set-Cookie', sessionCookie(ctx, '', null));
      return c.body(null, 204);
    })
    .openapi(createToken, async (c) => {
      const identity = requireIdentity(c);
      const body = CreateTokenRequest.parse((await c.req.json().catch(() => ({}))) ?? {});
      const created = await issueApiToken(ctx, identity.user.id, body.name, body.expiresInDays);
      return c.json(
        { id: created.id, name: body.name, token: created.token, createdAt: created.createdAt, lastUsedAt: null, expiresAt: created.expiresAt, revokedAt: null },
        201,
      );
    })
    .openapi(listTokens, async (c) => {
      const identity = requireIdentity(c);
      const rows = await listApiTokens(ctx.db, identity.user.id);
      return c.json(
        {
          tokens: rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at, expiresAt: t.expires_at, revokedAt: t.revoked_at })),
        },
        200,
      );
    })
    .openapi(revokeToken, async (c) => {
      const identity = requireIdentity(c);
      const { tokenId } = c.req.valid('param');
      const revoked = await revokeApiToken(ctx.db, identity.user.id, tokenId, ctx.now().toISOString());
      if (!revoked) throw new AppError('not_found', 'You have no live API token with that id.');
      live.credentialRevoked(tokenId);
      return c.body(null, 204);
    });
}
