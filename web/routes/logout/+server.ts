// Sign-out: end the session in the API, drop the cookie, back to the sign-in page, or through the
// identity provider's logout after single sign-on (works without JS).
import { redirect } from '@sveltejs/kit';
import { call, SESSION_COOKIE } from '$lib/server/api.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
  // Whatever the API answers, this browser is signed out afterwards.
  const result = await call(event, (api) => api.auth.logout.$post()).catch(() => undefined);
  event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
  // Signed in through single sign-on: on to the identity provider's logout, which comes back to /login.
  // Through our own page: a form's redirect to another origin would be stopped by CSP form-action 'self'.
  redirect(303, result?.headers.get('x-samspil-end-session') ? '/auth/oidc/logout' : '/login');
};

export const GET: RequestHandler = () => redirect(303, '/');
