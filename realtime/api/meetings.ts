// /api/meetings and /api/networks/:id/meetings: a meeting with its agenda and the Yjs documents it
// owns (minutes, one method note per provider), and publishing / holding method notes.
import { createRoute, z } from '@hono/zod-openapi';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import { agendaOf, findMeeting, meetingsOfNetwork } from '../../db/queries/meetings.ts';
import { noteStates, setNotesHeld, setPublished } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { cprFlaggedDocuments } from '../../db/queries/documents.ts';
import { openActionsBefore } from '../../db/queries/entries.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ErrorBody, MeetingDetail, MeetingSummary, NotesHeldRequest } from '../protocol.ts';
import { meetingArchived, meetingOpen, methodNoteAccess, minutesAccess } from '../yjs/access.ts';
import { methodNoteDocName, minutesDocName } from '../yjs/documents.ts';
import { meetingSummaryDto } from './networks.ts';
import { bearerSecurity, jsonContent, newRouter, requireIdentity } from './router.ts';
import type { LiveHooks } from './hooks.ts';

const MeetingParams = z.object({ meetingId: z.string().min(1).max(100).openapi({ param: { name: 'meetingId', in: 'path' } }) });
const NoteParams = MeetingParams.extend({ providerId: z.string().min(1).max(100).openapi({ param: { name: 'providerId', in: 'path' } }) });
const NetworkParams = z.object({ networkId: z.string().min(1).max(100).openapi({ param: { name: 'networkId', in: 'path' } }) });

const refusals = {
  401: jsonContent(ErrorBody, 'Not signed in'),
  403: jsonContent(ErrorBody, 'Not allowed'),
  404: jsonContent(ErrorBody, 'No such meeting'),
};

const getMeeting = createRoute({
  method: 'get',
  path: '/meetings/{meetingId}',
  summary: 'A meeting with its agenda and the Yjs document names of its minutes and method notes',
  security: bearerSecurity,
  request: { params: MeetingParams },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting, with what the caller may read and write'), ...refusals },
});

const listMeetings = createRoute({
  method: 'get',
  path: '/networks/{networkId}/meetings',
  summary: "A network's meetings, newest first",
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ meetings: z.array(MeetingSummary) }), 'Meetings'), ...refusals },
});

const publishNote = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/notes/{providerId}/publish',
  summary: "Publish a provider's method note to the network (the provider's own members)",
  security: bearerSecurity,
  request: { params: NoteParams },
  responses: { 200: jsonContent(MeetingDetail, 'Published'), ...refusals, 409: jsonContent(ErrorBody, 'The meeting is archived') },
});

const withdrawNote = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/notes/{providerId}/withdraw',
  summary: 'Take a published method note back to draft, before the meeting opens',
  security: bearerSecurity,
  request: { params: NoteParams },
  responses: { 200: jsonContent(MeetingDetail, 'Back to draft'), ...refusals, 409: jsonContent(ErrorBody, 'The meeting has opened') },
});

const holdNotes = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/notes/hold',
  summary: 'Hold all published method notes back until the meeting opens, or release them (host only)',
  security: bearerSecurity,
  request: { params: MeetingParams, body: { content: { 'application/json': { schema: NotesHeldRequest } }, required: true } },
  responses: { 200: jsonContent(MeetingDetail, 'Updated'), ...refusals, 409: jsonContent(ErrorBody, 'The meeting has opened') },
});

async function meetingFor(ctx: AppContext, actor: Actor, meetingId: string): Promise<MeetingRow> {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting) throw new AppError('not_found', `There is no meeting with id ${meetingId}.`);
  if (!can(actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('forbidden', 'You are not a member of this network.');
  return meeting;
}

export async function meetingDetail(ctx: AppContext, actor: Actor, meeting: MeetingRow): Promise<MeetingDetail> {
  const [agenda, providers, states, openActions] = await Promise.all([
    agendaOf(ctx.db, meeting.id),
    providersOfNetwork(ctx.db, meeting.network_id),
    noteStates(ctx.db, meeting.id),
    meeting.status === 'closed' ? Promise.resolve([]) : openActionsBefore(ctx.db, meeting.network_id, meeting.id),
  ]);
  const isHost = membershipIn(actor, meeting.network_id)?.role === 'host';
  const names = [minutesDocName(meeting.id), ...providers.map((p) => methodNoteDocName(meeting.id, p.id))];
  const flagged = isHost ? await cprFlaggedDocuments(ctx.db, names) : new Map<string, string>();
  const minutes = minutesDocName(meeting.id);
  return {
    ...meetingSummaryDto(meeting),
    networkId: meeting.network_id,
    notesHeld: meeting.notes_held === 1,
    open: meetingOpen(meeting),
    archived: meetingArchived(meeting),
    agenda: agenda.map((a) => ({ id: a.id, title: a.title, providerId: a.provider_id, minutes: a.minutes })),
    openActions: openActions.map((e) => ({ id: e.id, meetingId: e.meeting_id, text: e.text, owner: e.owner, dueDate: e.due_date })),
    sequence: meeting.sequence,
    documents: {
      minutes: { name: minutes, access: minutesAccess(actor, meeting), cprFlaggedAt: flagged.get(minutes) ?? null },
      methodNotes: providers.map((p) => {
        const name = methodNoteDocName(meeting.id, p.id);
        const publishedAt = states.get(p.id)?.publishedAt ?? null;
        const access = methodNoteAccess(actor, meeting, p.id, publishedAt);
        return {
          providerId: p.id,
          providerName: p.name,
          providerShortName: p.short_name,
          // Whether a competitor has published is itself visible only to those who may read the note.
          name: access === 'none' ? null : name,
          published: access === 'none' ? null : publishedAt !== null,
          publishedAt: access === 'none' ? null : publishedAt,
          access,
          cprFlaggedAt: flagged.get(name) ?? null,
        };
      }),
    },
  };
}

export function meetingRoutes(ctx: AppContext, live: LiveHooks) {
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
    .openapi(getMeeting, async (c) => {
      const { actor } = requireIdentity(c);
      const meeting = await meetingFor(ctx, actor, c.req.valid('param').meetingId);
      return c.json(await meetingDetail(ctx, actor, meeting), 200);
    })
    .openapi(listMeetings, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      return c.json({ meetings: (await meetingsOfNetwork(ctx.db, networkId)).map(meetingSummaryDto) }, 200);
    })
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
