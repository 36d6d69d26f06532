// Per request: who is signed in (asked of the API through the bridge), which language, and the
// <html lang>; plus routing SvelteKit's server-side fetch of /api/ through the same bridge.
import { error, type Handle, type HandleFetch } from '@sveltejs/kit';
import type { MeResponse } from '$wire/auth.ts';
import { LOCALE_COOKIE } from '$lib/i18n/index.ts';
import { negotiateLocale } from '$lib/i18n/negotiate.ts';
import { call } from '$lib/server/api.ts';
import { SESSION_COOKIE } from '$wire/session.ts';
import { sessionCookieOf } from '../realtime/transport/cookies.ts';
import { isCrossSiteRequest } from '../realtime/transport/origin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** For responses that are not pages (redirects, endpoints, errors before rendering): they need no script at all. */
const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'";

export const handle: Handle = async ({ event, resolve }) => {
  // Cross-site state changes are refused whatever the Content-Type (SvelteKit's own check covers form
  // types only; a no-cors fetch can send a body with no Content-Type at all).
  if (!SAFE_METHODS.has(event.request.method)) {
    const headers = { origin: event.request.headers.get('origin'), fetchSite: event.request.headers.get('sec-fetch-site') };
    if (isCrossSiteRequest(headers, event.url.origin)) {
      return new Response('Cross-site requests may not change anything.', {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': FALLBACK_CSP },
      });
    }
  }
  const response = await respond({ event, resolve });
  if (!response.headers.has('content-security-policy')) {
    try {
      response.headers.set('content-security-policy', FALLBACK_CSP);
    } catch {
      // An immutable response (e.g. a fetched one passed through) keeps its own headers.
    }
  }
  return response;
};

const respond: Handle = async ({ event, resolve }) => {
  // Set before asking who is signed in, so an error page (the API down) still has a language.
  event.locals.locale = negotiateLocale(event.cookies.get(LOCALE_COOKIE), event.request.headers.get('accept-language'));
  event.locals.me = await signedInUser(event);
  // A signed-in person reads the language chosen on their account, in every browser.
  if (event.locals.me) event.locals.locale = event.locals.me.user.locale;
  const lang = event.locals.locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};

async function signedInUser(event: Parameters<Handle>[0]['event']): Promise<MeResponse | null> {
  // Without a cookie there is nobody to ask about.
  if (!sessionCookieOf(event.request.headers.get('cookie'))) return null;
  const result = await call(event, (api) => api.me.$get());
  if (result.ok) return result.data;
  if (result.status === 401) {
    // The session ended (expired, revoked, signed out elsewhere): stop sending a dead cookie.
    event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
    return null;
  }
  // Not "signed out": the API could not tell (e.g. the database is down). Say so, do not guess.
  error(result.status >= 500 ? result.status : 502, { message: result.error.message, code: result.error.code });
}

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const bridge = event.platform?.req?.samspil;
  if (bridge && url.origin === event.url.origin && url.pathname.startsWith('/api/')) {
    const headers = new Headers(request.headers);
    const cookie = event.request.headers.get('cookie');
    if (cookie) headers.set('cookie', cookie);
    else headers.delete('cookie');
    return bridge.fetchApi(new Request(request, { headers }));
  }
  return fetch(request);
};
