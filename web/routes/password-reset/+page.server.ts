// Forgotten password: asks the API to e-mail a reset link. The answer is the same whether or not an
// account has the address; without SMTP on the server the page says to ask a host instead.
import { fail } from '@sveltejs/kit';
import { call, expectOk } from '$lib/server/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { byEmail, passwords } = expectOk(await call(event, (api) => api.auth['password-reset'].$get()));
  return { byEmail, passwords };
};

export const actions: Actions = {
  default: async (event) => {
    const email = String((await event.request.formData()).get('email') ?? '').slice(0, 400);
    const result = await call(event, (api) => api.auth['password-reset'].$post({ json: { email } }));
    if (result.ok) return { sent: true as const, email: email.trim(), byEmail: result.data.byEmail };
    if (result.status === 422) return fail(422, { problem: email.trim() === '' ? ('emailRequired' as const) : ('emailInvalid' as const), email });
    if (result.status === 429) {
      const seconds = Number(result.headers.get('retry-after') ?? 900);
      return fail(429, { problem: 'rateLimited' as const, email, minutes: Math.max(1, Math.ceil(seconds / 60)) });
    }
    return fail(503, { problem: 'unavailable' as const, email });
  },
};
