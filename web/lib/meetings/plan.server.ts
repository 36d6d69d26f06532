// Server-only: the host's planning forms (create, reschedule, agenda, presenter order, cancel,
// start) and private calendar feeds. Each is one API call; refusals become catalogue keys.
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { call, segment, type ApiClient } from '$lib/server/api.ts';
import { formFailure, formProblem, formSuccess, formText, type IssueMapper } from '$lib/server/meetings.ts';
import type { MessageKey } from '$lib/i18n/index.ts';
import { copenhagenIso } from '$domain/time.ts';
import type { PreparationBoard } from './types.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'params'>;

const meetingParam = (event: Event) => ({ meetingId: segment(event.params.meetingId ?? '') });
const networkParam = (event: Event) => ({ networkId: segment(event.params.networkId ?? '') });
const meetingIn = (api: ApiClient) => api.meetings[':meetingId'];

/** The meeting's when-and-where fields, as typed; shared by the create and reschedule forms. */
function readSchedule(form: FormData) {
  const values = {
    title: formText(form, 'title').trim(),
    date: formText(form, 'date'),
    time: formText(form, 'time'),
    duration: formText(form, 'duration').trim(),
    location: formText(form, 'location').trim(),
  };
  const fields: Record<string, MessageKey> = {};
  if (values.title.length < 3 || values.title.length > 200) fields.title = 'meeting.errTitle';
  const startsAt = copenhagenIso(values.date, values.time);
  if (!startsAt) fields.date = 'meeting.errDateTime';
  const duration = Number(values.duration);
  if (!Number.isInteger(duration) || duration < 15 || duration > 24 * 60) fields.duration = 'meeting.errDuration';
  if (values.location.length > 500) fields.location = 'meeting.errLocation';
  const body = { title: values.title, startsAt: startsAt ?? '', durationMinutes: duration, location: values.location || null };
  return { values, fields, body };
}

const scheduleIssues: IssueMapper = (path) => {
  if (path === 'title') return ['title', 'meeting.errTitle'];
  if (path === 'startsAt') return ['date', 'meeting.errDateTime'];
  if (path === 'durationMinutes') return ['duration', 'meeting.errDuration'];
  if (path === 'location') return ['location', 'meeting.errLocation'];
  return null;
};

const agendaIssues: IssueMapper = (path) => {
  const m = /^agenda\.(\d+)\.(title|minutes|providerId)$/.exec(path);
  if (!m) return null;
  const key: Record<string, MessageKey> = { title: 'meeting.errAgendaTitle', minutes: 'meeting.errAgendaMinutes', providerId: 'meeting.errAgendaProvider' };
  return [`agenda-${m[1]}-${m[2]}`, key[m[2]]];
};

/** The preparation board for the host (every provider) or a provider (itself); null for viewers or on error. */
export async function loadPreparation(event: Event, meetingId: string): Promise<PreparationBoard | null> {
  const result = await call(event, (api) => meetingIn(api).preparation.$get({ param: { meetingId: segment(meetingId) } }));
  return result.ok ? result.data : null;
}

