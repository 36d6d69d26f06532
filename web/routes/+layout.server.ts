// Every page gets the language, the signed-in user (or null) that hooks.server.ts resolved, and the
// networks the user takes part in now (names and roles, for the network switcher in the header).
import { call } from '$lib/server/api.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const { locals } = event;
  // Only active memberships: GET /api/networks answers from the caller's access, not the account's history.
  const answer = locals.me ? await call(event, (api) => api.networks.$get()) : null;
  const networks = answer?.ok ? answer.data.networks.map((n) => ({ id: n.id, name: n.name, role: n.role })) : [];
  return { locale: locals.locale, me: locals.me, networks };
};
