// /api/networks/:networkId/contracts: the contract register. The host registers and changes
// contracts (each change a new version with a reason); a provider sees only its own.
import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { changeContract, contractHistory, createContract, listContracts } from './contracts.ts';
import { Contract, ContractInput } from '../wire/contracts.ts';
import { pathParam, jsonBody, jsonContent, NetworkParams, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const ContractParams = NetworkParams.extend({ contractId: pathParam('contractId') });
const body = jsonBody(ContractInput);

const contractRefusals = refusals({
  401: 'Not signed in',
  403: 'Not the host (writes) or not a member (reads)',
  404: 'No such provider or contract here',
  409: 'The terms would take effect in an approved month, or the period overlaps another contract of the provider',
  422: 'Field errors (issues name each field)',
});

const list = signedInRoute('get', '/{networkId}/contracts', "Contracts with their current terms: all for the host, a provider's own for its members, none for viewers", {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ contracts: z.array(Contract) }), 'The visible contracts'), 401: contractRefusals[401], 403: contractRefusals[403] },
});

const create = signedInRoute('post', '/{networkId}/providers/{providerId}/contracts', 'Register a contract for a provider (host)', {
  request: { params: ProviderParams, body },
  responses: { 201: jsonContent(Contract, 'Version 1'), ...contractRefusals },
});

const change = signedInRoute(
  'put',
  '/{networkId}/contracts/{contractId}',
  'Change a contract (host): the whole new terms, a reason and the month it takes effect from; stored as a new version. If-Match names the version the change is based on.',
  {
    request: { params: ContractParams, body, headers: z.object({ 'if-match': z.string().optional().openapi({ description: 'The version the change is based on, e.g. "3"', example: '"3"' }) }) },
    responses: {
      200: jsonContent(Contract, 'The new version'),
      ...contractRefusals,
      ...refusals({ 412: 'The contract changed since the version named in If-Match (currentVersion says which it is now)', 428: 'No If-Match header' }),
    },
  },
);

/** The version an If-Match names: `"3"`, `W/"3"` or `3`; null when absent or unreadable. */
export function versionOfIfMatch(header: string | undefined): number | null {
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header ?? '');
  return m ? Number(m[1]) : null;
}

const history = signedInRoute('get', '/{networkId}/contracts/{contractId}/versions', 'Every version of a contract, oldest first (host and the provider)', {
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
      const changed = await changeContract(ctx, { userId: identity.user.id, actor: identity.actor }, networkId, contractId, versionOfIfMatch(c.req.header('if-match')), c.req.valid('json'));
      c.header('ETag', `"${changed.version}"`);
      return c.json(changed, 200);
    })
    .openapi(history, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, contractId } = c.req.valid('param');
      const versions = await contractHistory(ctx, actor, networkId, contractId);
      c.header('ETag', `"${versions[versions.length - 1].version}"`);
      return c.json({ versions }, 200);
    });
}
