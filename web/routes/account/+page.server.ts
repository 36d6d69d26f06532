// The account page: one's own name, language, password, sessions and API tokens.
import { accountActions, loadAccount } from '$lib/server/account.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadAccount(event);

export const actions: Actions = accountActions;
