// Method notes of a meeting: a provider publishes its note to the network or takes it back, and the
// host holds all published notes back until the meeting opens. Mounted at /api/meetings.
import { can, type Actor } from '../../domain/access.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import { noteStates, setNotesHeld, setPublished } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { pathParam, jsonBody, jsonContent, MeetingParams, newRouter, requireIdentity, signedInRoute } from '../http/router.ts';
import { ErrorBody } from '../wire/errors.ts';
import { MeetingDetail, NotesHeldRequest } from '../wire/meetings.ts';
import { meetingArchived, meetingOpen } from '../yjs/access.ts';
import { methodNoteDocName } from '../yjs/documents.ts';
import { meetingDetail, meetingFor } from './detail.ts';
import { memberRefusals } from './routeParts.ts';

const NoteParams = MeetingParams.extend({ providerId: pathParam('providerId') });

const publishNote = signedInRoute('post', '/{meetingId}/notes/{providerId}/publish', "Publish a provider's method note to the network (the provider's own members)", {
  request: { params: NoteParams },
  responses: { 200: jsonContent(MeetingDetail, 'Published'), ...memberRefusals, 409: jsonContent(ErrorBody, 'The meeting is archived') },
});

const withdrawNote = signedInRoute('post', '/{meetingId}/notes/{providerId}/withdraw', 'Take a published method note back to draft, before the meeting opens', {
  request: { params: NoteParams },
  responses: { 200: jsonContent(MeetingDetail, 'Back to draft'), ...memberRefusals, 409: jsonContent(ErrorBody, 'The meeting has opened') },
});

const holdNotes = signedInRoute('post', '/{meetingId}/notes/hold', 'Hold all published method notes back until the meeting opens, or release them (host only)', {
  request: { params: MeetingParams, body: jsonBody(NotesHeldRequest) },
  responses: { 200: jsonContent(MeetingDetail, 'Updated'), ...memberRefusals, 409: jsonContent(ErrorBody, 'The meeting has opened') },
});

/** Mounted at /api/meetings. */
export function methodNoteRoutes(ctx: AppContext, live: LiveHooks) {
  const changePublication = async (actorId: string, actor: Actor, meetingId: string, providerId: string, publish: boolean) => {
    const meeting = await meetingFor(ctx, actor, meetingId);
    const providers = await providersOfNetwork(ctx.db, meeting.network_id);
    if (!providers.some((p) => p.id === providerId)) throw new AppError('not_found', 'That provider is not part of this network.');
    if (!can(actor, { action: 'methodNote.write', networkId: meeting.network_id, providerId, archived: false })) {
      throw new AppError('forbidden', "Only the provider's own members may publish or withdraw its method note.");
    }
    if (meetingArchived(meeting)) throw new AppError('conflict', 'The meeting is archived; its method notes cannot change.');
    if (!publish && meetingOpen(meeting)) throw new AppError('conflict', 'The meeting has opened; a published note stays published.');
    const at = ctx.now().toISOString();
    const before = (await noteStates(ctx.db, meetingId)).get(providerId) ?? null;
    await ctx.db.transaction().execute(async (trx) => {
      await setPublished(trx, meetingId, providerId, publish ? (before?.publishedAt ?? at) : null, publish ? actorId : null);
      await appendAudit(trx, {
        id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: actorId,
        action: publish ? 'methodNote.publish' : 'methodNote.withdraw', subjectType: 'methodNote', subjectId: methodNoteDocName(meetingId, providerId),
        before, after: { published: publish },
      });
    });
    await live.documentsChanged([methodNoteDocName(meetingId, providerId)]);
    return meetingDetail(ctx, actor, (await findMeeting(ctx.db, meetingId))!);
  };

  return newRouter()
    .openapi(publishNote, async (c) => {
      const identity = requireIdentity(c);
      const { meetingId, providerId } = c.req.valid('param');
      return c.json(await changePublication(identity.user.id, identity.actor, meetingId, providerId, true), 200);
    })
    .openapi(withdrawNote, async (c) => {
      const identity = requireIdentity(c);
      const { meetingId, providerId } = c.req.valid('param');
      return c.json(await changePublication(identity.user.id, identity.actor, meetingId, providerId, false), 200);
    })
    .openapi(holdNotes, async (c) => {
      const identity = requireIdentity(c);
      const { meetingId } = c.req.valid('param');
      const { held } = c.req.valid('json');
      const meeting = await meetingFor(ctx, identity.actor, meetingId);
      if (!can(identity.actor, { action: 'meeting.run', networkId: meeting.network_id })) throw new AppError('forbidden', 'Only the host may hold method notes.');
      if (meetingOpen(meeting)) throw new AppError('conflict', 'The meeting has opened; notes can no longer be held back.');
      const at = ctx.now().toISOString();
      await ctx.db.transaction().execute(async (trx) => {
        await setNotesHeld(trx, meetingId, held, at);
        await appendAudit(trx, {
          id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: identity.user.id, action: held ? 'methodNotes.hold' : 'methodNotes.release',
          subjectType: 'meeting', subjectId: meetingId, before: { held: meeting.notes_held === 1 }, after: { held },
        });
      });
      const providers = await providersOfNetwork(ctx.db, meeting.network_id);
      await live.documentsChanged(providers.map((p) => methodNoteDocName(meetingId, p.id)));
      return c.json(await meetingDetail(ctx, identity.actor, (await findMeeting(ctx.db, meetingId))!), 200);
    });
}
