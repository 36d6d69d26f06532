// What the meeting sub-apps share: the refusals they document, the shape of a host's action on a
// meeting, and the answer after a change (everyone in the meeting is told).
import type { Context } from 'hono';
import { findMeeting } from '../../db/queries/meetings.ts';
import type { AppContext } from '../context.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { jsonContent, MeetingParams, refusals, requireIdentity, signedInRoute, type ApiEnv } from '../http/router.ts';
import { MeetingDetail } from '../wire/meetings.ts';
import { meetingDetail } from './detail.ts';

/** Reading a meeting, and what members do with their own method notes. */
export const memberRefusals = refusals({ 401: 'Not signed in', 403: 'Not allowed', 404: 'No such meeting' });

/** Planning and running a meeting: the host's. */
export const hostRefusals = refusals({
  401: 'Not signed in',
  403: 'Only the host',
  404: 'No such meeting',
  409: 'Not in this state (e.g. archived, not started)',
  422: 'Invalid body',
});

// Generic in the path so the literal reaches the route table AppType (a plain string would hide it).
export const hostAction = <Path extends string>(path: Path, summary: string) =>
  signedInRoute('post', path, summary, {
    request: { params: MeetingParams },
    responses: { 200: jsonContent(MeetingDetail, 'The meeting now'), ...hostRefusals },
  });

/** The meeting as the caller now sees it, after pushing its new state to everyone in it. */
export async function changedMeeting(ctx: AppContext, live: LiveHooks, c: Context<ApiEnv>, meetingId: string): Promise<MeetingDetail> {
  live.meetingChanged(meetingId);
  return meetingDetail(ctx, requireIdentity(c).actor, (await findMeeting(ctx.db, meetingId))!);
}

/** The archive and the calendar feeds. */
export const archiveRefusals = refusals({ 401: 'Not signed in', 403: 'Not allowed', 404: 'Not found' });
