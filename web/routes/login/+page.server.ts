// Sign-in: the form action asks the API to sign in and hands its session cookie to the browser.
import { fail, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api.ts';
import { copySessionCookie } from '$lib/server/sessionCookie.ts';
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

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (locals.me) redirect(303, safeReturnPath(url.searchParams.get('next'), url.origin));
  const methods = await call(event, (api) => api.auth.methods.$get());
  // Without an answer, the password form alone (as before single sign-on existed).
  const ways = methods.ok ? methods.data : { oidc: null, password: true, passwordForLinked: true };
  const next = url.searchParams.get('next');
  const ssoHref = ways.oidc ? `${ways.oidc.loginPath}?next=${encodeURIComponent(safeReturnPath(next, url.origin))}` : null;
  return { next, resetDone: url.searchParams.get('reset') === 'done', sso: ways.oidc ? { name: ways.oidc.displayName, href: ssoHref! } : null, password: ways.password };
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

