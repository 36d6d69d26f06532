// One provider's method note for a meeting, in the collaborative editor (read-only where the user may only read).
import { error } from '@sveltejs/kit';
import { loadMeeting, meetingActions, membershipOf, readOnlyReason } from '$lib/server/meetings.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const meeting = await loadMeeting(event, event.params.meetingId);
  const note = meeting.documents.methodNotes.find((n) => n.providerId === event.params.providerId);
  if (!note) error(404, { message: 'That provider is not part of this network.', code: 'not_found' });
  // Drafts and held notes of other providers are not even named to the caller.
  if (note.access === 'none' || note.name === null) error(403, { message: 'You may not read this method note.', code: 'forbidden' });
  const membership = membershipOf(event.locals.me, meeting.networkId);
  return {
    meeting,
    ...membership,
    document: {
      kind: 'methodNote' as const,
      name: note.name,
      access: note.access,
      cprFlaggedAt: note.cprFlaggedAt,
      providerId: note.providerId,
      providerName: note.providerName,
      published: note.published,
      publishedAt: note.publishedAt,
      readOnlyReason: readOnlyReason(meeting, membership.role, { kind: 'methodNote', providerId: note.providerId }),
    },
  };
};

export const actions: Actions = { publish: meetingActions.publish, withdraw: meetingActions.withdraw };
