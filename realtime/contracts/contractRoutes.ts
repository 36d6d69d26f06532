// /api/networks/:networkId/contracts: the contract register. The host registers and changes
// contracts (each change a new version with a reason); a provider sees only its own.
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { changeContract, contractHistory, createContract, listContracts } from './contracts.ts';
import { Contract, ContractInput } from '../wire/contracts.ts';
import { bearerSecurity, jsonBody, jsonContent, NetworkParams, newRouter, pathParam, ProviderParams, refusals, requireIdentity } from '../http/router.ts';

const ContractParams = NetworkParams.extend({ contractId: pathParam('contractId') });
const body = jsonBody(ContractInput);

const contractRefusals = refusals({
  401: 'Not signed in',
  403: 'Not the host (writes) or not a member (reads)',
  404: 'No such provider or contract here',
  422: 'Field errors (issues name each field)',
});

const list = createRoute({
  method: 'get',
  path: '/{networkId}/contracts',
  summary: "Contracts with their current terms: all for the host, a provider's own for its members, none for viewers",
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ contracts: z.array(Contract) }), 'The visible contracts'), 401: contractRefusals[401], 403: contractRefusals[403] },
});

const create = createRoute({
  method: 'post',
  path: '/{networkId}/providers/{providerId}/contracts',
  summary: 'Register a contract for a provider (host)',
  security: bearerSecurity,
  request: { params: ProviderParams, body },
  responses: { 201: jsonContent(Contract, 'Version 1'), ...contractRefusals },
});

const change = createRoute({
  method: 'put',
  path: '/{networkId}/contracts/{contractId}',
  summary: 'Change a contract (host): the whole new terms and a reason; stored as a new version',
  security: bearerSecurity,
  request: { params: ContractParams, body },
  responses: { 200: jsonContent(Contract, 'The new version'), ...contractRefusals },
});

const history = createRoute({
  method: 'get',
  path: '/{networkId}/contracts/{contractId}/versions',
  summary: 'Every version of a contract, oldest first (host and the provider)',
  security: bearerSecurity,
  request: { params: ContractParams },
  responses: { 200: jsonContent(z.object({ versions: z.array(Contract) }), 'The versions'), 401: contractRefusals[401], 404: contractRefusals[404] },
});

export function contractRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(list, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json({ contracts: await listContracts(ctx, actor, c.req.valid('param').networkId) }, 200);
    })
    .openapi(create, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      return c.json(await createContract(ctx, { userId: identity.user.id, actor: identity.actor }, networkId, providerId, c.req.valid('json')), 201);
    })
    .openapi(change, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, contractId } = c.req.valid('param');
      return c.json(await changeContract(ctx, { userId: identity.user.id, actor: identity.actor }, networkId, contractId, c.req.valid('json')), 200);
    })
    .openapi(history, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, contractId } = c.req.valid('param');
      return c.json({ versions: await contractHistory(ctx, actor, networkId, contractId) }, 200);
    });
}
