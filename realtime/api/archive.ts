// The archive: a closed meeting as it stood, addenda, Markdown/PDF exports, full-text search, a
// provider's method note compared between two meetings, and private calendar-feed URLs.
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { diffLines } from 'diff';
import { can } from '../../domain/access.ts';
import { insertCalendarFeed, liveFeedBySecretHash, liveFeedsOfNetwork, revokeCalendarFeed } from '../../db/queries/calendarFeeds.ts';
import { meetingsOfNetwork } from '../../db/queries/meetings.ts';
import { networkName } from '../../db/queries/networks.ts';
import { sha256 } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ErrorBody, Leaderboard, MeetingEntry } from '../protocol.ts';
import { addAddendum, archivedMeeting, archiveMarkdown } from '../meetings/archive.ts';
import { calendarOf } from '../meetings/calendar.ts';
import { markdownToPdf } from '../meetings/pdf.ts';
import { searchArchive } from '../meetings/search.ts';
import { ICS_HEADERS } from './meetingRun.ts';
import { bearerSecurity, jsonContent, newRouter, requireIdentity } from './router.ts';

const MeetingParams = z.object({ meetingId: z.string().min(1).max(100).openapi({ param: { name: 'meetingId', in: 'path' } }) });
const NetworkParams = z.object({ networkId: z.string().min(1).max(100).openapi({ param: { name: 'networkId', in: 'path' } }) });
const refusals = { 401: jsonContent(ErrorBody, 'Not signed in'), 403: jsonContent(ErrorBody, 'Not allowed'), 404: jsonContent(ErrorBody, 'Not found') };

const Segments = z.array(z.object({ text: z.string(), hit: z.boolean() }));
const Addendum = z.object({ id: z.string(), text: z.string(), createdBy: z.string(), createdAt: z.string() });
/** What GET /meetings/{meetingId}/archive answers (realtime/meetings/archive.ts ArchivedMeeting), declared so the typed client sees it. */
const ArchivedMeeting = z
  .object({
    meeting: z.object({ id: z.string(), networkId: z.string(), title: z.string(), startsAt: z.string(), durationMinutes: z.number(), location: z.string().nullable(), startedAt: z.string().nullable(), closedAt: z.string() }),
    agenda: z.array(z.object({ title: z.string(), providerId: z.string().nullable(), minutes: z.number().nullable() })),
    minutes: z.object({ name: z.string(), markdown: z.string() }),
    notes: z.array(z.object({ providerId: z.string(), providerName: z.string(), published: z.boolean(), markdown: z.string().nullable().describe('Null when the note is not shared with the reader (a draft of another provider)') })),
    entries: z.array(MeetingEntry),
    attendance: z.array(z.object({ userId: z.string(), name: z.string(), firstJoinedAt: z.string() })),
    board: Leaderboard,
    addenda: z.array(Addendum),
  })
  .openapi('ArchivedMeeting');

