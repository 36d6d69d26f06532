// Server-only: one meeting as the signed-in user may see it, the form actions that publish,
// withdraw and hold method notes (each one API call through the bridge), and how every meeting
// form reports back (MeetingFormResult), shared by the planning, live and archive actions.
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { MeResponse } from '$wire/auth.ts';
import type { Role } from '$wire/common.ts';
import type { MeetingDetail } from '$wire/meetings.ts';
import type { MessageKey } from '$lib/i18n/index.ts';
import { call, expectOk, segment, type ApiClient, type ApiResult } from './api.ts';

/** What the page shows after an action: a catalogue key under `meeting.`, never the API's English text. */
export interface MeetingActionResult {
  ok: boolean;
  message: 'publishedOk' | 'withdrawnOk' | 'heldOk' | 'releasedOk' | 'actionForbidden' | 'publishConflict' | 'withdrawConflict' | 'holdConflict' | 'actionFailed';
}

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

export async function loadMeeting(event: Event, meetingId: string): Promise<MeetingDetail> {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  return expectOk(await call(event, (api) => api.meetings[':meetingId'].$get({ param: { meetingId: segment(meetingId) } })));
}

/** The caller's role in the meeting's network and, for provider members, their organisation. */
export function membershipOf(me: MeResponse | null, networkId: string): { role: Role | null; organisationId: string | null } {
  const membership = me?.memberships.find((m) => m.networkId === networkId);
  return { role: membership?.role ?? null, organisationId: membership?.organisationId ?? null };
}

/** Why a readable document is not writable for this caller, as a catalogue key under `document.`. */
export function readOnlyReason(
  meeting: MeetingDetail,
  role: Role | null,
  document: { kind: 'minutes' } | { kind: 'methodNote'; providerId: string },
): 'reasonArchived' | 'reasonOtherProvider' | 'reasonHostNote' | 'reasonViewer' | 'reasonMinutes' {
  if (meeting.archived) return 'reasonArchived';
  if (role === 'viewer') return 'reasonViewer';
  if (document.kind === 'minutes') return 'reasonMinutes';
  return role === 'host' ? 'reasonHostNote' : 'reasonOtherProvider';
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : null;
};

function failure(status: number, conflict: MeetingActionResult['message']) {
  const message: MeetingActionResult['message'] = status === 403 ? 'actionForbidden' : status === 409 ? conflict : 'actionFailed';
  return fail(status === 401 ? 401 : status >= 400 && status < 500 ? status : 503, { ok: false, message } satisfies MeetingActionResult);
}

async function changePublication(event: Event, publish: boolean) {
  const form = await event.request.formData();
  const providerId = field(form, 'providerId');
  if (!providerId) return fail(400, { ok: false, message: 'actionFailed' } satisfies MeetingActionResult);
  const param = { meetingId: segment(event.params.meetingId ?? ''), providerId: segment(providerId) };
  const note = (api: ApiClient) => api.meetings[':meetingId'].notes[':providerId'];
  const result = await call(event, (api) => (publish ? note(api).publish.$post({ param }) : note(api).withdraw.$post({ param })));
  if (result.status === 401) redirect(303, '/login');
  if (!result.ok) return failure(result.status, publish ? 'publishConflict' : 'withdrawConflict');
  return { ok: true, message: publish ? 'publishedOk' : 'withdrawnOk' } satisfies MeetingActionResult;
}

/** The form actions of the meeting page and the document pages (they share the publish button). */
export const meetingActions = {
  publish: (event: Event) => changePublication(event, true),
  withdraw: (event: Event) => changePublication(event, false),
  hold: async (event: Event) => {
    const form = await event.request.formData();
    const held = form.get('held') === 'true';
    const param = { meetingId: segment(event.params.meetingId ?? '') };
    const result = await call(event, (api) => api.meetings[':meetingId'].notes.hold.$post({ param, json: { held } }));
    if (result.status === 401) redirect(303, '/login');
    if (!result.ok) return failure(result.status, 'holdConflict');
    return { ok: true, message: held ? 'heldOk' : 'releasedOk' } satisfies MeetingActionResult;
  },
};

/** The meeting forms beyond publishing; each result says which one it answers. */
export type MeetingForm =
  | 'create'
  | 'update'
  | 'agenda'
  | 'presenters'
  | 'cancel'
  | 'start'
  | 'advance'
  | 'entry'
  | 'entryStatus'
  | 'close'
  | 'addendum'
  | 'feed'
  | 'revokeFeed';

/** What a meeting form shows after it was sent: success or why not, as catalogue keys, never the API's English. */
export interface MeetingFormResult {
  form: MeetingForm;
  ok: boolean;
  message: MessageKey;
  /** Per field id: what is wrong with it. */
  fields?: Record<string, MessageKey>;
  /** What was typed, to put back after an error. */
  values?: Record<string, string>;
  /** The API asks the host to confirm starting more than a day before the planned date. */
  confirmEarly?: boolean;
  /** A new private calendar feed: shown once. */
  feed?: { id: string; url: string };
}

/** Maps one API issue (`path`, e.g. "agenda.2.title") to a form field id and its message, or null. */
export type IssueMapper = (path: string, message: string) => [string, MessageKey] | null;

export const formSuccess = (form: MeetingForm, message: MessageKey, extra: Partial<MeetingFormResult> = {}): MeetingFormResult => ({ form, ok: true, message, ...extra });

export function formProblem(status: number, form: MeetingForm, message: MessageKey, extra: Partial<MeetingFormResult> = {}): ActionFailure<MeetingFormResult> {
  return fail(status, { form, ok: false, message, ...extra });
}

/** An API refusal as the form shows it: sign-in again, not allowed, wrong state, or which fields to fix. */
export function formFailure(
  form: MeetingForm,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  options: { conflict?: MessageKey; issues?: IssueMapper; values?: Record<string, string> } = {},
): ActionFailure<MeetingFormResult> {
  if (result.status === 401) redirect(303, '/login');
  const extra = options.values ? { values: options.values } : {};
  if (result.status === 403) return formProblem(403, form, 'meeting.actionForbidden', extra);
  if (result.status === 404) return formProblem(404, form, 'meeting.notFound', extra);
  if (result.status === 409) return formProblem(409, form, options.conflict ?? 'meeting.actionFailed', extra);
  if (result.status === 422) {
    const fields: Record<string, MessageKey> = {};
    for (const issue of result.error.issues ?? []) {
      const mapped = options.issues?.(issue.path, issue.message);
      if (mapped && !fields[mapped[0]]) fields[mapped[0]] = mapped[1];
    }
    return formProblem(422, form, Object.keys(fields).length ? 'meeting.fixFields' : 'meeting.invalidInput', { ...extra, fields });
  }
  return formProblem(result.status >= 500 ? result.status : 503, form, 'meeting.actionFailed', extra);
}

/** A text field of a submitted form ('' when missing). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** The CPR refusal comes as a message on the field; it deserves its own words. */
export const isCprIssue = (message: string) => /CPR/i.test(message);
