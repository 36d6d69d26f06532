// A network's meetings: upcoming (soonest first) and past (newest first); the host plans new ones
// here; everyone can take the meetings into a calendar.
import { redirect } from '@sveltejs/kit';
import type { MeetingSummary } from '$wire/meetings.ts';
import { call, expectOk, segment } from '$lib/server/api.ts';
import { feedActions, planActions } from '$lib/meetings/plan.server.ts';
import { nextByCadence } from '$lib/meetings/cadence.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const param = { networkId: segment(event.params.networkId) };
  const [network, list] = await Promise.all([
    call(event, (api) => api.networks[':networkId'].$get({ param })).then(expectOk),
    call(event, (api) => api.networks[':networkId'].meetings.$get({ param })).then(expectOk),
  ]);
  const now = Date.now();
  // Still to come: planned or running, or cancelled but not yet due (so people see it is off).
  const isUpcoming = (m: MeetingSummary) => m.status === 'live' || m.status === 'planned' || (m.status === 'cancelled' && Date.parse(m.startsAt) > now);
  const upcoming = list.meetings.filter(isUpcoming).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const past = list.meetings.filter((m) => !isUpcoming(m)).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { network, upcoming, past, suggestedDate: nextByCadence(list.meetings, network.meetingCadenceMonths, new Date(now)) };
};

export const actions: Actions = { create: planActions.create, ...feedActions };
