// Sign-out: end the session in the API, drop the cookie, back to the sign-in page (works without JS).
import { redirect } from '@sveltejs/kit';
import { call, SESSION_COOKIE } from '$lib/server/api.ts';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
  // Whatever the API answers, this browser is signed out afterwards.
  await call(event, (api) => api.auth.logout.$post()).catch(() => undefined);
  event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
  redirect(303, '/login');
};

export const GET: RequestHandler = () => redirect(303, '/');
