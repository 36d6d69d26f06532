// Supervision (tilsyn): the host logs visits and follow-ups and sees every provider's; a provider
// sees its own visits and answers them. Viewers are refused (403).
import { loadSupervision, supervisionActions } from '$lib/server/supervision.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSupervision(event);

export const actions: Actions = supervisionActions;
