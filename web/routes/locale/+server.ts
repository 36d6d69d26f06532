// The language switch: remember the choice for a year (and on the account, when signed in) and go back
// to the page it came from.
import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n/index.ts';
import { call } from '$lib/server/api.ts';
import { safeReturnPath } from '$lib/server/redirects.ts';
import type { RequestHandler } from './$types';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export const POST: RequestHandler = async (event) => {
  const { request, cookies, url, locals } = event;
  const form = await request.formData();
  const locale = form.get('locale');
  if (isLocale(locale)) {
    // The account's language wins for a signed-in person, so the choice must be stored there.
    if (locals.me) await call(event, (api) => api.me.$patch({ json: { locale } }));
    cookies.set(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', httpOnly: true, secure: url.protocol === 'https:', maxAge: ONE_YEAR_SECONDS });
  }
  redirect(303, safeReturnPath(form.get('redirectTo'), url.origin));
};

export const GET: RequestHandler = () => redirect(303, '/');
