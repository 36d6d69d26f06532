// Commitment follow-up (opfølgning på tilsagn): each month the host records whether a provider kept
// each commitment of its contract; the provider sees its own records and responds. Viewers are refused (403).
import { commitmentActions, loadCommitments } from '$lib/server/commitments.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadCommitments(event);

export const actions: Actions = commitmentActions;
