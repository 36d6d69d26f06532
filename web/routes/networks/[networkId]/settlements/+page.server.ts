// Monthly settlement statements: the host picks a provider and approves finished months and adds
// correction lines; a provider sees its own; viewers are refused (403).
import { loadSettlements, settlementActions } from '$lib/server/contracts.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSettlements(event);

export const actions: Actions = settlementActions;