export const planActions = {
  create: async (event: Event) => {
    const { values, fields, body } = readSchedule(await event.request.formData());
    if (Object.keys(fields).length) return formProblem(422, 'create', 'meeting.fixFields', { fields, values });
    const result = await call(event, (api) => api.networks[':networkId'].meetings.$post({ param: networkParam(event), json: body }));
    if (!result.ok) return formFailure('create', result, { issues: scheduleIssues, values });
    redirect(303, `/meetings/${encodeURIComponent(result.data.id)}?created=1`);
  },

  update: async (event: Event) => {
    const { values, fields, body } = readSchedule(await event.request.formData());
    if (Object.keys(fields).length) return formProblem(422, 'update', 'meeting.fixFields', { fields, values });
    const result = await call(event, (api) => meetingIn(api).$patch({ param: meetingParam(event), json: body }));
    if (!result.ok) return formFailure('update', result, { issues: scheduleIssues, values, conflict: 'meeting.planConflict' });
    return formSuccess('update', 'meeting.updatedOk');
  },

  agenda: async (event: Event) => {
    // One row per item in page order: parallel inputs, so moving rows in the page is the reorder.
    const form = await event.request.formData();
    const all = (name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));
    const titles = all('itemTitle');
    const providers = all('itemProvider');
    const minutes = all('itemMinutes');
    const fields: Record<string, MessageKey> = {};
    const agenda = titles.map((title, i) => {
      const m = (minutes[i] ?? '').trim();
      const n = Number(m);
      if (m !== '' && (!Number.isInteger(n) || n < 1 || n > 600)) fields[`agenda-${i}-minutes`] = 'meeting.errAgendaMinutes';
      if (title.trim() === '') fields[`agenda-${i}-title`] = 'meeting.errAgendaTitle';
      return { title: title.trim(), providerId: providers[i] || null, minutes: m === '' ? null : n };
    });
    if (Object.keys(fields).length) return formProblem(422, 'agenda', 'meeting.fixFields', { fields });
    const result = await call(event, (api) => meetingIn(api).agenda.$put({ param: meetingParam(event), json: { agenda } }));
    if (!result.ok) return formFailure('agenda', result, { issues: agendaIssues, conflict: 'meeting.agendaConflict' });
    return formSuccess('agenda', 'meeting.agendaSaved');
  },

  presenters: async (event: Event) => {
    const order = (await event.request.formData()).getAll('order').filter((v): v is string => typeof v === 'string' && v.length > 0);
    const result = await call(event, (api) => meetingIn(api).presenters.$post({ param: meetingParam(event), json: { order } }));
    if (!result.ok) return formFailure('presenters', result, { conflict: 'meeting.planConflict' });
    return formSuccess('presenters', 'meeting.presentersSaved');
  },

  cancel: async (event: Event) => {
    const result = await call(event, (api) => meetingIn(api).cancel.$post({ param: meetingParam(event) }));
    if (!result.ok) return formFailure('cancel', result, { conflict: 'meeting.cancelConflict' });
    return formSuccess('cancel', 'meeting.cancelledOk');
  },

  start: async (event: Event) => {
    // The second press, after the page asked: "start it anyway, though it is planned for later".
    const confirmEarly = formText(await event.request.formData(), 'confirmEarly') === 'true';
    const result = await call(event, (api) => meetingIn(api).start.$post({ param: meetingParam(event), json: confirmEarly ? { confirmEarly } : {} }));
    if (!result.ok && result.error.code === 'confirmation_required') return formProblem(409, 'start', 'meeting.startEarlyHeading', { confirmEarly: true });
    if (!result.ok) return formFailure('start', result, { conflict: 'meeting.startConflict' });
    return formSuccess('start', 'meeting.startedOk');
  },
};

export const feedActions = {
  createFeed: async (event: Event) => {
    const result = await call(event, (api) => api.networks[':networkId'].calendar.feeds.$post({ param: networkParam(event) }));
    if (!result.ok) return formFailure('feed', result);
    return formSuccess('feed', 'meeting.feedCreated', { feed: result.data });
  },

  revokeFeed: async (event: Event) => {
    const form = await event.request.formData();
    const feedId = formText(form, 'feedId');
    if (!feedId || feedId.length > 100) return formProblem(400, 'revokeFeed', 'meeting.actionFailed');
    const param = { ...networkParam(event), feedId: segment(feedId) };
    const result = await call(event, (api) => api.networks[':networkId'].calendar.feeds[':feedId'].$delete({ param }));
    if (!result.ok) {
      // Keep the address on the page: without its id the user could not try again.
      const failure = formFailure('revokeFeed', result);
      failure.data.feed = { id: feedId, url: formText(form, 'feedUrl') };
      return failure;
    }
    return formSuccess('revokeFeed', 'meeting.feedRevoked');
  },
};
