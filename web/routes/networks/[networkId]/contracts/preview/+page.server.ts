// Settlement preview (host): terms and one course in, the amount and its explanation out.
import { loadPreview, previewActions } from '$lib/server/contracts.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadPreview(event);

export const actions: Actions = previewActions;
