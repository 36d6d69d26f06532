// A network's providers: every member sees the list; the host adds providers and opens each one.
import { addProviderAction, loadProviders } from '$lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadProviders(event);

export const actions: Actions = { add: addProviderAction };
