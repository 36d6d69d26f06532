// The network's archive: closed meetings newest first, full-text search across them, and a
// provider's method note compared between two meetings. Search and compare are GET forms, so their
// results have addresses one can share and go back to.
import { redirect } from '@sveltejs/kit';
import { call, expectOk, segment } from '$lib/server/api.ts';
import { closedMeetingsOf, compareNotes, searchArchive } from '$lib/meetings/archive.server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const networkId = event.params.networkId;
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  const compare = { providerId: params.get('providerId') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' };
  const comparing = Boolean(compare.providerId && compare.from && compare.to);
  const [network, meetings, search, diff] = await Promise.all([
    call(event, (api) => api.networks[':networkId'].$get({ param: { networkId: segment(networkId) } })).then(expectOk),
    closedMeetingsOf(event, networkId),
    q ? searchArchive(event, networkId, q) : null,
    comparing ? compareNotes(event, networkId, compare) : null,
  ]);
  return { network, meetings, q, search, compare: comparing ? compare : null, diff };
};
