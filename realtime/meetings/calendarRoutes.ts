// Meetings in calendars: one meeting or a network's meetings as iCalendar files (signed in), and
// private feed URLs for calendar clients that cannot sign in (the secret in the URL is the credential).
import { randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { can } from '../../domain/access.ts';
import { insertCalendarFeed, liveFeedBySecretHash, liveFeedsOfNetwork, revokeCalendarFeed } from '../../db/queries/calendarFeeds.ts';
import { findMeeting, meetingsOfNetwork } from '../../db/queries/meetings.ts';
import { networkName } from '../../db/queries/networks.ts';
import { actorOf, sha256 } from '../auth/identity.ts';
import { assertReadsMeeting, readableMeetings } from './detail.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { pathParam, jsonContent, MeetingParams, NetworkParams, newRouter, openRoute, requireIdentity, signedInRoute } from '../http/router.ts';
import { ErrorBody } from '../wire/errors.ts';
import { calendarOf } from './calendar.ts';
import { archiveRefusals, hostRefusals } from './routeParts.ts';

const meetingIcs = signedInRoute('get', '/{meetingId}/calendar.ics', 'One meeting as an iCalendar file', {
  request: { params: MeetingParams },
  responses: { 200: { description: 'text/calendar' }, ...hostRefusals },
});

const networkIcs = signedInRoute('get', '/{networkId}/calendar.ics', "The network's meetings as an iCalendar feed (signed in; calendar clients use the private feed URL)", {
  request: { params: NetworkParams },
  responses: { 200: { description: 'text/calendar' }, ...hostRefusals },
});

const createFeed = signedInRoute('post', '/{networkId}/calendar/feeds', "Create a private calendar-feed URL for the network's meetings (for Outlook and other clients that cannot sign in)", {
  request: { params: NetworkParams },
  responses: { 201: jsonContent(z.object({ id: z.string(), url: z.string() }), 'The URL, shown once'), ...archiveRefusals },
});
const listFeeds = signedInRoute('get', '/{networkId}/calendar/feeds', 'Your live private calendar feeds (the host sees all of the network’s), without their secrets', {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ feeds: z.array(z.object({ id: z.string(), createdAt: z.string(), createdBy: z.string() })) }), 'Live feeds'), ...archiveRefusals },
});
const revokeFeed = signedInRoute('delete', '/{networkId}/calendar/feeds/{feedId}', 'Revoke a private calendar-feed URL you created', {
  request: { params: NetworkParams.extend({ feedId: pathParam('feedId') }) },
  responses: { 204: { description: 'Revoked' }, ...archiveRefusals },
});
const publicFeed = openRoute('get', '/{secret}', 'The private calendar feed (no sign-in: the secret in the URL is the credential)', {
  request: { params: z.object({ secret: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/).openapi({ param: { name: 'secret', in: 'path' } }) }) },
  responses: { 200: { description: 'text/calendar' }, 404: jsonContent(ErrorBody, 'Unknown or revoked feed') },
});

const ICS_HEADERS = { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'no-store' };
const baseUrl = (url: string) => new URL(url).origin;

/** Mounted at /api/meetings. */
export function meetingCalendarRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(meetingIcs, async (c) => {
      const { actor } = requireIdentity(c);
      const meeting = await findMeeting(ctx.db, c.req.valid('param').meetingId);
      if (!meeting || !can(actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('not_found', 'No such meeting.');
      assertReadsMeeting(actor, meeting);
      return c.body(calendarOf(meeting.title, [meeting], baseUrl(c.req.url)), 200, { ...ICS_HEADERS, 'content-disposition': `attachment; filename="samspil-${meeting.id}.ics"` });
    });
}

/** Mounted at /api/networks. */
export function networkCalendarRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(networkIcs, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      return c.body(calendarOf(await networkName(ctx.db, networkId), readableMeetings(actor, await meetingsOfNetwork(ctx.db, networkId)), baseUrl(c.req.url)), 200, ICS_HEADERS);
    })
    .openapi(createFeed, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(identity.actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      const secret = randomBytes(24).toString('base64url');
      const id = ctx.newId();
      await insertCalendarFeed(ctx.db, { id, network_id: networkId, secret_hash: sha256(secret), created_by: identity.user.id, created_at: ctx.now().toISOString(), revoked_at: null });
      return c.json({ id, url: `${new URL(c.req.url).origin}/api/calendar/${secret}.ics` }, 201);
    })
    .openapi(listFeeds, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      if (!can(identity.actor, { action: 'network.read', networkId })) throw new AppError('forbidden', 'You are not a member of this network.');
      const ownOnly = !can(identity.actor, { action: 'network.manage', networkId });
      return c.json({ feeds: await liveFeedsOfNetwork(ctx.db, networkId, ownOnly ? identity.user.id : undefined) }, 200);
    })
    .openapi(revokeFeed, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, feedId } = c.req.valid('param');
      // The host may revoke any of the network's feeds; others only their own.
      const ownOnly = !can(identity.actor, { action: 'network.manage', networkId });
      const revoked = await revokeCalendarFeed(ctx.db, { feedId, networkId, createdBy: ownOnly ? identity.user.id : undefined, at: ctx.now().toISOString() });
      if (!revoked) throw new AppError('not_found', 'No such live feed of yours.');
      return c.body(null, 204);
    });
}

/** Mounted at /api/calendar: no sign-in. */
export function calendarFeedRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(publicFeed, async (c) => {
      const secret = c.req.valid('param').secret.replace(/\.ics$/, '');
      const feed = await liveFeedBySecretHash(ctx.db, sha256(secret));
      if (!feed) throw new AppError('not_found', 'Unknown or revoked calendar feed.');
      // The feed shows what its creator may read now: after their provider has left, only its time's archive.
      const meetings = readableMeetings(await actorOf(ctx, feed.created_by), await meetingsOfNetwork(ctx.db, feed.network_id));
      return c.body(calendarOf(await networkName(ctx.db, feed.network_id), meetings, baseUrl(c.req.url)), 200, ICS_HEADERS);
    });
}
