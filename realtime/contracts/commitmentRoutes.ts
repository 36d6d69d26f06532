// /api/networks/:networkId/…: monthly commitment records (the host records, the provider responds)
// and the documentation deadlines (overdue and soon-due monthly reports).
import { z } from '@hono/zod-openapi';
import { copenhagenMonth } from '../../domain/time.ts';
import type { AppContext } from '../context.ts';
import { commitmentMonth, recordCommitment, respondToCommitment } from './commitments.ts';
import { deadlinesFor } from './deadlines.ts';
import { CommitmentMonth, CommitmentRecord, CommitmentRecordInput, CommitmentResponseInput } from '../wire/commitments.ts';
import { Month } from '../wire/common.ts';
import { DeadlinesResponse } from '../wire/deadlines.ts';
import { ErrorBody } from '../wire/errors.ts';
import { pathParam, jsonBody, jsonContent, MonthParam, NetworkParams, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const RecordParams = ProviderParams.extend({ commitmentId: pathParam('commitmentId'), month: MonthParam });

const commitmentRefusals = refusals({
  401: 'Not signed in',
  403: "Not the host, or not this provider's member",
  404: 'No such provider, or no such commitment in the contract covering the month',
});

const month = signedInRoute('get', '/{networkId}/providers/{providerId}/commitments', "A provider's commitments for a month (default: this month) with the host's records and the provider's responses (host; the provider itself)", {
  request: { params: ProviderParams, query: z.object({ month: Month.optional() }) },
  responses: { 200: jsonContent(CommitmentMonth, 'The commitments and their records'), ...commitmentRefusals },
});

const record = signedInRoute('put', '/{networkId}/providers/{providerId}/commitments/{commitmentId}/{month}', 'Record whether a commitment was met in a month: met, partly or not_met, with a note (host); a second PUT changes it', {
  request: { params: RecordParams, body: jsonBody(CommitmentRecordInput) },
  responses: { 200: jsonContent(CommitmentRecord, 'The record'), ...commitmentRefusals, 409: jsonContent(ErrorBody, 'Recorded by someone else at the same moment'), 422: jsonContent(ErrorBody, 'Field errors, a month not begun, or a CPR number') },
});

const respond = signedInRoute('post', '/{networkId}/providers/{providerId}/commitments/{commitmentId}/{month}/response', "The provider's response to the host's record (the provider's own members)", {
  request: { params: RecordParams, body: jsonBody(CommitmentResponseInput) },
  responses: { 200: jsonContent(CommitmentRecord, 'The record with the response'), ...commitmentRefusals, 409: jsonContent(ErrorBody, 'Nothing recorded yet'), 422: jsonContent(ErrorBody, 'Field errors or a CPR number') },
});

const deadlines = signedInRoute('get', '/{networkId}/deadlines', 'Monthly reports overdue or due within three days under each contract’s documentation deadline (host: all providers; a provider: its own; viewers: 403)', {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(DeadlinesResponse, 'Overdue and soon-due reports'), 401: commitmentRefusals[401], 403: jsonContent(ErrorBody, 'A viewer, or not a member') },
});

export function commitmentRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(month, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      return c.json(await commitmentMonth(ctx, actor, networkId, providerId, c.req.valid('query').month ?? copenhagenMonth(ctx.now())), 200);
    })
    .openapi(record, async (c) => {
      const identity = requireIdentity(c);
      return c.json(await recordCommitment(ctx, { userId: identity.user.id, actor: identity.actor }, c.req.valid('param'), c.req.valid('json')), 200);
    })
    .openapi(respond, async (c) => {
      const identity = requireIdentity(c);
      return c.json(await respondToCommitment(ctx, { userId: identity.user.id, actor: identity.actor }, c.req.valid('param'), c.req.valid('json')), 200);
    })
    .openapi(deadlines, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json(await deadlinesFor(ctx, actor, c.req.valid('param').networkId), 200);
    });
}
