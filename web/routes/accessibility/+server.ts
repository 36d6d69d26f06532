// /accessibility: the accessibility statement at an address English readers guess.
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => redirect(308, '/tilgaengelighed');
