// /api/networks/{networkId}/members: everyone in a network, changing and removing a membership.
import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { actingUser, pathParam, jsonBody, jsonContent, NetworkParams, newRouter, refusals, signedInRoute } from '../http/router.ts';
import { Member, UpdateMemberRequest } from '../wire/members.ts';
import { changeMember, listMembers, removeMember } from './memberships.ts';

const MemberParams = NetworkParams.extend({ userId: pathParam('userId') });

const list = signedInRoute('get', '/{networkId}/members', "Everyone in the network with role, status and last sign-in (a provider's administrator: their own provider's members)", {
  request: { params: NetworkParams },
  responses: {
    200: jsonContent(z.object({ members: z.array(Member) }), 'The members, oldest membership first'),
    ...refusals({ 401: 'Not signed in', 403: "Neither a host nor a provider's administrator in this network", 404: 'No such network' }),
  },
});

const update = signedInRoute('patch', '/{networkId}/members/{userId}', 'Change a membership: role, provider, provider administrator, deactivated; takes effect on open connections at once', {
  request: { params: MemberParams, body: jsonBody(UpdateMemberRequest) },
  responses: {
    200: jsonContent(Member, 'The member as now'),
    ...refusals({
      401: 'Not signed in',
      403: "Not allowed to change this membership this way (a provider's administrator: only plain members of their own provider)",
      404: 'No such network, member or provider',
      409: 'The last active host cannot be deactivated or given another role; the provider has left the network',
      422: 'The body is not valid',
    }),
  },
});

const remove = signedInRoute('delete', '/{networkId}/members/{userId}', "Remove a person's membership of this network (the account stays)", {
  request: { params: MemberParams },
  responses: {
    204: { description: 'Removed' },
    ...refusals({ 401: 'Not signed in', 403: 'Not allowed to remove this membership', 404: 'No such network or member', 409: 'The last active host cannot be removed' }),
  },
});

export function memberRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(list, async (c) => {
      const { networkId } = c.req.valid('param');
      return c.json({ members: await listMembers(ctx, actingUser(c), networkId) }, 200);
    })
    .openapi(update, async (c) => {
      const { networkId, userId } = c.req.valid('param');
      return c.json(await changeMember(ctx, live, actingUser(c), networkId, userId, c.req.valid('json')), 200);
    })
    .openapi(remove, async (c) => {
      const { networkId, userId } = c.req.valid('param');
      await removeMember(ctx, live, actingUser(c), networkId, userId);
      return c.body(null, 204);
    });
}
