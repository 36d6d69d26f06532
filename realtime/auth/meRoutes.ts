// GET /api/me: who the caller is and which networks they belong to, in which role.
import { createRoute } from '@hono/zod-openapi';
import { findUserById, membershipsOf } from '../../db/queries/users.ts';
import type { AppContext } from '../context.ts';
import { MeResponse } from '../wire/auth.ts';
import { bearerSecurity, jsonContent, newRouter, refusals, requireIdentity } from '../http/router.ts';

const me = createRoute({
  method: 'get',
  path: '/',
  summary: 'The signed-in user and their memberships',
  security: bearerSecurity,
  responses: { 200: jsonContent(MeResponse, 'The caller'), ...refusals({ 401: 'Not signed in' }) },
});

export async function meOf(ctx: AppContext, userId: string, via: MeResponse['via']): Promise<MeResponse> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new Error(`user ${userId} vanished`);
  const memberships = await membershipsOf(ctx.db, userId);
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    memberships: memberships.map((m) => ({ networkId: m.network_id, role: m.role, organisationId: m.organisation_id })),
    via,
  };
}

export function meRoutes(ctx: AppContext) {
  return newRouter().openapi(me, async (c) => {
    const identity = requireIdentity(c);
    return c.json(await meOf(ctx, identity.user.id, identity.via), 200);
  });
}
