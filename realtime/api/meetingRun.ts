// Planning and running meetings: create, reschedule, cancel, agenda, presenters, start, advance,
// decisions and action items, close (archive), the preparation board and calendar files.
import { createRoute, z } from '@hono/zod-openapi';
import { can } from '../../domain/access.ts';
import { findMeeting, meetingsOfNetwork } from '../../db/queries/meetings.ts';
import { networkName } from '../../db/queries/networks.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { AdvanceRequest, AgendaItemInput, CreateMeetingRequest, EntryInput, ErrorBody, MeetingDetail, MeetingEntry, PresenterOrderRequest, UpdateMeetingRequest } from '../protocol.ts';
import { closeMeeting } from '../meetings/archive.ts';
import { calendarOf } from '../meetings/calendar.ts';
import { preparationBoard } from '../meetings/preparation.ts';
import { addEntry, advanceMeeting, cancelMeeting, createMeeting, replaceAgenda, setEntryStatus, setPresenterOrder, startMeeting, updateMeeting } from '../meetings/run.ts';
import type { LiveHooks } from './hooks.ts';
import { meetingDetail } from './meetings.ts';
import { bearerSecurity, jsonContent, newRouter, requireIdentity } from './router.ts';

const MeetingParams = z.object({ meetingId: z.string().min(1).max(100).openapi({ param: { name: 'meetingId', in: 'path' } }) });
const NetworkParams = z.object({ networkId: z.string().min(1).max(100).openapi({ param: { name: 'networkId', in: 'path' } }) });
const refusals = {
  401: jsonContent(ErrorBody, 'Not signed in'),
  403: jsonContent(ErrorBody, 'Only the host'),
  404: jsonContent(ErrorBody, 'No such meeting'),
  409: jsonContent(ErrorBody, 'Not in this state (e.g. archived, not started)'),
  422: jsonContent(ErrorBody, 'Invalid body'),
};
const json = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
// Generic in the path so the literal reaches the route table AppType (a plain string would hide it).
const hostAction = <Path extends string>(path: Path, summary: string) =>
  createRoute({
    method: 'post',
    path,
    summary,
    security: bearerSecurity,
    request: { params: MeetingParams },
    responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...refusals },
  });

const create = createRoute({
  method: 'post',
  path: '/networks/{networkId}/meetings',
  summary: 'Plan a meeting (host). Without an agenda it gets the default one (welcome, results, one slot per provider, decisions)',
  security: bearerSecurity,
  request: { params: NetworkParams, ...json(CreateMeetingRequest) },
  responses: { 201: jsonContent(MeetingDetail, 'The new meeting'), ...refusals },
});
const update = createRoute({
  method: 'patch',
  path: '/meetings/{meetingId}',
  summary: 'Reschedule or rename a meeting (host); calendars update the same event',
  security: bearerSecurity,
  request: { params: MeetingParams, ...json(UpdateMeetingRequest) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...refusals },
});
const cancel = hostAction('/meetings/{meetingId}/cancel', 'Cancel a planned meeting (host); calendars mark the event cancelled');
const agenda = createRoute({
  method: 'put',
  path: '/meetings/{meetingId}/agenda',
  summary: 'Replace (reorder, add, remove) the agenda before the start (host)',
  security: bearerSecurity,
  request: { params: MeetingParams, ...json(z.object({ agenda: z.array(AgendaItemInput).max(60) })) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...refusals },
});
const presenters = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/presenters',
  summary: 'Set the order in which providers present (host)',
  security: bearerSecurity,
  request: { params: MeetingParams, ...json(PresenterOrderRequest) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...refusals },
});
const start = hostAction('/meetings/{meetingId}/start', 'Start the meeting (host): every screen follows from here');
const advance = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/advance',
  summary: 'Move to the next (or a given) agenda item, or rotate the presenter (host)',
  security: bearerSecurity,
  request: { params: MeetingParams, body: { content: { 'application/json': { schema: AdvanceRequest } }, required: false } },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...refusals },
});
const close = hostAction('/meetings/{meetingId}/close', 'Close and archive the meeting (host): an immutable snapshot; documents become read-only');
const addEntryRoute = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/entries',
  summary: 'Record a decision or an action item (text, owner, due date) during the meeting (host)',
  security: bearerSecurity,
  request: { params: MeetingParams, ...json(EntryInput) },
  responses: { 201: jsonContent(MeetingEntry, 'Recorded'), ...refusals },
});
const entryStatus = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/entries/{entryId}/status',
  summary: 'Mark an action item (from this or an earlier meeting) done or open (host)',
  security: bearerSecurity,
  request: { params: MeetingParams.extend({ entryId: z.string().min(1).max(100).openapi({ param: { name: 'entryId', in: 'path' } }) }), ...json(z.object({ status: z.enum(['open', 'done']) })) },
  responses: { 200: jsonContent(MeetingEntry, 'Updated'), ...refusals },
});
const preparation = createRoute({
  method: 'get',
  path: '/meetings/{meetingId}/preparation',
  summary: 'Preparation board: method note published and monthly report in by the deadline, per provider (host: all; provider: itself)',
  security: bearerSecurity,
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
    ...refusals,
  },
});
const meetingIcs = createRoute({
  method: 'get',
  path: '/meetings/{meetingId}/calendar.ics',
  summary: 'One meeting as an iCalendar file',
  security: bearerSecurity,
  request: { params: MeetingParams },
  responses: { 200: { description: 'text/calendar' }, ...refusals },
});
const networkIcs = createRoute({
  method: 'get',
  path: '/networks/{networkId}/calendar.ics',
  summary: "The network's meetings as an iCalendar feed (signed in; calendar clients use the private feed URL)",
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: { 200: { description: 'text/calendar' }, ...refusals },
});

