// Creating a network: jobcenter staff (the host of some network) only; the new network's host is their jobcenter.
import { createNetworkAction, loadNewNetwork } from '$lib/server/admin.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadNewNetwork(event);

export const actions: Actions = { default: createNetworkAction };
