// /api/networks/:networkId/audit: the host browses (newest first, a page at a time) and exports the
// network's audit log. Read-only on purpose: no route edits or deletes an entry.
import { can, type Actor } from '../../domain/access.ts';
import { addDays, copenhagenMidnight, TIME_ZONE } from '../../domain/time.ts';
import { auditChoices, auditEntries, auditNames, auditSubjectTypes, type AuditFilter, type AuditNames } from '../../db/queries/audit.ts';
import { auditWords } from './auditWords.ts';
import { VERBS, WORDS, type AuditLocale } from './auditPhrases.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { AuditEntry, AuditPage, AuditQuery } from '../wire/audit.ts';
import { CSV_TYPE, plainSheet, writeCsv } from '../documents/spreadsheet.ts';
import { jsonContent, NetworkParams, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const auditRefusals = refusals({ 401: 'Not signed in', 403: 'Only the host reads the audit log', 422: 'A bad date, limit or cursor (issues name the parameter)' });

const browse = signedInRoute('get', '/{networkId}/audit', 'The audit log, newest first: each entry as a sentence in words and its parts (host)', {
  description: `Each entry carries \`words\`: the actor, the action, the object named with a link, the changed fields before → after and the reason, and the sentence in the reader's language (or \`locale\`). Filter by \`actor\` (user id), \`action\`, \`subjectType\` and period. Pass \`nextCursor\` as \`cursor\` for the next page. \`from\`/\`to\` are calendar days in ${TIME_ZONE}, both included.`,
  request: { params: NetworkParams, query: AuditQuery },
  responses: { 200: jsonContent(AuditPage, 'One page of entries'), ...auditRefusals },
});

const exportCsv = signedInRoute('get', '/{networkId}/audit/export.csv', 'The audit log as CSV, newest first, with the same filters (host)', {
  request: { params: NetworkParams, query: AuditQuery.omit({ limit: true, cursor: true }) },
  responses: { 200: { description: 'The CSV file' }, ...auditRefusals },
});

export const AUDIT_EXPORT_COLUMNS = ['at', 'actor', 'action', 'sentence', 'subjectType', 'subjectId', 'before', 'after'];
const MAX_EXPORT_ROWS = 100_000;

function assertMayRead(actor: Actor, networkId: string): void {
  if (!can(actor, { action: 'audit.read', networkId })) throw new AppError('forbidden', 'Only the jobcenter (the host) reads the audit log.');
}

/** Calendar days in Copenhagen as instants: from the first day's midnight to the midnight after the last. */
function period(q: { from?: string; to?: string; subjectType?: string; actor?: string; action?: string }): Omit<AuditFilter, 'limit'> {
  if (q.from && q.to && q.to < q.from) throw new AppError('validation_failed', 'The period ends before it starts.', [{ path: 'to', message: 'The last day is before the first' }]);
  return {
    from: q.from ? copenhagenMidnight(q.from).toISOString() : undefined,
    until: q.to ? copenhagenMidnight(addDays(q.to, 1)).toISOString() : undefined,
    subjectType: q.subjectType || undefined,
    actorUserId: q.actor || undefined,
    action: q.action || undefined,
  };
}

const encodeCursor = (e: { at: string; id: string }) => Buffer.from(JSON.stringify([e.at, e.id])).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through to the refusal
  }
  throw new AppError('validation_failed', 'The cursor is not one this API gave out.', [{ path: 'cursor', message: 'Use nextCursor from the previous page' }]);
}

const parsed = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

type Row = Awaited<ReturnType<typeof auditEntries>>[number];

function entryDto(locale: AuditLocale, names: AuditNames, networkId: string, r: Row): AuditEntry {
  const before = parsed(r.before_json);
  const after = parsed(r.after_json);
  return {
    id: r.id,
    at: r.at,
    actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name ?? '?' } : null,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    before,
    after,
    words: auditWords(locale, names, networkId, { ...r, before, after }),
  };
}

/** An action for the filter: its verb with the object left open, "rettede …". */
const actionLabel = (locale: AuditLocale, action: string) => (VERBS[locale][action] ?? WORDS[locale].unknownVerb.replace('{action}', action)).replace('{object}', '…');

export function auditRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(browse, async (c) => {
      const { actor, user } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      assertMayRead(actor, networkId);
      const q = c.req.valid('query');
      const locale = q.locale ?? user.locale;
      const filter = { ...period(q), olderThan: q.cursor ? decodeCursor(q.cursor) : undefined };
      // One more than a page tells whether there is a next one.
      const rows = await auditEntries(ctx.db, networkId, { ...filter, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const nextCursor = rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null;
      const [names, choices, subjectTypes] = await Promise.all([auditNames(ctx.db, networkId), auditChoices(ctx.db, networkId), auditSubjectTypes(ctx.db, networkId)]);
      return c.json({
        entries: page.map((r) => entryDto(locale, names, networkId, r)),
        nextCursor,
        subjectTypes,
        actors: choices.actors,
        actions: choices.actions.map((action) => ({ action, label: actionLabel(locale, action) })),
      }, 200);
    })
    .openapi(exportCsv, async (c) => {
      const { actor, user } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      assertMayRead(actor, networkId);
      const q = c.req.valid('query');
      const locale = q.locale ?? user.locale;
      const rows = await auditEntries(ctx.db, networkId, { ...period(q), limit: MAX_EXPORT_ROWS });
      const names = await auditNames(ctx.db, networkId);
      const table = rows.map((r) => {
        const words = auditWords(locale, names, networkId, { ...r, before: parsed(r.before_json), after: parsed(r.after_json) });
        return [r.at, r.actor_name ?? r.actor_user_id, r.action, words.text, r.subject_type, r.subject_id, r.before_json, r.after_json];
      });
      return c.body(writeCsv(plainSheet('Revisionsspor', AUDIT_EXPORT_COLUMNS, table)) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': `${CSV_TYPE}; charset=utf-8`,
        'content-disposition': 'attachment; filename="samspil-audit.csv"',
      });
    });
}
