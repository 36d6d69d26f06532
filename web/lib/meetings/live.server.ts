// Server-only: the host's controls while the meeting runs (advance, record a decision or an action
// item, close) and marking action items done. Screens follow through `meeting:state`, not these replies.
import type { RequestEvent } from '@sveltejs/kit';
import { call, segment, type ApiClient } from '$lib/server/api.ts';
import { formFailure, formProblem, formSuccess, formText, isCprIssue, type IssueMapper } from '$lib/server/meetings.ts';
import type { MessageKey } from '$lib/i18n/index.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'params'>;

const meetingParam = (event: Event) => ({ meetingId: segment(event.params.meetingId ?? '') });
const meetingIn = (api: ApiClient) => api.meetings[':meetingId'];

const entryIssues: IssueMapper = (path, message) => {
  if (path === 'text') return ['entry-text', isCprIssue(message) ? 'live.errCpr' : 'live.errEntryText'];
  if (path === 'owner') return ['entry-owner', isCprIssue(message) ? 'live.errCpr' : 'live.errOwner'];
  if (path === 'dueDate') return ['entry-due', 'live.errDueDate'];
  return null;
};

const ENTRY_KINDS = ['decision', 'action'] as const;

export const liveActions = {
  advance: async (event: Event) => {
    const form = await event.request.formData();
    const step = formText(form, 'step');
    const body = step === 'previous' ? { direction: 'previous' as const } : step === 'presenter' ? { presenter: 'next' } : {};
    const result = await call(event, (api) => meetingIn(api).advance.$post({ param: meetingParam(event), json: body }));
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
    const kind = ENTRY_KINDS.find((k) => k === values.kind);
    if (!kind) fields['entry-kind'] = 'live.errKind';
    if (values.text.length < 2 || values.text.length > 2000) fields['entry-text'] = 'live.errEntryText';
    if (values.owner.length > 200) fields['entry-owner'] = 'live.errOwner';
    if (values.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(values.dueDate)) fields['entry-due'] = 'live.errDueDate';
    if (!kind || Object.keys(fields).length) return formProblem(422, 'entry', 'meeting.fixFields', { fields, values });
    const body = { kind, text: values.text, owner: values.owner || null, dueDate: values.dueDate || null };
    const result = await call(event, (api) => meetingIn(api).entries.$post({ param: meetingParam(event), json: body }));
    if (!result.ok) return formFailure('entry', result, { issues: entryIssues, values, conflict: 'live.notRunning' });
    return formSuccess('entry', values.kind === 'decision' ? 'live.decisionRecorded' : 'live.actionRecorded');
  },

  entryStatus: async (event: Event) => {
    const form = await event.request.formData();
    const entryId = formText(form, 'entryId');
    const status = formText(form, 'status') === 'open' ? 'open' : 'done';
    if (!entryId || entryId.length > 100) return formProblem(400, 'entryStatus', 'meeting.actionFailed');
    const param = { ...meetingParam(event), entryId: segment(entryId) };
    const result = await call(event, (api) => meetingIn(api).entries[':entryId'].status.$post({ param, json: { status } }));
    if (!result.ok) return formFailure('entryStatus', result, { conflict: 'meeting.planConflict' });
    return formSuccess('entryStatus', status === 'done' ? 'live.markedDone' : 'live.markedOpen');
  },

  close: async (event: Event) => {
    const result = await call(event, (api) => meetingIn(api).close.$post({ param: meetingParam(event) }));
    if (!result.ok) return formFailure('close', result, { conflict: 'live.closeConflict' });
    return formSuccess('close', 'live.closedOk');
  },
};
