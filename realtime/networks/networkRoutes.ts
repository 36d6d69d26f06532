// /api/networks: the networks the caller belongs to, and one network with its providers.
import { createRoute, z } from '@hono/zod-openapi';
import { can, capabilitiesIn, membershipIn, type Actor } from '../../domain/access.ts';
import type { NetworkRow, OrganisationRow } from '../../db/tables/networks.table.ts';
import { findNetwork, networksByIds } from '../../db/queries/networks.ts';
import { nextMeeting } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Organisation } from '../wire/common.ts';
import { NetworkDetail, NetworkSummary } from '../wire/networks.ts';
import { meetingSummaryDto, readableMeetings } from '../meetings/detail.ts';
import { bearerSecurity, jsonContent, NetworkParams, newRouter, refusals, requireIdentity } from '../http/router.ts';

export const organisationDto = (o: OrganisationRow): Organisation => ({ id: o.id, kind: o.kind, name: o.name, shortName: o.short_name });

const summaryDto = (n: NetworkRow, host: OrganisationRow, actor: Actor): NetworkSummary => ({
  id: n.id,
  name: n.name,
  targetGroup: n.target_group,
  meetingCadenceMonths: n.meeting_cadence_months,
  activationRequirementPct: n.activation_requirement_pct,
  host: organisationDto(host),
  role: membershipIn(actor, n.id)!.role,
});

const list = createRoute({
  method: 'get',
  path: '/',
  summary: "The caller's networks",
  security: bearerSecurity,
  responses: { 200: jsonContent(z.object({ networks: z.array(NetworkSummary) }), 'Networks the caller is a member of'), ...refusals({ 401: 'Not signed in' }) },
});

const one = createRoute({
  method: 'get',
  path: '/{networkId}',
  summary: 'One network with its jobcenter, providers, next meeting and what the caller may do',
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: {
    200: jsonContent(NetworkDetail, 'The network'),
    ...refusals({ 401: 'Not signed in', 403: 'Not a member of this network', 404: 'No such network' }),
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
