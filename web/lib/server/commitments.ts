// Server-only: one provider's commitments for a month as the signed-in user may see them (the host
// any provider's, a provider its own) and the page's two form actions, record and respond, each one
// API call through the bridge. Most mistakes are caught here first, in the supervision forms' terms.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { CommitmentRecordInput } from '$wire/commitments.ts';
import type { NetworkDetail } from '$wire/networks.ts';
import { copenhagenMonth, isMonth } from '$domain/time.ts';
import { containsCpr } from '$domain/cpr.ts';
import { commitmentFieldId, STATUSES, type CommitmentProblem } from '$lib/commitments/problems.ts';
import { checkText, problemsFromIssues } from '$lib/supervision/visitForm.ts';
import { call, expectOk, segment, type ApiClient, type ApiResult } from './api.ts';
import { loadNetwork } from './results.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;
type Issues = Array<{ path: string; message: string }>;

/** One provider's commitments in a network, in the typed client. */
const commitmentsOf = (api: ApiClient) => api.networks[':networkId'].providers[':providerId'].commitments;

/**
 * Whose commitments the page shows: the host's pick (default the first provider); a provider's own,
 * unless it asks for another's, which the API refuses. Viewers are refused here.
 */
function providerFor(network: NetworkDetail, requested: string | null): string {
  const caps = network.capabilities;
  if (caps.superviseProviders) {
    const id = network.providers.find((p) => p.id === requested)?.id ?? network.providers[0]?.id;
    if (!id) error(404, { message: 'The network has no providers yet.', code: 'not_found' });
    return id;
  }
  if (caps.ownProviderId) return requested || caps.ownProviderId;
  error(403, { message: "A provider's commitment records are for the jobcenter and the provider itself, not for viewers.", code: 'forbidden' });
}

export async function loadCommitments(event: Event) {
  const network = await loadNetwork(event);
  const providerId = providerFor(network, event.url.searchParams.get('provider'));
  const currentMonth = copenhagenMonth(new Date());
  const asked = event.url.searchParams.get('month');
  const month = isMonth(asked) ? asked : currentMonth;
  const param = { networkId: segment(network.id), providerId: segment(providerId) };
  const commitments = expectOk(await call(event, (api) => commitmentsOf(api).$get({ param, query: { month } })));
  return { network, providerId, month, currentMonth, monthProblem: Boolean(asked) && !isMonth(asked), commitments };
}

type Outcome = 'saved' | 'invalid' | 'forbidden' | 'gone' | 'conflict' | 'notRecorded' | 'failed';
interface Base {
  commitmentId: string;
  ok: boolean;
  message: Outcome;
  problems: CommitmentProblem[];
}
export interface RecordValues {
  status: string;
  note: string;
}

/** What the page shows after a form was sent: which form, about which commitment, and what became of it. */
export type CommitmentResult = (Base & { form: 'record'; values: RecordValues | null }) | (Base & { form: 'respond'; values: { response: string } | null });

/** The record a form is about, from its hidden fields, and its path parameters. */
function recordOf(event: Event, form: FormData) {
  const field = (name: string) => String(form.get(name) ?? '').slice(0, 100);
  const commitmentId = field('commitmentId');
  const param = { networkId: segment(event.params.networkId ?? ''), providerId: segment(field('providerId')), commitmentId: segment(commitmentId), month: segment(field('month')) };
  return { commitmentId, param };
}
const recordIn = (api: ApiClient) => commitmentsOf(api)[':commitmentId'][':month'];

const REFUSED: Record<number, Outcome> = { 403: 'forbidden', 404: 'gone', 422: 'invalid' };

/** The API's answer to a send: the result as sent, or why it was refused (field problems for a 422). */
function answered<R extends CommitmentResult>(result: ApiResult<unknown>, sent: R, toProblems: (issues: Issues) => CommitmentProblem[]) {
  if (result.ok) return { ...sent, values: null };
  if (result.status === 401) redirect(303, '/login');
  const conflict: Outcome = sent.form === 'record' ? 'conflict' : 'notRecorded';
  const message = result.status === 409 ? conflict : (REFUSED[result.status] ?? 'failed');
  const problems = message === 'invalid' ? toProblems(result.error.issues ?? [{ path: '', message: result.error.message }]) : [];
  return fail(message === 'failed' ? 503 : result.status, { ...sent, ok: false, message, problems });
}

/** The record's API body, or what is wrong with it: a verdict, and a note unless the commitment was met. */
function checkRecord(values: RecordValues, commitmentId: string): { input: CommitmentRecordInput | null; problems: CommitmentProblem[] } {
  const status = STATUSES.find((s) => s === values.status);
  const note = values.note.trim();
  const noteId = commitmentFieldId(commitmentId, 'note');
  const problems: CommitmentProblem[] = [];
  if (!status) problems.push({ fieldId: commitmentFieldId(commitmentId, 'status'), field: 'status', key: 'required' });
  if (status && status !== 'met' && note.length < 3) problems.push({ fieldId: noteId, field: 'note', key: 'tooShort' });
  else if (containsCpr(note)) problems.push({ fieldId: noteId, field: 'note', key: 'cpr' });
  return { input: status && !problems.length ? { status, note } : null, problems };
}

/** The API's issues with a record (`status`, `note`) on the record form's fields. */
function recordProblems(issues: Issues, commitmentId: string): CommitmentProblem[] {
  return issues.map(({ path, message }) => {
    const key = /CPR/.test(message) ? 'cpr' : 'server';
    if (path === 'status' || path === 'note') return { fieldId: commitmentFieldId(commitmentId, path), field: path, key, message };
    return { fieldId: '', key: 'server', message: path ? `${path}: ${message}` : message };
  });
}

export const commitmentActions = {
  record: async (event: Event) => {
    const form = await event.request.formData();
    const { commitmentId, param } = recordOf(event, form);
    const values: RecordValues = { status: String(form.get('status') ?? '').slice(0, 20), note: String(form.get('note') ?? '').slice(0, 10_000) };
    const sent: CommitmentResult = { form: 'record', commitmentId, ok: true, message: 'saved', problems: [], values };
    const { input, problems } = checkRecord(values, commitmentId);
    if (!input) return fail(422, { ...sent, ok: false, message: 'invalid', problems } satisfies CommitmentResult);
    return answered(await call(event, (api) => recordIn(api).$put({ param, json: input })), sent, (issues) => recordProblems(issues, commitmentId));
  },
  respond: async (event: Event) => {
    const form = await event.request.formData();
    const { commitmentId, param } = recordOf(event, form);
    const values = { response: String(form.get('response') ?? '').slice(0, 10_000) };
    const fieldId = commitmentFieldId(commitmentId, 'response');
    const sent: CommitmentResult = { form: 'respond', commitmentId, ok: true, message: 'saved', problems: [], values };
    const problems = checkText(values.response, fieldId, 'response');
    if (problems.length) return fail(422, { ...sent, ok: false, message: 'invalid', problems } satisfies CommitmentResult);
    const result = await call(event, (api) => recordIn(api).response.$post({ param, json: { response: values.response.trim() } }));
    return answered(result, sent, (issues) => problemsFromIssues(issues, { response: fieldId }));
  },
};
