// A reset link from the e-mail: says at once when it no longer works; else the new password form.
// Success signs out everywhere, so the person goes on to the sign-in page.
import { fail, redirect } from '@sveltejs/kit';
import { call, segment } from '$lib/server/api.ts';
import { passwordRuleText } from '$lib/server/account.ts';
import type { Actions, PageServerLoad } from './$types';

type LinkState = { state: 'live'; email: string } | { state: 'gone' | 'unknown' };

export const load: PageServerLoad = async (event): Promise<LinkState> => {
  const result = await call(event, (api) => api.auth['password-reset'][':token'].$get({ param: { token: segment(event.params.token) } }));
  if (result.ok) return { state: 'live', email: result.data.email };
  if (result.status === 410) return { state: 'gone' };
  if (result.status === 404 || result.status === 422) return { state: 'unknown' };
  return { state: 'gone' };
};

export const actions: Actions = {
  default: async (event) => {
    const password = String((await event.request.formData()).get('password') ?? '').slice(0, 1024);
    const result = await call(event, (api) => api.auth['password-reset'][':token'].$post({ param: { token: segment(event.params.token) }, json: { password } }));
    if (result.ok) redirect(303, '/login?reset=done');
    if (result.status === 422) {
      const issue = result.error.issues?.find((i) => i.path === 'password');
      return fail(422, { problem: passwordRuleText(password, event.locals.locale, issue?.message ?? result.error.message) });
    }
    // Used or expired meanwhile: the page loads again and says so.
    return fail(result.status >= 400 && result.status < 500 ? result.status : 503, { problem: null });
  },
};
