// Reads the session cookie from a Cookie header, never throwing whatever else the header holds.
import { parse } from 'hono/utils/cookie';
import { SESSION_COOKIE } from '../wire/session.ts';

/**
 * One cookie's value, or undefined. The header also carries other sites' cookies on the same domain
 * (e.g. `analytics=50%off`), so an undecodable value must not fail the request: it comes back
 * as sent, and as a session id it then matches no session.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  return header ? parse(header, name)[name] : undefined;
}

export const sessionCookieOf = (header: string | null | undefined) => readCookie(header, SESSION_COOKIE);
