// Server-only: reading the archive (an archived meeting, search, a method note compared between two
// meetings) and adding an addendum. Reads answer null with a reason instead of failing the page.
import type { RequestEvent } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';
import { call, segment } from '$lib/server/api.ts';
import { formFailure, formProblem, formSuccess, formText, isCprIssue } from '$lib/server/meetings.ts';
import type { ArchiveSearchHit, ArchivedMeetingChoice, ArchivedMeetingView, NoteDiff } from './types.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'params'>;

/** Why a read of the archive found nothing to show, as a catalogue key under `archive.`. */
export type ArchiveGap = 'notArchived' | 'notShared' | 'noWords' | 'failed';

function gapOf(status: number, notFound: ArchiveGap): ArchiveGap {
  if (status === 401) redirect(303, '/login');
  if (status === 404) return notFound;
  if (status === 403) return 'notShared';
  if (status === 422) return 'noWords';
  return 'failed';
}

/** The network's closed meetings, newest first (to browse and to compare between). */
export async function closedMeetingsOf(event: Event, networkId: string): Promise<ArchivedMeetingChoice[]> {
  const result = await call(event, (api) => api.networks[':networkId'].meetings.$get({ param: { networkId: segment(networkId) } }));
  if (!result.ok) return [];
  return result.data.meetings
    .filter((m) => m.status === 'closed')
    .sort((a, b) => b.startsAt.localeCompare(a.startsAt))
    .map((m) => ({ id: m.id, title: m.title, startsAt: m.startsAt }));
}

export async function loadArchivedMeeting(event: Event, meetingId: string): Promise<{ archive: ArchivedMeetingView | null; gap: ArchiveGap | null }> {
  const result = await call(event, (api) => api.meetings[':meetingId'].archive.$get({ param: { meetingId: segment(meetingId) } }));
  return result.ok ? { archive: result.data, gap: null } : { archive: null, gap: gapOf(result.status, 'notArchived') };
}

export async function searchArchive(event: Event, networkId: string, q: string): Promise<{ hits: ArchiveSearchHit[]; gap: ArchiveGap | null }> {
  const result = await call(event, (api) => api.networks[':networkId'].archive.search.$get({ param: { networkId: segment(networkId) }, query: { q } }));
  return result.ok ? { hits: result.data.hits, gap: null } : { hits: [], gap: gapOf(result.status, 'failed') };
}

export async function compareNotes(event: Event, networkId: string, query: { providerId: string; from: string; to: string }): Promise<{ diff: NoteDiff | null; gap: ArchiveGap | null }> {
  const result = await call(event, (api) => api.networks[':networkId'].archive.diff.$get({ param: { networkId: segment(networkId) }, query }));
  return result.ok ? { diff: result.data, gap: null } : { diff: null, gap: gapOf(result.status, 'notArchived') };
}

export const archiveActions = {
  addendum: async (event: Event) => {
    const text = formText(await event.request.formData(), 'text').trim();
    const values = { text };
    if (text.length < 3 || text.length > 4000) return formProblem(422, 'addendum', 'meeting.fixFields', { fields: { 'addendum-text': 'archive.errAddendum' }, values });
    const result = await call(event, (api) => api.meetings[':meetingId'].addenda.$post({ param: { meetingId: segment(event.params.meetingId ?? '') }, json: { text } }));
    if (!result.ok) {
      return formFailure('addendum', result, {
        values,
        conflict: 'archive.addendumConflict',
        issues: (path, message) => (path === 'text' ? ['addendum-text', isCprIssue(message) ? 'live.errCpr' : 'archive.errAddendum'] : null),
      });
    }
    return formSuccess('addendum', 'archive.addendumAdded');
  },
};
