// Server-only: the host's controls while the meeting runs (advance, record a decision or an action
// item, close) and marking action items done. Screens follow through `meeting:state`, not these replies.
import type { RequestEvent } from '@sveltejs/kit';
import type { MeetingDetail, MeetingEntry } from '$shared';
import { apiFetch } from '$lib/server/api.ts';
import { formFailure, formProblem, formSuccess, formText, isCprIssue, type IssueMapper } from '$lib/server/meetings.ts';
import type { MessageKey } from '$lib/i18n/index.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'params'>;

const meetingPath = (event: Event, rest = '') => `/api/meetings/${encodeURIComponent(event.params.meetingId ?? '')}${rest}`;

const entryIssues: IssueMapper = (path, message) => {
  if (path === 'text') return ['entry-text', isCprIssue(message) ? 'live.errCpr' : 'live.errEntryText'];
  if (path === 'owner') return ['entry-owner', isCprIssue(message) ? 'live.errCpr' : 'live.errOwner'];
  if (path === 'dueDate') return ['entry-due', 'live.errDueDate'];
  return null;
};

export const liveActions = {
  advance: async (event: Event) => {
    const form = await event.request.formData();
    const step = formText(form, 'step');
    const body = step === 'previous' ? { direction: 'previous' } : step === 'presenter' ? { presenter: 'next' } : {};
    const result = await apiFetch<MeetingDetail>(event, meetingPath(event, '/advance'), { method: 'POST', body });
    if (!result.ok) {
      const conflict: MessageKey = step === 'previous' ? 'live.atFirstItem' : step === 'presenter' ? 'live.advanceConflict' : 'live.atLastItem';
      return formFailure('advance', result, { conflict });
    }
    return formSuccess('advance', 'live.advancedOk');
  },

  entry: async (event: Event) => {
    const form = await event.request.formData();
    const values = { kind: formText(form, 'kind'), text: formText(form, 'text').trim(), owner: formText(form, 'owner').trim(), dueDate: formText(form, 'dueDate') };
    const fields: Record<string, MessageKey> = {};
    if (values.kind !== 'decision' && values.kind !== 'action') fields['entry-kind'] = 'live.errKind';
    if (values.text.length < 2 || values.text.length > 2000) fields['entry-text'] = 'live.errEntryText';
    if (values.owner.length > 200) fields['entry-owner'] = 'live.errOwner';
    if (values.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(values.dueDate)) fields['entry-due'] = 'live.errDueDate';
    if (Object.keys(fields).length) return formProblem(422, 'entry', 'meeting.fixFields', { fields, values });
    const body = { kind: values.kind, text: values.text, owner: values.owner || null, dueDate: values.dueDate || null };
    const result = await apiFetch<MeetingEntry>(event, meetingPath(event, '/entries'), { method: 'POST', body });
    if (!result.ok) return formFailure('entry', result, { issues: entryIssues, values, conflict: 'live.notRunning' });
    return formSuccess('entry', values.kind === 'decision' ? 'live.decisionRecorded' : 'live.actionRecorded');
  },

  entryStatus: async (event: Event) => {
    const form = await event.request.formData();
    const entryId = formText(form, 'entryId');
    const status = formText(form, 'status') === 'open' ? 'open' : 'done';
    if (!entryId || entryId.length > 100) return formProblem(400, 'entryStatus', 'meeting.actionFailed');
    const result = await apiFetch<MeetingEntry>(event, meetingPath(event, `/entries/${encodeURIComponent(entryId)}/status`), { method: 'POST', body: { status } });
    if (!result.ok) return formFailure('entryStatus', result, { conflict: 'meeting.planConflict' });
    return formSuccess('entryStatus', status === 'done' ? 'live.markedDone' : 'live.markedOpen');
  },

  close: async (event: Event) => {
    const result = await apiFetch<MeetingDetail>(event, meetingPath(event, '/close'), { method: 'POST' });
    if (!result.ok) return formFailure('close', result, { conflict: 'live.closeConflict' });
    return formSuccess('close', 'live.closedOk');
  },
};
