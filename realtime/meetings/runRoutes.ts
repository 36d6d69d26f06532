// Running a meeting live (host): start, advance the agenda, record decisions and action items,
// close and archive. Every change is pushed to the meeting's room (runLive.ts).
import { z } from '@hono/zod-openapi';
import { findMeeting } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { actingUser, pathParam, jsonBody, jsonContent, MeetingParams, newRouter, requireIdentity, signedInRoute } from '../http/router.ts';
import { AdvanceRequest, EntryInput, MeetingDetail, MeetingEntry, StartRequest } from '../wire/meetings.ts';
import { closeMeeting } from './archive.ts';
import { meetingDetail } from './detail.ts';
import { changedMeeting, hostAction, hostRefusals } from './routeParts.ts';
import { addEntry, advanceMeeting, setEntryStatus, startMeeting } from './run.ts';

const start = signedInRoute('post', '/{meetingId}/start', 'Start the meeting (host): every screen follows from here. More than a day before the planned start only with { confirmEarly: true }', {
  request: { params: MeetingParams, body: jsonBody(StartRequest, false) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
});
const advance = signedInRoute('post', '/{meetingId}/advance', 'Move to the next (or a given) agenda item, or rotate the presenter (host)', {
  request: { params: MeetingParams, body: jsonBody(AdvanceRequest, false) },
  responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
});

const close = hostAction('/{meetingId}/close', 'Close and archive the meeting (host): an immutable snapshot; documents become read-only');
const addEntryRoute = signedInRoute('post', '/{meetingId}/entries', 'Record a decision or an action item (text, owner, due date) during the meeting (host)', {
  request: { params: MeetingParams, body: jsonBody(EntryInput) },
  responses: { 201: jsonContent(MeetingEntry, 'Recorded'), ...hostRefusals },
});

const entryStatus = signedInRoute('post', '/{meetingId}/entries/{entryId}/status', 'Mark an action item (from this or an earlier meeting) done or open (host)', {
  request: { params: MeetingParams.extend({ entryId: pathParam('entryId') }), body: jsonBody(z.object({ status: z.enum(['open', 'done']) })) },
  responses: { 200: jsonContent(MeetingEntry, 'Updated'), ...hostRefusals },
});

/** Mounted at /api/meetings. */
export function meetingRunRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(start, async (c) => {
      const { meetingId } = c.req.valid('param');
      // The body is optional: no body means no confirmation.
      const body = StartRequest.parse((await c.req.json().catch(() => ({}))) ?? {});
      await startMeeting(ctx, actingUser(c), meetingId, { confirmEarly: body.confirmEarly === true });
      const meeting = (await findMeeting(ctx.db, meetingId))!;
      // Held notes open with the meeting: their readers' connections are re-decided.
      await live.documentsChanged((await meetingDetail(ctx, requireIdentity(c).actor, meeting)).documents.methodNotes.flatMap((n) => (n.name ? [n.name] : [])));
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(advance, async (c) => {
      const { meetingId } = c.req.valid('param');
      // The body is optional: no body means "next item".
      const body = AdvanceRequest.parse((await c.req.json().catch(() => ({}))) ?? {});
      await advanceMeeting(ctx, actingUser(c), meetingId, body);
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(close, async (c) => {
      const { meetingId } = c.req.valid('param');
      await closeMeeting(ctx, actingUser(c), meetingId, { freezeDocuments: (names) => live.freezeDocuments(names) });
      return c.json(await changedMeeting(ctx, live, c, meetingId), 200);
    })
    .openapi(addEntryRoute, async (c) => {
      const { meetingId } = c.req.valid('param');
      const entry = await addEntry(ctx, actingUser(c), meetingId, c.req.valid('json'));
      live.meetingChanged(meetingId);
      return c.json(entry, 201);
    })
    .openapi(entryStatus, async (c) => {
      const { meetingId, entryId } = c.req.valid('param');
      const entry = await setEntryStatus(ctx, actingUser(c), meetingId, entryId, c.req.valid('json').status);
      live.meetingChanged(meetingId);
      return c.json(entry, 200);
    });
}
