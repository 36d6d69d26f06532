// One network's own page (where the network switcher leads): its facts, next meeting, providers and links.
import { loadNetwork } from '$lib/server/results.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ network: await loadNetwork(event) });
