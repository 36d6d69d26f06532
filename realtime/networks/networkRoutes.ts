// /api/networks: the networks the caller belongs to, one network with its providers; creating a
// network (jobcenter staff) and changing its settings (its host).
import { z } from '@hono/zod-openapi';
import { can, capabilitiesIn, membershipIn, type Actor } from '../../domain/access.ts';
import type { NetworkRow, OrganisationRow } from '../../db/tables/networks.table.ts';
import { findNetwork, networksByIds } from '../../db/queries/networks.ts';
import { nextMeeting } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Organisation } from '../wire/common.ts';
import { CreatedNetwork, CreateNetworkRequest, NetworkDetail, NetworkSettings, NetworkSummary, UpdateNetworkRequest } from '../wire/networks.ts';
import { changeNetwork, createNetwork } from './settings.ts';
import { meetingSummaryDto, readableMeetings } from '../meetings/detail.ts';
import { actingUser, jsonBody, jsonContent, NetworkParams, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

export const organisationDto = (o: OrganisationRow): Organisation => ({ id: o.id, kind: o.kind, name: o.name, shortName: o.short_name });

const summaryDto = (n: NetworkRow, host: OrganisationRow, actor: Actor): NetworkSummary => ({
  id: n.id,
  name: n.name,
  targetGroup: n.target_group,
  meetingCadenceMonths: n.meeting_cadence_months,
  activationRequirementPct: n.activation_requirement_pct,
  minCitizensToRate: n.min_citizens_to_rate,
  host: organisationDto(host),
  role: membershipIn(actor, n.id)!.role,
});

const list = signedInRoute('get', '/', "The caller's networks", {
  responses: { 200: jsonContent(z.object({ networks: z.array(NetworkSummary) }), 'Networks the caller is a member of'), ...refusals({ 401: 'Not signed in' }) },
});

const one = signedInRoute('get', '/{networkId}', 'One network with its jobcenter, providers, next meeting and what the caller may do', {
  request: { params: NetworkParams },
  responses: {
    200: jsonContent(NetworkDetail, 'The network'),
    ...refusals({ 401: 'Not signed in', 403: 'Not a member of this network', 404: 'No such network' }),
  },
});

const create = signedInRoute('post', '/', "Create a network hosted by the caller's jobcenter (the organisation of their oldest host membership); the caller becomes its host", {
  request: { body: jsonBody(CreateNetworkRequest) },
  responses: {
    201: jsonContent(CreatedNetwork, 'The new network'),
    ...refusals({ 401: 'Not signed in', 403: 'Not a host of any network (only jobcenter staff create networks)', 422: 'Field errors (issues name each field); a CPR number is refused' }),
  },
});

const update = signedInRoute('patch', '/{networkId}', "Change some of the network's settings (host)", {
  request: { params: NetworkParams, body: jsonBody(UpdateNetworkRequest) },
  responses: {
    200: jsonContent(NetworkSettings, 'The settings as they now are'),
    ...refusals({ 401: 'Not signed in', 403: 'Not the host of this network', 404: 'No such network', 422: 'Field errors (issues name each field); a CPR number is refused' }),
  },
});

export function networkRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(list, async (c) => {
      const identity = requireIdentity(c);
      const ids = identity.actor.memberships.map((m) => m.networkId);
      const networks = [];
      for (const n of await networksByIds(ctx.db, ids)) {
        const full = await findNetwork(ctx.db, n.id);
        if (!full) continue;
        networks.push(summaryDto(n, full.host, identity.actor));
      }
      return c.json({ networks }, 200);
    })
    .openapi(create, async (c) => c.json(await createNetwork(ctx, actingUser(c), c.req.valid('json')), 201))
    .openapi(update, async (c) => c.json(await changeNetwork(ctx, actingUser(c), c.req.valid('param').networkId, c.req.valid('json')), 200))
    .openapi(one, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      const full = await findNetwork(ctx.db, networkId);
      if (!full) throw new AppError('not_found', `There is no network with id ${networkId}.`);
      if (!can(identity.actor, { action: 'network.read', networkId })) {
        throw new AppError('forbidden', 'You are not a member of this network.');
      }
      // Staff of a provider that has left see no upcoming meeting (readableMeetings leaves it out).
      const next = await nextMeeting(ctx.db, networkId, ctx.now().toISOString());
      const upcoming = next && readableMeetings(identity.actor, [next])[0];
      return c.json(
        {
          ...summaryDto(full.network, full.host, identity.actor),
          providers: full.providers.map(organisationDto),
          nextMeeting: upcoming ? meetingSummaryDto(upcoming) : null,
          capabilities: capabilitiesIn(identity.actor, networkId),
        },
        200,
      );
    });
}
