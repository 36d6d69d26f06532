// Results: the honest leaderboard for a period, by programme, and survival curves; the host seals,
// reveals and sets the ranking here.
import { loadResults, resultsActions } from '$lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadResults(event);

export const actions: Actions = resultsActions;
