// An invitation link: what it invites to, and accepting it (a new account from name and password,
// or the signed-in account the invitation is for). Unknown and used links get their own error page.
import { error, fail, redirect } from '@sveltejs/kit';
import { passwordProblem } from '$domain/passwordPolicy.ts';
import { containsCpr } from '$domain/cpr.ts';
import { call, segment } from '$lib/server/api.ts';
import { copySessionCookie } from '$lib/server/sessionCookie.ts';
import type { Actions, PageServerLoad } from './$types';

/** Problems as catalogue keys under invitation.errors, by field. */
export interface AcceptFailure {
  name: string;
  fields: Partial<Record<'name' | 'password', 'nameRequired' | 'nameCpr' | 'passwordTooShort' | 'passwordTooCommon' | 'passwordRepetitive'>>;
  problem: 'invalid' | 'alreadyMember' | 'generic' | null;
}

const failure = (f: AcceptFailure): AcceptFailure => f;

/** 404 unknown, 410 used or expired, 429 limited: the error page says which and whom to ask. */
function refused(status: number, message: string): never {
  if (status === 404) error(404, { message, code: 'invitation_unknown' });
  if (status === 410) error(410, { message, code: 'invitation_gone' });
  if (status === 429) error(429, { message, code: 'invitation_limited' });
  error(status >= 500 ? status : 502, { message, code: 'unavailable' });
}

export const load: PageServerLoad = async (event) => {
  const token = event.params.token;
  const result = await call(event, (api) => api.invitations[':token'].$get({ param: { token: segment(token) } }));
  if (!result.ok) refused(result.status, result.error.message);
  const methods = await call(event, (api) => api.auth.methods.$get());
  const ways = methods.ok ? methods.data : { oidc: null, password: true };
  return { preview: result.data, token, sso: ways.oidc ? { name: ways.oidc.displayName, loginPath: ways.oidc.loginPath } : null, password: ways.password };
};

const PASSWORD_KEYS = { tooShort: 'passwordTooShort', tooCommon: 'passwordTooCommon', repetitive: 'passwordRepetitive' } as const;

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').slice(0, 200);
    const password = String(form.get('password') ?? '').slice(0, 1024);
    const withAccount = form.get('withAccount') === 'yes';
    if (!withAccount) {
      // Said here in the page's language; the API checks the same rules.
      const fields: AcceptFailure['fields'] = {};
      if (!name.trim()) fields.name = 'nameRequired';
      else if (containsCpr(name)) fields.name = 'nameCpr';
      const problem = passwordProblem(password);
      if (problem) fields.password = PASSWORD_KEYS[problem];
      if (fields.name || fields.password) return fail(422, failure({ name, fields, problem: 'invalid' }));
    }
    const json = withAccount ? {} : { name, password };
    const result = await call(event, (api) => api.invitations[':token'].accept.$post({ param: { token: segment(event.params.token) }, json }));
    if (result.ok) {
      copySessionCookie(result.headers, event.cookies, event.url);
      redirect(303, `/networks/${encodeURIComponent(result.data.networkId)}`);
    }
    if (result.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    if (result.status === 404 || result.status === 410 || result.status === 429) refused(result.status, result.error.message);
    if (result.status === 409) return fail(409, failure({ name, fields: {}, problem: 'alreadyMember' }));
    return fail(result.status >= 400 && result.status < 500 ? result.status : 503, failure({ name, fields: {}, problem: 'generic' }));
  },
};
