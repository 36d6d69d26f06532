// Server-only: the pages for running a network (create, settings, providers, one provider) and their
// form actions, each one API call through the bridge.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import {
  checkChecklist,
  checkProvider,
  checkSettings,
  isMonth,
  problemsFromIssues,
  PROVIDER_FIELDS,
  readChecklist,
  readProvider,
  readSettings,
  SETTINGS_FIELDS,
  text,
  type ChecklistValues,
  type FormResult,
  type Outcome,
  type Problem,
  type ProviderValues,
  type SettingsValues,
} from '$lib/admin/forms.ts';
import { copenhagenMonth } from '$domain/time.ts';
import { call, expectOk, segment, type ApiResult } from './api.ts';
import { loadNetwork } from './results.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

export type SettingsResult = FormResult<'settings', SettingsValues>;
export type AddProviderResult = FormResult<'add', ProviderValues>;
export type ProviderResult =
  | FormResult<'organisation', ProviderValues>
  | FormResult<'lastMonth', { lastMonth: string }>
  | FormResult<'rejoin', { rejoinFromMonth: string }>
  | FormResult<'checklist', ChecklistValues>;

const networkParam = (event: Event) => ({ networkId: segment(event.params.networkId ?? '') });
const providerParam = (event: Event) => ({ ...networkParam(event), providerId: segment(event.params.providerId ?? '') });

function requireSignedIn(event: Event) {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  return event.locals.me;
}

/** The API's refusal as the form's result; `conflict` names what a 409 means on this form. */
function refused<R extends FormResult<string, unknown>>(result: ApiResult<unknown> & { ok: false }, r: R, conflict: Outcome, toProblems: (issues: Array<{ path: string; message: string }>) => Problem[]) {
  if (result.status === 401) redirect(303, '/login');
  const outcome: Outcome =
    result.status === 422 ? 'invalid' : result.status === 403 ? 'forbidden' : result.status === 404 ? 'gone' : result.status === 409 ? conflict : 'failed';
  const problems = result.status === 422 ? toProblems(result.error.issues ?? [{ path: '', message: result.error.message }]) : [];
  return fail(result.status >= 400 && result.status < 500 ? result.status : 503, { ...r, ok: false, outcome, problems });
}

const invalid = <R extends FormResult<string, unknown>>(r: R) => fail(422, r);

// ---------------------------------------------------------------- creating a network, its settings

export function loadNewNetwork(event: Event) {
  const me = requireSignedIn(event);
  // The API decides; the page only spares a provider a form it may not send.
  if (!me.memberships.some((m) => m.role === 'host')) error(403, { message: 'Only jobcenter staff create networks.', code: 'forbidden' });
  return {};
}

export async function createNetworkAction(event: Event) {
  requireSignedIn(event);
  const values = readSettings(await event.request.formData());
  const { input, problems } = checkSettings(values);
  const base: SettingsResult = { form: 'settings', ok: false, outcome: 'invalid', problems, values };
  if (!input) return invalid(base);
  const result = await call(event, (api) => api.networks.$post({ json: input }));
  if (!result.ok) return refused(result, base, 'failed', (issues) => problemsFromIssues(issues, SETTINGS_FIELDS, SETTINGS_FIELDS.name));
  redirect(303, `/networks/${encodeURIComponent(result.data.id)}/providers?created=1`);
}

export async function loadSettings(event: Event) {
  const network = await loadNetwork(event);
  if (!network.capabilities.manageNetwork) error(403, { message: 'Only the host changes the settings.', code: 'forbidden' });
  return { network };
}

export async function saveSettingsAction(event: Event) {
  const values = readSettings(await event.request.formData());
  const { input, problems } = checkSettings(values);
  const base: SettingsResult = { form: 'settings', ok: false, outcome: 'invalid', problems, values };
  if (!input) return invalid(base);
  const result = await call(event, (api) => api.networks[':networkId'].$patch({ param: networkParam(event), json: input }));
  if (!result.ok) return refused(result, base, 'failed', (issues) => problemsFromIssues(issues, SETTINGS_FIELDS, SETTINGS_FIELDS.name));
  return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies SettingsResult;
}

// ---------------------------------------------------------------- providers

export async function loadProviders(event: Event) {
  const network = await loadNetwork(event);
  const { providers } = expectOk(await call(event, (api) => api.networks[':networkId'].providers.$get({ param: networkParam(event) })));
  return { network, providers, thisMonth: copenhagenMonth(new Date()), created: event.url.searchParams.has('created') };
}

export async function addProviderAction(event: Event) {
  const values = readProvider(await event.request.formData());
  const { input, problems } = checkProvider(values, true);
  const base: AddProviderResult = { form: 'add', ok: false, outcome: 'invalid', problems, values };
  if (!input) return invalid(base);
  const result = await call(event, (api) => api.networks[':networkId'].providers.$post({ param: networkParam(event), json: input }));
  if (!result.ok) return refused(result, base, 'duplicate', (issues) => problemsFromIssues(issues, PROVIDER_FIELDS, PROVIDER_FIELDS.name));
  return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies AddProviderResult;
}

