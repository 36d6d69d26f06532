// One provider of a network: its organisation, its periods, its joining checklist (host; a provider
// administrator may edit its own organisation's name and CVR).
import { loadProvider, providerActions } from '$lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadProvider(event);

export const actions: Actions = providerActions;
