// The archive: a closed meeting as it stood, addenda and Markdown/PDF exports (under /api/meetings),
// full-text search and a provider's method note compared between two meetings (under /api/networks).
import { z } from '@hono/zod-openapi';
import { diffLines } from 'diff';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { fileParam, jsonBody, jsonContent, MeetingParams, NetworkParams, newRouter, requireIdentity, signedInRoute } from '../http/router.ts';
import { ErrorBody } from '../wire/errors.ts';
import { Leaderboard } from '../wire/leaderboard.ts';
import { MeetingEntry } from '../wire/meetings.ts';
import { addAddendum, archivedMeeting, archiveMarkdown } from './archive.ts';
import { minutesDocument } from './minutesDocument.ts';
import { renderPdf } from '../documents/pdf.ts';
import { attachment } from '../documents/attachment.ts';
import { archiveRefusals } from './routeParts.ts';
import { searchArchive } from './search.ts';

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

const archiveView = signedInRoute('get', '/{meetingId}/archive', 'An archived meeting as it stood at close: minutes, method notes (drafts stay private), decisions, action items, attendance, figures, addenda', {
  request: { params: MeetingParams },
  responses: { 200: jsonContent(ArchivedMeeting, 'The archived record'), ...archiveRefusals },
});
const addendum = signedInRoute('post', '/{meetingId}/addenda', 'Add an attributed, dated addendum to an archived meeting (host and providers); the record itself never changes', {
  request: { params: MeetingParams, body: jsonBody(z.object({ text: z.string().trim().min(3).max(4000) })) },
  responses: { 201: jsonContent(Addendum, 'Added'), ...archiveRefusals, 409: jsonContent(ErrorBody, 'Not archived'), 422: jsonContent(ErrorBody, 'Invalid') },
});
const exportRoute = signedInRoute('get', '/{meetingId}/{file}', 'An archived meeting as Markdown or as the minutes in a print-ready, tagged PDF (in the reader\'s language or ?locale=)', {
  request: { params: MeetingParams.extend({ file: fileParam(['export.md', 'export.pdf']) }), query: z.object({ locale: z.enum(['da', 'en']).optional() }) },
  responses: { 200: { description: 'text/markdown or application/pdf' }, ...archiveRefusals },
});
const search = signedInRoute('get', '/{networkId}/archive/search', 'Full-text search of archived method notes, minutes, decisions and addenda, with highlighted hits', {
  request: { params: NetworkParams, query: z.object({ q: z.string().min(1).max(200) }) },
  responses: {
    200: jsonContent(z.object({ q: z.string(), hits: z.array(z.object({ meetingId: z.string(), meetingTitle: z.string(), startsAt: z.string(), kind: z.string(), providerId: z.string().nullable(), title: z.string(), segments: Segments })) }), 'Hits, best first'),
    ...archiveRefusals,
    422: jsonContent(ErrorBody, 'No words to search for'),
  },
});
const diff = signedInRoute('get', '/{networkId}/archive/diff', "Compare a provider's method note between two archived meetings: what changed in its way of working", {
  request: { params: NetworkParams, query: z.object({ providerId: z.string().min(1).max(100), from: z.string().min(1).max(100), to: z.string().min(1).max(100) }) },
  responses: { 200: jsonContent(z.object({ from: z.string(), to: z.string(), lines: z.array(z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() })) }), 'Line by line'), ...archiveRefusals },
});

/** Mounted at /api/meetings, after every other GET /api/meetings/{meetingId}/… route: `/{meetingId}/{file}` would refuse their paths. */
export function meetingArchiveRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(archiveView, async (c) => c.json(await archivedMeeting(ctx, requireIdentity(c).actor, c.req.valid('param').meetingId), 200))
    .openapi(addendum, async (c) => {
      const identity = requireIdentity(c);
      const added = await addAddendum(ctx, { userId: identity.user.id, actor: identity.actor, name: identity.user.name }, c.req.valid('param').meetingId, c.req.valid('json').text);
      return c.json(added, 201);
    })
    .openapi(exportRoute, async (c) => {
      const { meetingId, file } = c.req.valid('param');
      const identity = requireIdentity(c);
      const archived = await archivedMeeting(ctx, identity.actor, meetingId);
      const name = `samspil-${archived.meeting.startsAt.slice(0, 10)}`;
      if (file === 'export.md') return c.body(archiveMarkdown(archived), 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': attachment(`${name}.md`) });
      const locale = c.req.valid('query').locale ?? identity.user.locale;
      const pdf = await renderPdf(minutesDocument(archived, locale));
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': attachment(`${locale === 'da' ? 'referat' : 'minutes'}-${archived.meeting.startsAt.slice(0, 10)}.pdf`) });
    });
}

/** Mounted at /api/networks. */
export function networkArchiveRoutes(ctx: AppContext) {
  return newRouter()
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
    });
}
