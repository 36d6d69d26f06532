// Contracts: the host sees every provider's contract, registers and changes them (a change is a new
// version with a reason); a provider sees its own, read-only; viewers are refused (403).
import { contractActions, loadContracts } from '$lib/server/contracts.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadContracts(event);

export const actions: Actions = contractActions;
