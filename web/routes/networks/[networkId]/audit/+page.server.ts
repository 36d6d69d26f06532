// The audit log for the host, each entry a sentence in the reader's language: newest first a page at
// a time, filtered by period, person, action and kind of subject, with the same filters for the CSV
// export. Others are refused (403).
import { call, expectOk, segment } from '$lib/server/api.ts';
import { loadNetwork } from '$lib/server/results.ts';
import type { PageServerLoad } from './$types';

const FILTERS = ['from', 'to', 'actor', 'action', 'subjectType'] as const;
/** A filter the API refused, by parameter; no message means the period is reversed. */
type FilterProblem = { path: string; message: string | null };

export const load: PageServerLoad = async (event) => {
  const network = await loadNetwork(event);
  const query = event.url.searchParams;
  const filters = Object.fromEntries(FILTERS.map((f) => [f, (query.get(f) ?? '').slice(0, 100)])) as Record<(typeof FILTERS)[number], string>;
  const cursor = (query.get('cursor') ?? '').slice(0, 300);
  // Said here in the page's language; the API would refuse it too, in English.
  if (filters.from && filters.to && filters.to < filters.from) return { network, filters, cursor, page: null, problems: [{ path: 'to', message: null }] as FilterProblem[] };
  const given = Object.fromEntries(Object.entries({ ...filters, cursor }).filter(([, v]) => v !== ''));
  const result = await call(event, (api) => api.networks[':networkId'].audit.$get({ param: { networkId: segment(network.id) }, query: { ...given, locale: event.locals.locale } }));
  // A bad filter is the user's to fix on the page, not an error page.
  if (!result.ok && result.status === 422) {
    const problems: FilterProblem[] = result.error.issues ?? [{ path: '', message: result.error.message }];
    return { network, filters, cursor, page: null, problems };
  }
  return { network, filters, cursor, page: expectOk(result), problems: [] as FilterProblem[] };
};
