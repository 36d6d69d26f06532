// Privacy and data retention, host only: purge a meeting's co-edited documents of deleted text
// (a CPR number typed and deleted lives on in the Yjs history until then; /api/meetings), export a
// network's data whole, and delete it whole when the contract ends (/api/networks).
import { z } from '@hono/zod-openapi';
import { can } from '../../domain/access.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import { networkById, providersOfNetwork } from '../../db/queries/networks.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { deleteNetworkRows, exportNetworkRows, networkKeys } from '../../db/queries/networkData.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ErrorBody } from '../wire/errors.ts';
import { DatabaseDocumentStore } from '../yjs/persistence.ts';
import { methodNoteDocName, minutesDocName, parseDocumentName } from '../yjs/documents.ts';
import { renderState } from '../yjs/render.ts';
import { containsCpr } from '../../domain/cpr.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { jsonBody, jsonContent, MeetingParams, NetworkParams, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const privacyRefusals = refusals({ 401: 'Not signed in', 403: 'Not the host of this network', 404: 'No such meeting or network' });

const PurgeRequest = z
  .object({ names: z.array(z.string().min(1).max(200)).max(100).optional().openapi({ description: "Documents to purge; all of the meeting's when left out" }) })
  .openapi('PurgeRequest');
const PurgeResponse = z
  .object({
    documents: z.array(z.object({ name: z.string(), bytesBefore: z.number().int(), bytesAfter: z.number().int(), updatesRemoved: z.number().int() })),
  })
  .openapi('PurgeResponse');

const purge = signedInRoute('post', '/{meetingId}/documents/purge', "Rewrite a meeting's stored documents as their current content only, dropping deleted text from the history (host only)", {
  description:
    'Closes every open connection to the documents (clients reconnect and reload), then replaces snapshot and update log atomically. ' +
    'Use it after deleting a CPR number or other personal data from a note: until then the deleted text is still in the stored history.',
  request: { params: MeetingParams, body: jsonBody(PurgeRequest, false) },
  responses: { 200: jsonContent(PurgeResponse, 'Purged'), ...privacyRefusals },
});

const exportNetwork = signedInRoute('get', '/{networkId}/export', "A network's data whole, as one JSON document (host only)", {
  description: 'Every table\'s rows for the network (binary columns as { base64 }), and each co-edited document as text, Markdown and base64 Yjs state. Users without password hashes; sessions and tokens left out.',
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({}).passthrough(), 'The export'), ...privacyRefusals },
});

const DeleteRequest = z
  .object({ confirm: z.string().max(500).openapi({ description: "The network's name, exactly, to confirm" }) })
  .openapi('DeleteNetworkRequest');

const deleteNetwork = signedInRoute('delete', '/{networkId}', "Delete a network's data whole when the contract ends (host only; irreversible)", {
  description: 'Deletes every row belonging to the network in one transaction, and its co-edited documents; organisations and user accounts, shared with other networks, stay. Audited in the global audit log.',
  request: { params: NetworkParams, body: jsonBody(DeleteRequest) },
  responses: {
    200: jsonContent(z.object({ deleted: z.record(z.string(), z.number().int()) }), 'Deleted: rows per table'),
    ...privacyRefusals,
    422: jsonContent(ErrorBody, 'The confirmation does not match'),
  },
});

/** The Yjs documents of a network's meetings, among all stored names. */
const documentNamesOf = (meetingIds: Set<string>, names: string[]) => names.filter((n) => meetingIds.has(parseDocumentName(n)?.meetingId ?? ''));

const documentStore = (ctx: AppContext) =>
  new DatabaseDocumentStore({ db: ctx.db, postgres: ctx.dialect === 'postgres', now: ctx.now, containsPersonalData: containsCpr });

function requireHost(actor: Parameters<typeof can>[0], networkId: string) {
  if (!can(actor, { action: 'network.manage', networkId })) throw new AppError('forbidden', 'Only the host of this network may do this.');
}

