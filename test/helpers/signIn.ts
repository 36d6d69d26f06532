// Signing in over the real API, for tests that then call it or drive pages as that person.
import { expect } from 'vitest';

export const DEMO_PASSWORD = 'samspil-demo';

/** The session cookie (`name=value`) of a password sign-in; expects it to succeed. */
export async function sessionCookie(baseUrl: string, email: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status, `sign-in of ${email}`).toBe(200);
  return res.headers.getSetCookie()[0].split(';')[0];
}

/** A new API token of the signed-in person behind `cookie`. */
export async function apiToken(baseUrl: string, cookie: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
  const { token } = (await res.json()) as { token: string };
  return token;
}
