// /api/networks: the networks the caller belongs to, and one network with its providers.
import { createRoute, z } from '@hono/zod-openapi';
import { can, capabilitiesIn, membershipIn } from '../../domain/access.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import type { OrganisationRow } from '../../db/tables/networks.table.ts';
import { findNetwork, networksByIds } from '../../db/queries/networks.ts';
import { nextMeeting } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ErrorBody, NetworkDetail, NetworkSummary, type MeetingSummary, type Organisation } from '../protocol.ts';
import { bearerSecurity, jsonContent, newRouter, requireIdentity } from './router.ts';

export const organisationDto = (o: OrganisationRow): Organisation => ({ id: o.id, kind: o.kind, name: o.name, shortName: o.short_name });

export const meetingSummaryDto = (m: MeetingRow): MeetingSummary => ({
  id: m.id,
  title: m.title,
  startsAt: m.starts_at,
  durationMinutes: m.duration_minutes,
  location: m.location,
  status: m.status,
});

const NetworkParams = z.object({ networkId: z.string().min(1).max(100).openapi({ param: { name: 'networkId', in: 'path' } }) });

const list = createRoute({
  method: 'get',
  path: '/',
  summary: "The caller's networks",
  security: bearerSecurity,
  responses: { 200: jsonContent(z.object({ networks: z.array(NetworkSummary) }), 'Networks the caller is a member of'), 401: jsonContent(ErrorBody, 'Not signed in') },
});

const one = createRoute({
  method: 'get',
  path: '/{networkId}',
  summary: 'One network with its jobcenter, providers, next meeting and what the caller may do',
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: {
    200: jsonContent(NetworkDetail, 'The network'),
    401: jsonContent(ErrorBody, 'Not signed in'),
    403: jsonContent(ErrorBody, 'Not a member of this network'),
    404: jsonContent(ErrorBody, 'No such network'),
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
        networks.push({
          id: n.id,
          name: n.name,
          targetGroup: n.target_group,
          meetingCadenceMonths: n.meeting_cadence_months,
          activationRequirementPct: n.activation_requirement_pct,
          host: organisationDto(full.host),
          role: membershipIn(identity.actor, n.id)!.role,
        });
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
      const upcoming = await nextMeeting(ctx.db, networkId, ctx.now().toISOString());
      const { network: n } = full;
      return c.json(
        {
          id: n.id,
          name: n.name,
          targetGroup: n.target_group,
          meetingCadenceMonths: n.meeting_cadence_months,
          activationRequirementPct: n.activation_requirement_pct,
          host: organisationDto(full.host),
          role: membershipIn(identity.actor, n.id)!.role,
          providers: full.providers.map(organisationDto),
          nextMeeting: upcoming ? meetingSummaryDto(upcoming) : null,
          capabilities: capabilitiesIn(identity.actor, networkId),
        },
        200,
      );
    });
}
