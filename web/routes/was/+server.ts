// /was: the short address Digitaliseringsstyrelsen asks for, leading to the statement filed in its
// WAS-Tool when the deployment names one (ACCESSIBILITY_WAS_URL), else to our own statement page.
import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const answer = await call(event, (api) => api.accessibility.$get());
  const filed = answer.ok ? answer.data.wasUrl : null;
  if (filed) redirect(307, filed);
  redirect(308, '/tilgaengelighed');
};
