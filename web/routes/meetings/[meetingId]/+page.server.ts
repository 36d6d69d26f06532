// A meeting in each of its states: planned (the host prepares it, providers see their preparation),
// live (everyone follows; the host runs it), closed (the archived record), cancelled.
import { loadMeeting, meetingActions, membershipOf } from '$lib/server/meetings.ts';
import { loadPreparation, planActions } from '$lib/meetings/plan.server.ts';
import { liveActions } from '$lib/meetings/live.server.ts';
import { archiveActions, closedMeetingsOf, loadArchivedMeeting } from '$lib/meetings/archive.server.ts';
import { call, segment } from '$lib/server/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const meeting = await loadMeeting(event, event.params.meetingId);
  const membership = membershipOf(event.locals.me, meeting.networkId);
  const closed = meeting.status === 'closed';
  const [preparation, archived, archivedMeetings, board] = await Promise.all([
    meeting.status === 'planned' && membership.role && membership.role !== 'viewer' ? loadPreparation(event, meeting.id) : null,
    closed ? loadArchivedMeeting(event, meeting.id) : null,
    closed ? closedMeetingsOf(event, meeting.networkId) : [],
    // While the meeting runs, the presenter's figures are shown beside their note.
    meeting.status === 'live'
      ? call(event, (api) => api.networks[':networkId'].leaderboard.$get({ param: { networkId: segment(meeting.networkId) }, query: {} })).then((r) => (r.ok ? r.data : null))
      : null,
  ]);
  return {
    meeting,
    ...membership,
    preparation,
    archive: archived?.archive ?? null,
    archiveGap: archived?.gap ?? null,
    archivedMeetings,
    board,
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = { ...meetingActions, ...planActions, ...liveActions, ...archiveActions };
