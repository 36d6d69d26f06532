// The members page: everyone in the network by organisation, the invitations, and inviting
// (hosts see all; a provider's administrator their own provider's staff; others are refused).
import { loadMembers, membersActions } from '$lib/server/members.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadMembers(event);

export const actions: Actions = membersActions;
