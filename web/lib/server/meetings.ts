// Server-only: one meeting as the signed-in user may see it, and the form actions that publish,
// withdraw and hold method notes (each one API call through the bridge).
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { MeetingDetail, MeResponse, Role } from '$shared';
import { apiFetch, expectOk } from './api.ts';

/** What the page shows after an action: a catalogue key under `meeting.`, never the API's English text. */
export interface MeetingActionResult {
  ok: boolean;
  message: 'publishedOk' | 'withdrawnOk' | 'heldOk' | 'releasedOk' | 'actionForbidden' | 'publishConflict' | 'withdrawConflict' | 'holdConflict' | 'actionFailed';
}

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

export async function loadMeeting(event: Event, meetingId: string): Promise<MeetingDetail> {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  return expectOk(await apiFetch<MeetingDetail>(event, `/api/meetings/${encodeURIComponent(meetingId)}`));
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
  const meetingId = event.params.meetingId ?? '';
  const verb = publish ? 'publish' : 'withdraw';
  const result = await apiFetch<MeetingDetail>(event, `/api/meetings/${encodeURIComponent(meetingId)}/notes/${encodeURIComponent(providerId)}/${verb}`, { method: 'POST' });
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
    const meetingId = event.params.meetingId ?? '';
    const result = await apiFetch<MeetingDetail>(event, `/api/meetings/${encodeURIComponent(meetingId)}/notes/hold`, { method: 'POST', body: { held } });
    if (result.status === 401) redirect(303, '/login');
    if (!result.ok) return failure(result.status, 'holdConflict');
    return { ok: true, message: held ? 'heldOk' : 'releasedOk' } satisfies MeetingActionResult;
  },
};
