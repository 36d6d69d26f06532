// The accessibility statement: public, with the deployment's authority, contact and assessment date.
import { call, expectOk } from '$lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const facts = expectOk(await call(event, (api) => api.accessibility.$get()));
  return { facts, site: event.url.origin };
};
