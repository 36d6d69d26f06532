// Home: the signed-in user's networks, each with its providers, next meeting and what the user may do.
import { redirect } from '@sveltejs/kit';
import { call, expectOk, segment } from '$lib/server/api.ts';
import { overdueFollowUpsOf } from '$lib/server/supervision.ts';
import { deadlinesOf, inboxOf, readNotification } from '$lib/server/deadlines.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) redirect(303, '/login');
  const { networks } = expectOk(await call(event, (api) => api.networks.$get()));
  const details = await Promise.all(
    networks.map(async (n) => expectOk(await call(event, (api) => api.networks[':networkId'].$get({ param: { networkId: segment(n.id) } })))),
  );
  const [overdueReports, notifications] = await Promise.all([deadlinesOf(event, details), inboxOf(event)]);
  return { networks: details, overdueReports, notifications, overdueFollowUps: await overdueFollowUpsOf(event, details) };
};

export const actions: Actions = { readNotification };
