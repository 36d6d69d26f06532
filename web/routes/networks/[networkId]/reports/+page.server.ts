// Monthly reports: a provider enters and corrects its own months (the host any provider's), sees
// every version, and imports months and course records from files. Viewers are refused (403).
import { loadReports, reportActions } from '$lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadReports(event);

export const actions: Actions = reportActions;
