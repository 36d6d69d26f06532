// Server-only: hands the API's session cookie to the browser as our own (same name, same lifetime).
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './api.ts';

/** Re-issue the API's session cookie from its Set-Cookie headers. False if there was none. */
export function copySessionCookie(headers: Headers, cookies: Cookies, url: URL): boolean {
  for (const header of headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1);
    if (!value) return false;
    const expiresText = attributes.find((a) => a.toLowerCase().startsWith('expires='))?.slice('expires='.length);
    const expires = expiresText ? new Date(expiresText) : undefined;
    cookies.set(SESSION_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      expires: expires && !Number.isNaN(expires.getTime()) ? expires : undefined,
    });
    return true;
  }
  return false;
}
