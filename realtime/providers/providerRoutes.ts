// /api/networks/:networkId/providers: the providers of a network, their periods and joining checklists.
import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { providerMemberIds } from '../../db/queries/users.ts';
import { AddProviderRequest, Checklist, ChecklistRequest, CreatedProvider, ProviderSummary, UpdateProviderRequest } from '../wire/providers.ts';
import { actingUser, jsonBody, jsonContent, NetworkParams, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';
import { addProvider, changeProvider, listProviders, readChecklist, writeChecklist } from './providers.ts';

const list = signedInRoute('get', '/{networkId}/providers', 'The providers with their status and periods (every member); running contracts for whoever may read them, checklists for the host', {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ providers: z.array(ProviderSummary) }), 'The providers in their listed order'), ...refusals({ 401: 'Not signed in', 403: 'Not a member of this network' }) },
});

const add = signedInRoute('post', '/{networkId}/providers', 'Add a provider (host): a new organisation, or the organisation that already has this CVR number', {
  request: { params: NetworkParams, body: jsonBody(AddProviderRequest) },
  responses: {
    201: jsonContent(CreatedProvider, 'The provider organisation now in the network'),
    ...refusals({
      401: 'Not signed in',
      403: 'Not the host of this network',
      409: 'The organisation with this CVR number is already a provider here (or is a jobcenter)',
      422: 'Field errors (issues name each field); a CPR number is refused',
    }),
  },
});

const change = signedInRoute('patch', '/{networkId}/providers/{providerId}', 'Change the name, short name or CVR (host while unshared, or the provider administrator), or the last month, or let a provider that left rejoin (host)', {
  request: { params: ProviderParams, body: jsonBody(UpdateProviderRequest) },
  responses: {
    200: jsonContent(ProviderSummary, 'The provider as it now stands'),
    ...refusals({
      401: 'Not signed in',
      403: 'Not allowed to make this change',
      404: 'No such provider in this network',
      409: 'Another network shares the organisation (its administrator edits it), the CVR belongs to another, the period is closed, or it has not left',
      422: 'Field errors: a last month in the past or before the first, a rejoining month not after the last, a CPR number',
    }),
  },
});

const checklistRefusals = refusals({ 401: 'Not signed in', 403: 'Not the host of this network', 404: 'No such provider in this network' });

const getChecklist = signedInRoute('get', '/{networkId}/providers/{providerId}/checklist', 'The joining checklist with what is still missing (host)', {
  request: { params: ProviderParams },
  responses: { 200: jsonContent(Checklist, 'The checklist'), ...checklistRefusals },
});

const putChecklist = signedInRoute('put', '/{networkId}/providers/{providerId}/checklist', 'Write the interview and the references of the joining checklist (host); the contract and first visit are read from their records', {
  request: { params: ProviderParams, body: jsonBody(ChecklistRequest) },
  responses: {
    200: jsonContent(Checklist, 'The checklist as it now stands'),
    ...checklistRefusals,
    ...refusals({ 422: 'Field errors (issues name each field); a CPR number in any text is refused' }),
  },
});

export function providerRoutes(ctx: AppContext, live: LiveHooks) {
  /** A provider joined, left or rejoined: boards change, and its staff's rights may (a provider that has left reads less). */
  const periodsChanged = async (networkId: string, providerId: string) => {
    live.resultsChanged(networkId);
    for (const userId of await providerMemberIds(ctx.db, networkId, providerId)) await live.membershipChanged(userId);
  };
  return newRouter()
    .openapi(list, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json({ providers: await listProviders(ctx, actor, c.req.valid('param').networkId) }, 200);
    })
    .openapi(add, async (c) => {
      const { networkId } = c.req.valid('param');
      const added = await addProvider(ctx, actingUser(c), networkId, c.req.valid('json'));
      await periodsChanged(networkId, added.id);
      return c.json(added, 201);
    })
    .openapi(change, async (c) => {
      const { networkId, providerId } = c.req.valid('param');
      const change = c.req.valid('json');
      const changed = await changeProvider(ctx, actingUser(c), networkId, providerId, change);
      if (change.lastMonth !== undefined || change.rejoinFromMonth !== undefined) await periodsChanged(networkId, providerId);
      return c.json(changed, 200);
    })
    .openapi(getChecklist, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      return c.json(await readChecklist(ctx, actor, networkId, providerId), 200);
    })
    .openapi(putChecklist, async (c) => {
      const { networkId, providerId } = c.req.valid('param');
      return c.json(await writeChecklist(ctx, actingUser(c), networkId, providerId, c.req.valid('json')), 200);
    });
}
