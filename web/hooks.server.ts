// Per request: who is signed in (asked of the API through the bridge), which language, and the
// <html lang>; plus routing SvelteKit's server-side fetch of /api/ through the same bridge.
import { error, type Handle, type HandleFetch } from '@sveltejs/kit';
import type { MeResponse } from '$shared';
import { LOCALE_COOKIE } from '$lib/i18n/index.ts';
import { negotiateLocale } from '$lib/i18n/negotiate.ts';
import { apiFetch, SESSION_COOKIE } from '$lib/server/api.ts';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = negotiateLocale(event.cookies.get(LOCALE_COOKIE), event.request.headers.get('accept-language'));
  event.locals.me = await signedInUser(event);
  const lang = event.locals.locale;
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};

async function signedInUser(event: Parameters<Handle>[0]['event']): Promise<MeResponse | null> {
  // Without a cookie there is nobody to ask about.
  if (!event.cookies.get(SESSION_COOKIE)) return null;
  const result = await apiFetch<MeResponse>(event, '/api/me');
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
