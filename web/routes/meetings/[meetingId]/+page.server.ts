// A meeting: facts, agenda, the minutes and each provider's method note with what the user may do.
import { loadMeeting, meetingActions, membershipOf } from '$lib/server/meetings.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const meeting = await loadMeeting(event, event.params.meetingId);
  return { meeting, ...membershipOf(event.locals.me, meeting.networkId) };
};

export const actions: Actions = meetingActions;
