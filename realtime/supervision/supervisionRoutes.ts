// /api/networks/:networkId/supervision: the host logs supervision visits (tilsyn) with follow-ups;
// the visited provider sees its own and answers; viewers and other providers are refused.
import { z } from '@hono/zod-openapi';
import { TIME_ZONE } from '../../domain/time.ts';
import type { AppContext } from '../context.ts';
import { FollowUpChange, OverdueFollowUp, SupervisionResponseInput, SupervisionVisit, SupervisionVisitChange, SupervisionVisitInput } from '../wire/supervision.ts';
import { changeFollowUp, changeVisit, listVisits, logVisit, overdueFollowUps, respondToVisit } from './visits.ts';
import { pathParam, jsonBody, jsonContent, NetworkParams, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const VisitParams = NetworkParams.extend({ visitId: pathParam('visitId') });
const FollowUpParams = VisitParams.extend({ actionId: pathParam('actionId') });

const visitAnswer = { 200: jsonContent(SupervisionVisit, 'The visit as it now stands') };
const supervisionRefusals = refusals({
  401: 'Not signed in',
  403: 'Not the host (or, where allowed, the visited provider)',
  404: 'No such provider, visit or follow-up in this network',
  422: 'Field errors (issues name each field); a CPR number in any text is refused',
});

const list = signedInRoute('get', '/{networkId}/supervision', 'Supervision visits, newest first: every provider’s for the host, its own for a provider', {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ visits: z.array(SupervisionVisit) }), 'The visits the caller may see'), 401: supervisionRefusals[401], 403: supervisionRefusals[403] },
});

const overdue = signedInRoute('get', '/{networkId}/supervision/overdue', `Open follow-ups due before today (${TIME_ZONE}), oldest due first`, {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ followUps: z.array(OverdueFollowUp) }), 'Overdue follow-ups the caller may see'), 401: supervisionRefusals[401], 403: supervisionRefusals[403] },
});

const create = signedInRoute('post', '/{networkId}/providers/{providerId}/supervision', 'Log a supervision visit with its findings and follow-ups (host)', {
  request: { params: ProviderParams, body: jsonBody(SupervisionVisitInput) },
  responses: { 201: jsonContent(SupervisionVisit, 'The logged visit'), ...supervisionRefusals },
});

const change = signedInRoute('patch', '/{networkId}/supervision/{visitId}', 'Change the findings or the status, or add follow-ups (host)', {
  request: { params: VisitParams, body: jsonBody(SupervisionVisitChange) },
  responses: { ...visitAnswer, ...supervisionRefusals },
});

const changeAction = signedInRoute('patch', '/{networkId}/supervision/{visitId}/actions/{actionId}', 'Mark a follow-up done or open again (host; the provider for follow-ups it owns)', {
  request: { params: FollowUpParams, body: jsonBody(FollowUpChange) },
  responses: { ...visitAnswer, ...supervisionRefusals },
});

const respond = signedInRoute('post', '/{networkId}/supervision/{visitId}/response', 'The visited provider’s response (written again, it replaces the earlier one; the audit log keeps both)', {
  request: { params: VisitParams, body: jsonBody(SupervisionResponseInput) },
  responses: { ...visitAnswer, ...supervisionRefusals },
});

export function supervisionRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(list, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json({ visits: await listVisits(ctx, actor, c.req.valid('param').networkId) }, 200);
    })
    .openapi(overdue, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json({ followUps: await overdueFollowUps(ctx, actor, c.req.valid('param').networkId) }, 200);
    })
    .openapi(create, async (c) => {
      const { user, actor } = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      return c.json(await logVisit(ctx, { userId: user.id, actor }, networkId, providerId, c.req.valid('json')), 201);
    })
    .openapi(change, async (c) => {
      const { user, actor } = requireIdentity(c);
      const { networkId, visitId } = c.req.valid('param');
      return c.json(await changeVisit(ctx, { userId: user.id, actor }, networkId, visitId, c.req.valid('json')), 200);
    })
    .openapi(changeAction, async (c) => {
      const { user, actor } = requireIdentity(c);
      const { networkId, visitId, actionId } = c.req.valid('param');
      return c.json(await changeFollowUp(ctx, { userId: user.id, actor }, networkId, visitId, actionId, c.req.valid('json')), 200);
    })
    .openapi(respond, async (c) => {
      const { user, actor } = requireIdentity(c);
      const { networkId, visitId } = c.req.valid('param');
      return c.json(await respondToVisit(ctx, { userId: user.id, actor }, networkId, visitId, c.req.valid('json').response), 200);
    });
}
