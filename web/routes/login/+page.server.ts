// Sign-in: the form action asks the API to sign in and hands its session cookie to the browser.
import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { call, SESSION_COOKIE } from '$lib/server/api.ts';
import { safeReturnPath } from '$lib/server/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** What the form shows after a failed attempt; messages are catalogue keys, translated in the page. */
export interface LoginFailure {
  email: string;
  problem: 'wrongCredentials' | 'invalid' | 'rateLimited' | 'unavailable';
  fields?: Partial<Record<'email' | 'password', 'emailRequired' | 'emailInvalid' | 'passwordRequired' | 'passwordInvalid'>>;
  retryAfterMinutes?: number;
}

const failure = (f: LoginFailure): LoginFailure => f;

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.me) redirect(303, safeReturnPath(url.searchParams.get('next'), url.origin));
  return { next: url.searchParams.get('next'), resetDone: url.searchParams.get('reset') === 'done' };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const result = await call(event, (api) => api.auth.login.$post({ json: { email, password } }));

    if (result.ok) {
      if (!copySessionCookie(result.headers, event.cookies, event.url)) {
        return fail(503, failure({ email, problem: 'unavailable' }));
      }
      redirect(303, safeReturnPath(form.get('next') ?? event.url.searchParams.get('next'), event.url.origin));
    }

    if (result.status === 401) return fail(401, failure({ email, problem: 'wrongCredentials' }));
    if (result.status === 422) {
      const fields: LoginFailure['fields'] = {};
      for (const issue of result.error.issues ?? []) {
        if (issue.path === 'email') fields.email = email.trim() === '' ? 'emailRequired' : 'emailInvalid';
        if (issue.path === 'password') fields.password = password === '' ? 'passwordRequired' : 'passwordInvalid';
      }
      return fail(422, failure({ email, problem: 'invalid', fields }));
    }
    if (result.status === 429) {
      const seconds = Number(result.headers.get('retry-after') ?? 900);
      return fail(429, failure({ email, problem: 'rateLimited', retryAfterMinutes: Math.max(1, Math.ceil(seconds / 60)) }));
    }
    return fail(503, failure({ email, problem: 'unavailable' }));
  },
};

/** Re-issue the API's session cookie as our own (same name, same lifetime). False if there was none. */
function copySessionCookie(headers: Headers, cookies: Cookies, url: URL): boolean {
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