const archiveView = createRoute({
  method: 'get',
  path: '/meetings/{meetingId}/archive',
  summary: 'An archived meeting as it stood at close: minutes, method notes (drafts stay private), decisions, action items, attendance, figures, addenda',
  security: bearerSecurity,
  request: { params: MeetingParams },
  responses: { 200: jsonContent(ArchivedMeeting, 'The archived record'), ...refusals },
});
const addendum = createRoute({
  method: 'post',
  path: '/meetings/{meetingId}/addenda',
  summary: 'Add an attributed, dated addendum to an archived meeting (host and providers); the record itself never changes',
  security: bearerSecurity,
  request: { params: MeetingParams, body: { content: { 'application/json': { schema: z.object({ text: z.string().trim().min(3).max(4000) }) } }, required: true } },
  responses: { 201: jsonContent(Addendum, 'Added'), ...refusals, 409: jsonContent(ErrorBody, 'Not archived'), 422: jsonContent(ErrorBody, 'Invalid') },
});
const exportRoute = createRoute({
  method: 'get',
  path: '/meetings/{meetingId}/{file}',
  summary: 'An archived meeting as Markdown or a print-ready PDF',
  security: bearerSecurity,
  request: { params: MeetingParams.extend({ file: z.enum(['export.md', 'export.pdf']).openapi({ param: { name: 'file', in: 'path' } }) }) },
  responses: { 200: { description: 'text/markdown or application/pdf' }, ...refusals },
});
const search = createRoute({
  method: 'get',
  path: '/networks/{networkId}/archive/search',
  summary: 'Full-text search of archived method notes, minutes, decisions and addenda, with highlighted hits',
  security: bearerSecurity,
  request: { params: NetworkParams, query: z.object({ q: z.string().min(1).max(200) }) },
  responses: {
    200: jsonContent(z.object({ q: z.string(), hits: z.array(z.object({ meetingId: z.string(), meetingTitle: z.string(), startsAt: z.string(), kind: z.string(), providerId: z.string().nullable(), title: z.string(), segments: Segments })) }), 'Hits, best first'),
    ...refusals,
    422: jsonContent(ErrorBody, 'No words to search for'),
  },
});
const diff = createRoute({
  method: 'get',
  path: '/networks/{networkId}/archive/diff',
  summary: "Compare a provider's method note between two archived meetings: what changed in its way of working",
  security: bearerSecurity,
  request: { params: NetworkParams, query: z.object({ providerId: z.string().min(1).max(100), from: z.string().min(1).max(100), to: z.string().min(1).max(100) }) },
  responses: { 200: jsonContent(z.object({ from: z.string(), to: z.string(), lines: z.array(z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() })) }), 'Line by line'), ...refusals },
});
const createFeed = createRoute({
  method: 'post',
  path: '/networks/{networkId}/calendar/feeds',
  summary: "Create a private calendar-feed URL for the network's meetings (for Outlook and other clients that cannot sign in)",
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: { 201: jsonContent(z.object({ id: z.string(), url: z.string() }), 'The URL, shown once'), ...refusals },
});
const listFeeds = createRoute({
  method: 'get',
  path: '/networks/{networkId}/calendar/feeds',
  summary: 'Your live private calendar feeds (the host sees all of the network’s), without their secrets',
  security: bearerSecurity,
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ feeds: z.array(z.object({ id: z.string(), createdAt: z.string(), createdBy: z.string() })) }), 'Live feeds'), ...refusals },
});
const revokeFeed = createRoute({
  method: 'delete',
  path: '/networks/{networkId}/calendar/feeds/{feedId}',
  summary: 'Revoke a private calendar-feed URL you created',
  security: bearerSecurity,
  request: { params: NetworkParams.extend({ feedId: z.string().min(1).max(100).openapi({ param: { name: 'feedId', in: 'path' } }) }) },
  responses: { 204: { description: 'Revoked' }, ...refusals },
});
const publicFeed = createRoute({
  method: 'get',
  path: '/calendar/{secret}',
  summary: 'The private calendar feed (no sign-in: the secret in the URL is the credential)',
  request: { params: z.object({ secret: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/).openapi({ param: { name: 'secret', in: 'path' } }) }) },
  responses: { 200: { description: 'text/calendar' }, 404: jsonContent(ErrorBody, 'Unknown or revoked feed') },
});

export function archiveRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(archiveView, async (c) => c.json(await archivedMeeting(ctx, requireIdentity(c).actor, c.req.valid('param').meetingId), 200))
    .openapi(addendum, async (c) => {
      const identity = requireIdentity(c);
      const added = await addAddendum(ctx, { userId: identity.user.id, actor: identity.actor, name: identity.user.name }, c.req.valid('param').meetingId, c.req.valid('json').text);
      return c.json(added, 201);
    })
    .openapi(exportRoute, async (c) => {
      const { meetingId, file } = c.req.valid('param');
      const archived = await archivedMeeting(ctx, requireIdentity(c).actor, meetingId);
      const markdown = archiveMarkdown(archived);
      const name = `samspil-${archived.meeting.startsAt.slice(0, 10)}`;
      if (file === 'export.md') return c.body(markdown, 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="${name}.md"` });
      const pdf = await markdownToPdf(markdown, archived.meeting.title);
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}.pdf"` });
    })
    .openapi(search, async (c) => {
      const { q } = c.req.valid('query');
      return c.json({ q, hits: await searchArchive(ctx, requireIdentity(c).actor, c.req.valid('param').networkId, q) }, 200);
    })
    .openapi(diff, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      const { providerId, from, to } = c.req.valid('query');
      const note = async (meetingId: string) => {
        const a = await archivedMeeting(ctx, actor, meetingId);
        if (a.meeting.networkId !== networkId) throw new AppError('not_found', `Meeting ${meetingId} is not in this network.`);
        const n = a.notes.find((x) => x.providerId === providerId);
        if (!n || n.markdown === null) throw new AppError('forbidden', `The method note of that provider in meeting ${meetingId} is not shared with you.`);
        return n.markdown;
      };
      // Both end with a newline, so a last line that gained followers is not reported as changed.
      const lines = diffLines(`${await note(from)}\n`, `${await note(to)}\n`).flatMap((part) =>
        part.value.replace(/\n$/, '').split('\n').map((text) => ({ kind: part.added ? ('added' as const) : part.removed ? ('removed' as const) : ('same' as const), text })),
      );
      return c.json({ from, to, lines }, 200);
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
    })
    .openapi(publicFeed, async (c) => {
      const secret = c.req.valid('param').secret.replace(/\.ics$/, '');
      const feed = await liveFeedBySecretHash(ctx.db, sha256(secret));
      if (!feed) throw new AppError('not_found', 'Unknown or revoked calendar feed.');
      return c.body(calendarOf(await networkName(ctx.db, feed.network_id), await meetingsOfNetwork(ctx.db, feed.network_id), new URL(c.req.url).origin), 200, ICS_HEADERS);
    });
}
