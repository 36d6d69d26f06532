// Server-only: the account page (name, language, password, sessions, API tokens) and its form
// actions, each one API call through the bridge. Problems come back in the reader's language.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { CPR_MESSAGE } from '$domain/cpr.ts';
import { PASSWORD_PROBLEM_TEXT, passwordProblem } from '$domain/passwordPolicy.ts';
import { isLocale, LOCALE_COOKIE, translator, type Locale } from '$lib/i18n/index.ts';
import { call, expectOk, segment, type ApiResult } from './api.ts';
import { deviceOf } from './device.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'cookies'>;

export type AccountForm = 'profile' | 'password' | 'signOutOthers' | 'signOutSession' | 'createToken' | 'revokeToken';

export interface AccountProblem {
  message: string;
  fieldId?: string;
}

/** What the page shows after a form was sent. `token` is a new API token's secret, shown once. */
export interface AccountResult {
  form: AccountForm;
  ok: boolean;
  message: string;
  problems: AccountProblem[];
  values?: Record<string, string>;
  token?: { name: string; secret: string };
}

export async function loadAccount(event: Omit<Event, 'cookies'>) {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent('/account')}`);
  const [sessions, tokens] = await Promise.all([
    call(event, (api) => api.me.sessions.$get()),
    call(event, (api) => api.auth.tokens.$get()),
  ]);
  return {
    user: event.locals.me.user,
    sessions: expectOk(sessions).sessions.map((s) => ({ ...s, device: deviceOf(s.userAgent) })),
    tokens: expectOk(tokens).tokens,
    saved: event.url.searchParams.get('saved') === 'profile',
  };
}

/** A password the policy refuses, in the reader's language (the API names the rule in English). */
export function passwordRuleText(password: string, locale: Locale, fallback: string): string {
  const problem = passwordProblem(password);
  return problem ? PASSWORD_PROBLEM_TEXT[problem][locale] : fallback;
}

const text = (form: FormData, name: string, max = 1024) => String(form.get(name) ?? '').slice(0, max);

export const accountActions = {
  profile: async (event: Event) => {
    const t = translator(event.locals.locale);
    const form = await event.request.formData();
    const values = { name: text(form, 'name', 300), locale: text(form, 'locale', 5) };
    const problems: AccountProblem[] = [];
    if (!values.name.trim()) problems.push({ message: t('account.profile.nameRequired'), fieldId: 'name' });
    else if (values.name.trim().length > 200) problems.push({ message: t('account.profile.nameTooLong'), fieldId: 'name' });
    const locale = isLocale(values.locale) ? values.locale : undefined;
    if (problems.length) return fail(422, result('profile', problems, values));
    const answer = await call(event, (api) => api.me.$patch({ json: { name: values.name.trim(), locale } }));
    if (answer.ok) {
      // Signed out, the browser keeps the language too; a full page load shows the page in it.
      if (locale) event.cookies.set(LOCALE_COOKIE, locale, { path: '/', sameSite: 'lax', httpOnly: true, secure: event.url.protocol === 'https:', maxAge: 365 * 86400 });
      redirect(303, '/account?saved=profile');
    }
    return refused('profile', answer, values, event.locals.locale, (path, message) =>
      path === 'name' ? { fieldId: 'name', message: message === CPR_MESSAGE.en ? CPR_MESSAGE[event.locals.locale] : t('account.profile.nameRequired') } : { message },
    );
  },
  password: async (event: Event) => {
    const t = translator(event.locals.locale);
    const form = await event.request.formData();
    const currentPassword = text(form, 'currentPassword');
    const newPassword = text(form, 'newPassword');
    if (!currentPassword) return fail(422, result('password', [{ message: t('account.password.currentRequired'), fieldId: 'currentPassword' }]));
    const answer = await call(event, (api) => api.auth.password.$post({ json: { currentPassword, newPassword } }));
    if (answer.ok) return { form: 'password', ok: true, message: t('account.password.saved'), problems: [] } satisfies AccountResult;
    if (answer.status === 403) return fail(403, result('password', [{ message: t('account.password.currentWrong'), fieldId: 'currentPassword' }]));
    return refused('password', answer, {}, event.locals.locale, (path, message) =>
      path === 'newPassword' ? { fieldId: 'newPassword', message: passwordRuleText(newPassword, event.locals.locale, message) } : { fieldId: 'currentPassword', message: t('account.password.currentRequired') },
    );
  },
  signOutOthers: async (event: Event) => {
    const answer = await call(event, (api) => api.me.sessions.$delete());
    if (answer.ok) return { form: 'signOutOthers', ok: true, message: translator(event.locals.locale)('account.sessions.othersSignedOut'), problems: [] } satisfies AccountResult;
    return refused('signOutOthers', answer, {}, event.locals.locale);
  },
  signOutSession: async (event: Event) => {
    const t = translator(event.locals.locale);
    const sessionId = text(await event.request.formData(), 'sessionId', 100);
    const answer = await call(event, (api) => api.me.sessions[':sessionId'].$delete({ param: { sessionId: segment(sessionId) } }));
    if (answer.ok) return { form: 'signOutSession', ok: true, message: t('account.sessions.signedOut'), problems: [] } satisfies AccountResult;
    if (answer.status === 404) return fail(404, result('signOutSession', [], {}, t('account.sessions.gone')));
    return refused('signOutSession', answer, {}, event.locals.locale);
  },
  createToken: async (event: Event) => {
    const t = translator(event.locals.locale);
    const form = await event.request.formData();
    const values = { tokenName: text(form, 'tokenName', 200), expiresInDays: text(form, 'expiresInDays', 10).trim() };
    const problems: AccountProblem[] = [];
    if (!values.tokenName.trim() || values.tokenName.trim().length > 100) problems.push({ message: t('account.tokens.nameRequired'), fieldId: 'tokenName' });
    const days = values.expiresInDays === '' ? undefined : Number(values.expiresInDays);
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650)) problems.push({ message: t('account.tokens.expiresInvalid'), fieldId: 'expiresInDays' });
    if (problems.length) return fail(422, result('createToken', problems, values));
    const answer = await call(event, (api) => api.auth.tokens.$post({ json: { name: values.tokenName.trim(), expiresInDays: days } }));
    if (answer.ok) {
      return { form: 'createToken', ok: true, message: t('account.tokens.created', { name: answer.data.name }), problems: [], token: { name: answer.data.name, secret: answer.data.token } } satisfies AccountResult;
    }
    return refused('createToken', answer, values, event.locals.locale, (path) =>
      path === 'expiresInDays' ? { fieldId: 'expiresInDays', message: t('account.tokens.expiresInvalid') } : { fieldId: 'tokenName', message: t('account.tokens.nameRequired') },
    );
  },
  revokeToken: async (event: Event) => {
    const t = translator(event.locals.locale);
    const tokenId = text(await event.request.formData(), 'tokenId', 100);
    const answer = await call(event, (api) => api.auth.tokens[':tokenId'].$delete({ param: { tokenId: segment(tokenId) } }));
    if (answer.ok) return { form: 'revokeToken', ok: true, message: t('account.tokens.revokedOk'), problems: [] } satisfies AccountResult;
    if (answer.status === 404) return fail(404, result('revokeToken', [], {}, t('account.tokens.gone')));
    return refused('revokeToken', answer, {}, event.locals.locale);
  },
};

function result(form: AccountForm, problems: AccountProblem[], values: Record<string, string> = {}, message = ''): AccountResult {
  return { form, ok: false, message, problems, values };
}

/** A refusal as the page shows it: field problems for a 422 (through `issue`), else one plain message. */
function refused(
  form: AccountForm,
  answer: ApiResult<unknown>,
  values: Record<string, string>,
  locale: Locale,
  issue: (path: string, message: string) => AccountProblem = (_path, message) => ({ message }),
) {
  if (answer.ok) throw new Error('not a refusal');
  if (answer.status === 401) redirect(303, `/login?next=${encodeURIComponent('/account')}`);
  if (answer.status === 422) {
    const problems = (answer.error.issues ?? [{ path: '', message: answer.error.message }]).map((i) => issue(i.path, i.message));
    return fail(422, result(form, problems, values));
  }
  return fail(answer.status >= 400 && answer.status < 500 ? answer.status : 503, result(form, [], values, translator(locale)('account.failed')));
}