/** Mounted at /api/meetings. */
export function documentPurgeRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(purge, async (c) => {
      const identity = requireIdentity(c);
      const { meetingId } = c.req.valid('param');
      const meeting = await findMeeting(ctx.db, meetingId);
      if (!meeting || !can(identity.actor, { action: 'network.read', networkId: meeting.network_id })) {
        throw new AppError('not_found', `There is no meeting with id ${meetingId}.`);
      }
      requireHost(identity.actor, meeting.network_id);
      const providers = await providersOfNetwork(ctx.db, meeting.network_id);
      const all = [minutesDocName(meetingId), ...providers.map((p) => methodNoteDocName(meetingId, p.id))];
      const requested = (c.req.header('content-type') ? (await c.req.json().catch(() => ({}))) : {}) as { names?: string[] };
      const parsed = PurgeRequest.safeParse(requested);
      if (!parsed.success) throw parsed.error;
      const names = parsed.data.names ?? all;
      const unknown = names.filter((n) => !all.includes(n));
      if (unknown.length) throw new AppError('not_found', `Not a document of this meeting: ${unknown.join(', ')}.`);
      // Their in-memory history would come back with them: close them first, and store what they sent.
      await live.closeDocuments(names);
      const documents = [];
      for (const name of names) {
        const result = await documentStore(ctx).purge(name);
        if (result) documents.push({ name, ...result });
      }
      await appendAudit(ctx.db, {
        id: ctx.newId(), at: ctx.now().toISOString(), networkId: meeting.network_id, actorUserId: identity.user.id,
        action: 'documents.purge', subjectType: 'meeting', subjectId: meetingId, after: { documents },
      });
      return c.json({ documents }, 200);
    });
}

/** Mounted at /api/networks. */
export function networkDataRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(exportNetwork, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      requireHost(identity.actor, networkId);
      const keys = await networkKeys(ctx.db, networkId, documentNamesOf);
      if (!keys) throw new AppError('not_found', `There is no network with id ${networkId}.`);
      const tables = await exportNetworkRows(ctx.db, keys);
      const documents = [];
      const store = documentStore(ctx);
      for (const name of keys.documentNames) {
        const state = await store.load(name);
        if (!state) continue;
        const { text, markdown } = renderState(state);
        documents.push({ name, text, markdown, stateBase64: Buffer.from(state).toString('base64') });
      }
      const at = ctx.now().toISOString();
      await appendAudit(ctx.db, {
        id: ctx.newId(), at, networkId, actorUserId: identity.user.id, action: 'network.export', subjectType: 'network', subjectId: networkId,
      });
      c.header('Content-Disposition', `attachment; filename="samspil-network-${networkId}-${at.slice(0, 10)}.json"`);
      return c.json({ format: 'samspil-network-export', version: 1, exportedAt: at, networkId, tables, documents }, 200);
    })
    .openapi(deleteNetwork, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      const { confirm } = c.req.valid('json');
      requireHost(identity.actor, networkId);
      const network = await networkById(ctx.db, networkId);
      if (!network) throw new AppError('not_found', `There is no network with id ${networkId}.`);
      if (confirm !== network.name) {
        throw new AppError('validation_failed', 'To delete the network, send its name exactly in "confirm".', [{ path: 'confirm', message: `must be "${network.name}"` }]);
      }
      const keys = (await networkKeys(ctx.db, networkId, documentNamesOf))!;
      // No client may write into a document while it is deleted; reconnecting finds it gone.
      await live.closeDocuments(keys.documentNames);
      const at = ctx.now().toISOString();
      const deleted = await ctx.db.transaction().execute(async (trx) => {
        const counts = await deleteNetworkRows(trx, keys);
        // Global (no network): the network's own log is gone with it.
        await appendAudit(trx, {
          id: ctx.newId(), at, networkId: null, actorUserId: identity.user.id, action: 'network.delete', subjectType: 'network', subjectId: networkId,
          before: { name: network.name }, after: { rows: counts },
        });
        return counts;
      });
      ctx.log.info('network deleted', { networkId, by: identity.user.id });
      return c.json({ deleted }, 200);
    });
}