export async function loadProvider(event: Event) {
  const { network, providers, thisMonth } = await loadProviders(event);
  const provider = providers.find((p) => p.id === event.params.providerId);
  if (!provider) error(404, { message: 'That provider is not part of this network.', code: 'not_found' });
  const isHost = network.capabilities.manageProviders;
  // A provider administrator may edit its own organisation; everyone else is refused the page.
  const ownAdmin = network.capabilities.manageMembers && network.capabilities.ownProviderId === provider.id;
  if (!isHost && !ownAdmin) error(403, { message: 'Only the host manages providers.', code: 'forbidden' });
  const checklist = isHost ? expectOk(await call(event, (api) => api.networks[':networkId'].providers[':providerId'].checklist.$get({ param: providerParam(event) }))) : null;
  return { network, provider, checklist, thisMonth, isHost };
}

const providerApi = (event: Event) => ({ param: providerParam(event) });

export const providerActions = {
  organisation: async (event: Event) => {
    const form = await event.request.formData();
    const values = readProvider(form);
    const shared = text(form, 'shared', 5) === 'true';
    const { input, problems } = checkProvider(values, false);
    const base: ProviderResult = { form: 'organisation', ok: false, outcome: 'invalid', problems, values };
    if (!input) return invalid(base);
    const json = { name: input.name, shortName: input.shortName, cvr: input.cvr ?? null };
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].$patch({ ...providerApi(event), json }));
    if (!result.ok) return refused(result, base, shared ? 'shared' : 'cvrTaken', (issues) => problemsFromIssues(issues, PROVIDER_FIELDS, PROVIDER_FIELDS.name));
    return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies ProviderResult;
  },
  lastMonth: async (event: Event) => {
    const lastMonth = text(await event.request.formData(), 'lastMonth', 20).trim();
    const field = PROVIDER_FIELDS.lastMonth;
    const problems: Problem[] = [];
    if (lastMonth !== '' && !isMonth(lastMonth)) problems.push({ fieldId: field.id, label: field.label, key: 'month' });
    else if (lastMonth !== '' && lastMonth < copenhagenMonth(new Date())) problems.push({ fieldId: field.id, label: field.label, key: 'lastMonthPast' });
    const base: ProviderResult = { form: 'lastMonth', ok: false, outcome: 'invalid', problems, values: { lastMonth } };
    if (problems.length) return invalid(base);
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].$patch({ ...providerApi(event), json: { lastMonth: lastMonth || null } }));
    if (!result.ok) return refused(result, base, 'closed', (issues) => problemsFromIssues(issues, PROVIDER_FIELDS, field));
    return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies ProviderResult;
  },
  rejoin: async (event: Event) => {
    const form = await event.request.formData();
    const rejoinFromMonth = text(form, 'rejoinFromMonth', 20).trim();
    const after = text(form, 'after', 20);
    const field = PROVIDER_FIELDS.rejoinFromMonth;
    const problems: Problem[] = [];
    if (rejoinFromMonth === '') problems.push({ fieldId: field.id, label: field.label, key: 'required' });
    else if (!isMonth(rejoinFromMonth)) problems.push({ fieldId: field.id, label: field.label, key: 'month' });
    else if (isMonth(after) && rejoinFromMonth <= after) problems.push({ fieldId: field.id, label: field.label, key: 'rejoinTooEarly' });
    const base: ProviderResult = { form: 'rejoin', ok: false, outcome: 'invalid', problems, values: { rejoinFromMonth } };
    if (problems.length) return invalid(base);
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].$patch({ ...providerApi(event), json: { rejoinFromMonth } }));
    if (!result.ok) return refused(result, base, 'notLeft', (issues) => problemsFromIssues(issues, PROVIDER_FIELDS, field));
    return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies ProviderResult;
  },
  checklist: async (event: Event) => {
    const values = readChecklist(await event.request.formData());
    const { input, problems } = checkChecklist(values);
    const base: ProviderResult = { form: 'checklist', ok: false, outcome: 'invalid', problems, values };
    if (!input) return invalid(base);
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].checklist.$put({ ...providerApi(event), json: input }));
    const fields = { interviewOn: { id: 'checklist-interview-on', label: 'admin.provider.interviewOn' }, interviewNotes: { id: 'checklist-interview-notes', label: 'admin.provider.interviewNotes' } } as const;
    if (!result.ok) return refused(result, base, 'failed', (issues) => problemsFromIssues(issues, fields, fields.interviewNotes));
    return { ...base, ok: true, outcome: 'saved', problems: [], values: null } satisfies ProviderResult;
  },
};