export const ICS_HEADERS = { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'no-store' };

export function meetingRunRoutes(ctx: AppContext, live: LiveHooks) {
  const who = (c: Parameters<typeof requireIdentity>[0]) => {
    const identity = requireIdentity(c);
    return { userId: identity.user.id, actor: identity.actor };
  };
  const detail = async (c: Parameters<typeof requireIdentity>[0], meetingId: string) => {
    live.meetingChanged(meetingId);
    return meetingDetail(ctx, requireIdentity(c).actor, (await findMeeting(ctx.db, meetingId))!);
  };
  const baseUrl = (url: string) => new URL(url).origin;

  return newRouter()
    .openapi(create, async (c) => {
      const meeting = await createMeeting(ctx, who(c), c.req.valid('param').networkId, c.req.valid('json'));
      return c.json(await detail(c, meeting.id), 201);
    })
    .openapi(update, async (c) => {
      const { meetingId } = c.req.valid('param');
      await updateMeeting(ctx, who(c), meetingId, c.req.valid('json'));
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(cancel, async (c) => {
      const { meetingId } = c.req.valid('param');
      await cancelMeeting(ctx, who(c), meetingId);
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(agenda, async (c) => {
      const { meetingId } = c.req.valid('param');
      await replaceAgenda(ctx, who(c), meetingId, c.req.valid('json').agenda);
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(presenters, async (c) => {
      const { meetingId } = c.req.valid('param');
      await setPresenterOrder(ctx, who(c), meetingId, c.req.valid('json').order);
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(start, async (c) => {
      const { meetingId } = c.req.valid('param');
      await startMeeting(ctx, who(c), meetingId);
      const meeting = (await findMeeting(ctx.db, meetingId))!;
      // Held notes open with the meeting: their readers' connections are re-decided.
      await live.documentsChanged((await meetingDetail(ctx, requireIdentity(c).actor, meeting)).documents.methodNotes.flatMap((n) => (n.name ? [n.name] : [])));
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(advance, async (c) => {
      const { meetingId } = c.req.valid('param');
      // The body is optional: no body means "next item".
      const body = AdvanceRequest.parse((await c.req.json().catch(() => ({}))) ?? {});
      await advanceMeeting(ctx, who(c), meetingId, body);
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(close, async (c) => {
      const { meetingId } = c.req.valid('param');
      await closeMeeting(ctx, who(c), meetingId, { freezeDocuments: (names) => live.freezeDocuments(names) });
      return c.json(await detail(c, meetingId), 200);
    })
    .openapi(addEntryRoute, async (c) => {
      const { meetingId } = c.req.valid('param');
      const entry = await addEntry(ctx, who(c), meetingId, c.req.valid('json'));
      live.meetingChanged(meetingId);
      return c.json(entry, 201);
    })
    .openapi(entryStatus, async (c) => {
      const { meetingId, entryId } = c.req.valid('param');
      const entry = await setEntryStatus(ctx, who(c), meetingId, entryId, c.req.valid('json').status);
      live.meetingChanged(meetingId);
      return c.json(entry, 200);
    })
    .openapi(preparation, async (c) => c.json(await preparationBoard(ctx, requireIdentity(c).actor, c.req.valid('param').meetingId), 200))
    .openapi(meetingIcs, async (c) => {
      const { actor } = requireIdentity(c);
      const meeting = await findMeeting(ctx.db, c.req.valid('param').meetingId);
      if (!meeting || !can(actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('not_found', 'No such meeting.');
      return c.body(calendarOf(meeting.title, [meeting], baseUrl(c.req.url)), 200, { ...ICS_HEADERS, 'content-disposition': `attachment; filename="samspil-${meeting.id}.ics"` });
    })
    .openapi(networkIcs, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      return c.body(calendarOf(await networkName(ctx.db, networkId), await meetingsOfNetwork(ctx.db, networkId), baseUrl(c.req.url)), 200, ICS_HEADERS);
    });
}
