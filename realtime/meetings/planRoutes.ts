// Planning meetings: a network's meetings (list, plan a new one) under /api/networks, and one
// meeting (read, reschedule, cancel, agenda, presenters, preparation board) under /api/meetings.
import { z } from '@hono/zod-openapi';
import { can } from '../../domain/access.ts';
import { meetingsOfNetwork } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { actingUser, jsonBody, jsonContent, MeetingParams, NetworkParams, newRouter, requireIdentity, signedInRoute } from '../http/router.ts';
import { AgendaItemInput, CreateMeetingRequest, MeetingDetail, MeetingSummary, PresenterOrderRequest, UpdateMeetingRequest } from '../wire/meetings.ts';
import { meetingDetail, meetingFor, meetingSummaryDto, readableMeetings } from './detail.ts';
import { preparationBoard } from './preparation.ts';
import { changedMeeting, hostAction, hostRefusals, memberRefusals } from './routeParts.ts';
import { cancelMeeting, createMeeting, replaceAgenda, setPresenterOrder, updateMeeting } from './run.ts';

const listMeetings = signedInRoute('get', '/{networkId}/meetings', "A network's meetings, newest first", {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ meetings: z.array(MeetingSummary) }), 'Meetings'), ...memberRefusals },
});

const create = signedInRoute('post', '/{networkId}/meetings', 'Plan a meeting (host). Without an agenda it gets the default one (welcome, results, one slot per provider, decisions)', {
  request: { params: NetworkParams, body: jsonBody(CreateMeetingRequest) },
  responses: { 201: jsonContent(MeetingDetail, 'The new meeting'), ...hostRefusals },
});

const getMeeting = signedInRoute('get', '/{meetingId}', 'A meeting with its agenda and the Yjs document names of its minutes and method notes', {
  request: { params: MeetingParams },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting, with what the caller may read and write'), ...memberRefusals },
});

const update = signedInRoute('patch', '/{meetingId}', 'Reschedule or rename a meeting (host); calendars update the same event', {
  request: { params: MeetingParams, body: jsonBody(UpdateMeetingRequest) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
});
const cancel = hostAction('/{meetingId}/cancel', 'Cancel a planned meeting (host); calendars mark the event cancelled');
const agenda = signedInRoute('put', '/{meetingId}/agenda', 'Replace (reorder, add, remove) the agenda before the start (host)', {
  request: { params: MeetingParams, body: jsonBody(z.object({ agenda: z.array(AgendaItemInput).max(60) })) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
});

const presenters = signedInRoute('post', '/{meetingId}/presenters', 'Set the order in which providers present (host)', {
  request: { params: MeetingParams, body: jsonBody(PresenterOrderRequest) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
});

const preparation = signedInRoute('get', '/{meetingId}/preparation', 'Preparation board: method note published and monthly report in by the deadline, per provider (host: all; provider: itself)', {
  request: { params: MeetingParams },
  responses: {
    200: jsonContent(
      z.object({
        meetingId: z.string(),
        deadline: z.string(),
        workingDaysBefore: z.number().int(),
        rows: z.array(z.object({
          providerId: z.string(),
          providerName: z.string(),
          methodNote: z.object({ published: z.boolean(), publishedAt: z.string().nullable(), onTime: z.boolean() }),
          report: z.object({ month: z.string(), submittedAt: z.string().nullable(), onTime: z.boolean() }),
          overdueReports: z.array(z.object({ month: z.string(), dueDate: z.string() })).openapi({ description: 'Monthly reports overdue now under the contract’s documentation deadline' }),
        })),
      }),
      'The board',
    ),
    ...hostRefusals,
  },
});

/** Mounted at /api/networks. */
export function networkMeetingRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(listMeetings, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      return c.json({ meetings: readableMeetings(actor, await meetingsOfNetwork(ctx.db, networkId)).map(meetingSummaryDto) }, 200);
    })
    .openapi(create, async (c) => {
      const meeting = await createMeeting(ctx, actingUser(c), c.req.valid('param').networkId, c.req.valid('json'));
      return c.json(await changedMeeting(ctx, live, c, meeting.id), 201);
    });
}

/** Mounted at /api/meetings. */
export function meetingPlanRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(getMeeting, async (c) => {
      const { actor } = requireIdentity(c);
      const meeting = await meetingFor(ctx, actor, c.req.valid('param').meetingId);
      return c.json(await meetingDetail(ctx, actor, meeting), 200);
    })
    .openapi(update, async (c) => {
      const { meetingId } = c.req.valid('param');
      await updateMeeting(ctx, actingUser(c), meetingId, c.req.valid('json'));
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(cancel, async (c) => {
      const { meetingId } = c.req.valid('param');
      await cancelMeeting(ctx, actingUser(c), meetingId);
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(agenda, async (c) => {
      const { meetingId } = c.req.valid('param');
      await replaceAgenda(ctx, actingUser(c), meetingId, c.req.valid('json').agenda);
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(presenters, async (c) => {
      const { meetingId } = c.req.valid('param');
      await setPresenterOrder(ctx, actingUser(c), meetingId, c.req.valid('json').order);
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(preparation, async (c) => c.json(await preparationBoard(ctx, requireIdentity(c).actor, c.req.valid('param').meetingId), 200));
}
