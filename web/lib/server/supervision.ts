// Server-only: the supervision page as the signed-in user may see it (the host every visit, a
// provider its own) and its form actions, each one API call through the bridge.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { NetworkDetail } from '$wire/networks.ts';
import { copenhagenDate } from '$domain/time.ts';
import {
  checkFollowUp,
  checkText,
  checkVisit,
  OWNERS,
  problemsFromIssues,
  readFollowUp,
  readVisitForm,
  type FollowUpValues,
  type Problem,
  type VisitValues,
} from '$lib/supervision/visitForm.ts';
import { call, expectOk, formChoice, segment, type ApiClient, type ApiResult } from './api.ts';
import { loadNetwork } from './results.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

const networkParam = (event: Event) => ({ networkId: segment(event.params.networkId ?? '') });
const visitIn = (api: ApiClient) => api.networks[':networkId'].supervision[':visitId'];

export async function loadSupervision(event: Event) {
  const network = await loadNetwork(event);
  const { visits } = expectOk(await call(event, (api) => api.networks[':networkId'].supervision.$get({ param: networkParam(event) })));
  return { network, visits, today: copenhagenDate(new Date()) };
}

type Outcome = 'saved' | 'invalid' | 'forbidden' | 'gone' | 'failed';
interface Base {
  ok: boolean;
  message: Outcome;
  problems: Problem[];
}

/** What the page shows after a form was sent: which form, about which visit, and what became of it. */
export type SupervisionResult =
  | (Base & { form: 'log'; visitId: null; values: VisitValues | null })
  | (Base & { form: 'update'; visitId: string; values: { findings: string; status: string } | null })
  | (Base & { form: 'addFollowUp'; visitId: string; values: FollowUpValues | null })
  | (Base & { form: 'followUp'; visitId: string; values: null })
  | (Base & { form: 'respond'; visitId: string; values: { response: string } | null });

const field = (form: FormData, name: string, max = 100) => String(form.get(name) ?? '').slice(0, max);

/** The API's answer as the page's result: saved, or why not (field problems for a 422). */
function outcome<R extends SupervisionResult>(result: ApiResult<unknown>, saved: R, toProblems: (issues: Array<{ path: string; message: string }>) => Problem[]) {
  if (result.ok) return saved;
  if (result.status === 401) redirect(303, '/login');
  const message: Outcome = result.status === 422 ? 'invalid' : result.status === 403 ? 'forbidden' : result.status === 404 ? 'gone' : 'failed';
  const problems = result.status === 422 ? toProblems(result.error.issues ?? [{ path: '', message: result.error.message }]) : [];
  return fail(result.status >= 400 && result.status < 500 ? result.status : 503, { ...saved, ok: false, message, problems });
}

const invalid = <R extends SupervisionResult>(r: R) => fail(422, r);

export const supervisionActions = {
  log: async (event: Event) => {
    const values = readVisitForm(await event.request.formData());
    const { input, rows, problems } = checkVisit(values, copenhagenDate(new Date()));
    if (!input) return invalid({ form: 'log', visitId: null, ok: false, message: 'invalid', problems, values } satisfies SupervisionResult);
    const param = { ...networkParam(event), providerId: segment(values.providerId) };
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].supervision.$post({ param, json: input }));
    const saved: SupervisionResult = { form: 'log', visitId: null, ok: true, message: 'saved', problems: [], values: result.ok ? null : values };
    return outcome(result, saved, (issues) => problemsFromIssues(issues, { rows }));
  },
  update: async (event: Event) => {
    const form = await event.request.formData();
    const visitId = field(form, 'visitId');
    const values = { findings: field(form, 'findings', 20_000), status: field(form, 'status', 20) };
    const problems = checkText(values.findings, `update-${visitId}-findings`, 'findings');
    if (problems.length) return invalid({ form: 'update', visitId, ok: false, message: 'invalid', problems, values } satisfies SupervisionResult);
    const param = { ...networkParam(event), visitId: segment(visitId) };
    const json = { findings: values.findings.trim(), status: formChoice<'open' | 'closed'>(values.status) };
    const result = await call(event, (api) => visitIn(api).$patch({ param, json }));
    const saved: SupervisionResult = { form: 'update', visitId, ok: true, message: 'saved', problems: [], values: result.ok ? null : values };
    return outcome(result, saved, (issues) => problemsFromIssues(issues, { findings: `update-${visitId}-findings` }));
  },
  addFollowUp: async (event: Event) => {
    const form = await event.request.formData();
    const visitId = field(form, 'visitId');
    const values = readFollowUp(form, 'followUp');
    const prefix = `add-${visitId}`;
    const problems = checkFollowUp(values, field(form, 'visitDate', 20), prefix);
    // checkFollowUp has refused any other owner; `find` says so to the type-checker.
    const owner = OWNERS.find((o) => o === values.owner);
    if (problems.length || !owner) return invalid({ form: 'addFollowUp', visitId, ok: false, message: 'invalid', problems, values } satisfies SupervisionResult);
    const body = { addActions: [{ text: values.text.trim(), owner, dueDate: values.dueDate }] };
    const result = await call(event, (api) => visitIn(api).$patch({ param: { ...networkParam(event), visitId: segment(visitId) }, json: body }));
    const saved: SupervisionResult = { form: 'addFollowUp', visitId, ok: true, message: 'saved', problems: [], values: result.ok ? null : values };
    return outcome(result, saved, (issues) => problemsFromIssues(issues, { prefix }));
  },
  followUp: async (event: Event) => {
    const form = await event.request.formData();
    const visitId = field(form, 'visitId');
    const param = { ...networkParam(event), visitId: segment(visitId), actionId: segment(field(form, 'actionId')) };
    const json = { status: formChoice<'open' | 'done'>(field(form, 'status', 20)) };
    const result = await call(event, (api) => visitIn(api).actions[':actionId'].$patch({ param, json }));
    return outcome(result, { form: 'followUp', visitId, ok: true, message: 'saved', problems: [], values: null } satisfies SupervisionResult, (issues) => problemsFromIssues(issues, {}));
  },
  respond: async (event: Event) => {
    const form = await event.request.formData();
    const visitId = field(form, 'visitId');
    const values = { response: field(form, 'response', 20_000) };
    const fieldId = `response-${visitId}`;
    const problems = checkText(values.response, fieldId, 'response');
    if (problems.length) return invalid({ form: 'respond', visitId, ok: false, message: 'invalid', problems, values } satisfies SupervisionResult);
    const param = { ...networkParam(event), visitId: segment(visitId) };
    const result = await call(event, (api) => visitIn(api).response.$post({ param, json: { response: values.response.trim() } }));
    const saved: SupervisionResult = { form: 'respond', visitId, ok: true, message: 'saved', problems: [], values: result.ok ? null : values };
    return outcome(result, saved, (issues) => problemsFromIssues(issues, { response: fieldId }));
  },
};

/** For the home page: each network the user supervises, with its follow-ups past their due date. */
export async function overdueFollowUpsOf(event: Pick<RequestEvent, 'platform' | 'url' | 'request'>, networks: NetworkDetail[]) {
  return Promise.all(
    networks
      .filter((n) => n.capabilities.superviseProviders)
      .map(async (n) => {
        const result = await call(event, (api) => api.networks[':networkId'].supervision.overdue.$get({ param: { networkId: segment(n.id) } }));
        // The home page still shows when this one list cannot be had.
        return { networkId: n.id, networkName: n.name, followUps: result.ok ? result.data.followUps : [] };
      }),
  );
}
