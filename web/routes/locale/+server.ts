// The language switch: remember the choice for a year and go back to the page it came from.
import { redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n/index.ts';
import { safeReturnPath } from '$lib/server/redirects.ts';
import type { RequestHandler } from './$types';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export const POST: RequestHandler = async ({ request, cookies, url }) => {
  const form = await request.formData();
  const locale = form.get('locale');
  if (isLocale(locale)) {
    cookies.set(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', httpOnly: true, secure: url.protocol === 'https:', maxAge: ONE_YEAR_SECONDS });
  }
  redirect(303, safeReturnPath(form.get('redirectTo'), url.origin));
};

export const GET: RequestHandler = () => redirect(303, '/');
