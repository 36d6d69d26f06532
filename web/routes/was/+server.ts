// /was: the accessibility statement at the short address Digitaliseringsstyrelsen asks for (www.domain.dk/was).
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => redirect(308, '/tilgaengelighed');
