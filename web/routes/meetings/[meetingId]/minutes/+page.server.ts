// A meeting's minutes in the collaborative editor: the host writes, everyone else reads along.
import { error } from '@sveltejs/kit';
import { loadMeeting, membershipOf, readOnlyReason } from '$lib/server/meetings.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const meeting = await loadMeeting(event, event.params.meetingId);
  const minutes = meeting.documents.minutes;
  if (minutes.access === 'none') error(403, { message: 'You may not read these minutes.', code: 'forbidden' });
  const membership = membershipOf(event.locals.me, meeting.networkId);
  return {
    meeting,
    ...membership,
    document: {
      kind: 'minutes' as const,
      name: minutes.name,
      access: minutes.access,
      cprFlaggedAt: minutes.cprFlaggedAt,
      readOnlyReason: readOnlyReason(meeting, membership.role, { kind: 'minutes' }),
    },
  };
};
