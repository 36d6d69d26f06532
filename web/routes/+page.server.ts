// Home: the signed-in user's networks, each with its providers, next meeting and what the user may do.
import { redirect } from '@sveltejs/kit';
import type { NetworkDetail, NetworkSummary } from '$shared';
import { apiFetch, expectOk } from '$lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) redirect(303, '/login');
  const { networks } = expectOk(await apiFetch<{ networks: NetworkSummary[] }>(event, '/api/networks'));
  const details = await Promise.all(
    networks.map(async (n) => expectOk(await apiFetch<NetworkDetail>(event, `/api/networks/${encodeURIComponent(n.id)}`))),
  );
  return { networks: details };
};
