// Single sign-on's transport: the two page paths the browser is sent through (/auth/oidc/login and
// /auth/oidc/callback, outside /api because they answer with redirects and pages), and
// GET /api/auth/methods telling the sign-in page which ways in there are.
import { Hono, type Context } from 'hono';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { jsonContent, newRouter, openRoute } from '../http/router.ts';
import { readCookie, sessionCookieOf } from '../transport/cookies.ts';
import { AuthMethods } from '../wire/auth.ts';
import { endSession, sessionCookie, startSession } from './identity.ts';
import { admit } from './oidcAdmission.ts';
import { CALLBACK_PATH, LOGIN_COOKIE, LOGIN_COOKIE_PATH, LOGIN_TTL_MS, OidcError, oidcOf } from './oidc.ts';
import { onToProviderLogoutPage, refusalPage } from './oidcPages.ts';

const methods = openRoute('get', '/methods', 'How one may sign in here: single sign-on (with the name on its button), passwords', {
  responses: { 200: jsonContent(AuthMethods, 'The ways in') },
});

export function authMethodRoutes(ctx: AppContext) {
  return newRouter().openapi(methods, (c) => {
    const settings = ctx.config.oidc;
    const passwordSignIn = ctx.config.passwordSignIn ?? 'on';
    return c.json(
      {
        oidc: settings ? { displayName: settings.displayName, loginPath: '/auth/oidc/login' } : null,
        password: passwordSignIn !== 'off',
        passwordForLinked: passwordSignIn === 'on',
      },
      200,
    );
  });
}

/** The public address of this server: ORIGIN when set (behind a proxy), else the request's own. */
const originOf = (ctx: AppContext, requestUrl: string) => (ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : new URL(requestUrl).origin);

function loginCookie(ctx: AppContext, value: string | null): string {
  const parts = [`${LOGIN_COOKIE}=${value ?? ''}`, `Path=${LOGIN_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Lax'];
  if (ctx.config.secureCookies) parts.push('Secure');
  parts.push(value ? `Max-Age=${LOGIN_TTL_MS / 1000}` : 'Max-Age=0');
  return parts.join('; ');
}

export function oidcPageRoutes(ctx: AppContext, live: LiveHooks) {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    if (ctx.config.secureCookies) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });

  const refuse = (c: Context, err: unknown) => {
    const oidc = oidcOf(ctx)!;
    // What is not a refusal of the answer is our own failure (the database): a 503, never "not verified".
    const refusal = err instanceof OidcError ? err.refusal : 'samspil_unavailable';
    if (err instanceof OidcError) ctx.log.warn(`single sign-on refused: ${refusal}`, { detail: err.message });
    else ctx.log.error('single sign-on failed', { error: err instanceof Error ? err.stack : String(err) });
    const page = refusalPage(refusal, oidc.settings.displayName, c.req.header('accept-language'));
    c.header('Set-Cookie', loginCookie(ctx, null));
    return c.html(page.html, page.status);
  };

  app.get('/auth/oidc/login', async (c) => {
    const oidc = oidcOf(ctx);
    if (!oidc) return c.text('Single sign-on is not configured.', 404);
    try {
      const { url, cookieValue } = await oidc.startLogin(originOf(ctx, c.req.url) + CALLBACK_PATH, c.req.query('next') ?? null);
      c.header('Set-Cookie', loginCookie(ctx, cookieValue));
      return c.redirect(url, 303);
    } catch (err) {
      return refuse(c, err);
    }
  });

  app.get('/auth/oidc/callback', async (c) => {
    const oidc = oidcOf(ctx);
    if (!oidc) return c.text('Single sign-on is not configured.', 404);
    try {
      // The redirect URI registered at the provider, with the answer's parameters.
      const callbackUrl = new URL(originOf(ctx, c.req.url) + CALLBACK_PATH + new URL(c.req.url).search);
      const { person, next } = await oidc.finishLogin(callbackUrl, readCookie(c.req.header('cookie'), LOGIN_COOKIE));
      const { userId } = await admit(ctx, oidc.settings, person);
      // As a password sign-in: a fresh session id, an existing one in the request ended.
      const previous = sessionCookieOf(c.req.header('cookie'));
      if (previous) live.credentialRevoked(await endSession(ctx, previous));
      const { cookieValue, cookieExpiresAt } = await startSession(ctx, userId, c.req.header('user-agent'));
      c.header('Set-Cookie', loginCookie(ctx, null));
      c.header('Set-Cookie', sessionCookie(ctx, cookieValue, cookieExpiresAt), { append: true });
      return c.redirect(next, 303);
    } catch (err) {
      return refuse(c, err);
    }
  });

  // Where the web's sign-out sends a person signed in through single sign-on (the session is ended already):
  // a page that goes on to the provider's logout, computed here, never taken from the request.
  app.get('/auth/oidc/logout', async (c) => {
    const oidc = oidcOf(ctx);
    const endSessionUrl = oidc ? await oidc.endSessionUrl(originOf(ctx, c.req.url) + '/login') : null;
    if (!oidc || !endSessionUrl) return c.redirect('/login', 303);
    return c.html(onToProviderLogoutPage(endSessionUrl, oidc.settings.displayName, c.req.header('accept-language')), 200);
  });

  return app;
}
