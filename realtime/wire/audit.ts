// The network's audit log, paged by cursor.
import { z } from '@hono/zod-openapi';
import { CalendarDate, Person } from './common.ts';

export const AuditQuery = z.object({
  from: CalendarDate.optional().openapi({ description: 'First day (Copenhagen), inclusive' }),
  to: CalendarDate.optional().openapi({ description: 'Last day (Copenhagen), inclusive' }),
  subjectType: z.string().max(100).optional(),
  actor: z.string().max(100).optional().openapi({ description: 'Only entries by this person (user id)' }),
  action: z.string().max(100).regex(/^[A-Za-z]+(\.[A-Za-z]+)?$/, 'An action looks like report.correct').optional().openapi({ description: 'Only this action, e.g. `report.correct`' }),
  locale: z.enum(['da', 'en'], { error: 'The language is da or en' }).optional().openapi({ description: "The sentences' language; the reader's own by default" }),
  limit: z.coerce.number({ error: 'The limit must be a number' }).int().min(1, 'The limit is 1 to 200').max(200, 'The limit is 1 to 200').default(50),
  cursor: z.string().max(300).optional().openapi({ description: '`nextCursor` of the previous page' }),
});

export const AuditWords = z
  .object({
    verb: z.string().openapi({ description: 'The action, e.g. `report.correct`' }),
    known: z.boolean().openapi({ description: 'False when the action has no phrase of its own and reads generically' }),
    object: z.object({ kind: z.string(), id: z.string(), label: z.string(), href: z.string().nullable().openapi({ description: 'The web page of the object, if it has one' }) }),
    changes: z.array(z.object({ field: z.string(), label: z.string(), before: z.string(), after: z.string() })),
    reason: z.string().nullable(),
    sentence: z.array(z.object({ text: z.string(), href: z.string().optional() })).openapi({ description: 'The sentence in pieces; a piece with `href` is the object, to be a link' }),
    text: z.string().openapi({ description: 'The whole sentence as plain text' }),
  })
  .openapi('AuditWords');
export type AuditWords = z.infer<typeof AuditWords>;

export const AuditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: Person.nullable(),
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    words: AuditWords,
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .object({
    entries: z.array(AuditEntry),
    nextCursor: z.string().nullable(),
    subjectTypes: z.array(z.string()).openapi({ description: 'Every subject type in this network’s log, for a filter' }),
    actors: z.array(Person).openapi({ description: 'Everyone who appears as actor in the log, for a filter' }),
    actions: z.array(z.object({ action: z.string(), label: z.string() })).openapi({ description: 'Every action in the log with its verb in words, for a filter' }),
  })
  .openapi('AuditPage');
export type AuditPage = z.infer<typeof AuditPage>;
