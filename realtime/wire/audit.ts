// The network's audit log, paged by cursor.
import { z } from '@hono/zod-openapi';
import { CalendarDate, Person } from './common.ts';

export const AuditQuery = z.object({
  from: CalendarDate.optional().openapi({ description: 'First day (Copenhagen), inclusive' }),
  to: CalendarDate.optional().openapi({ description: 'Last day (Copenhagen), inclusive' }),
  subjectType: z.string().max(100).optional(),
  limit: z.coerce.number({ error: 'The limit must be a number' }).int().min(1, 'The limit is 1 to 200').max(200, 'The limit is 1 to 200').default(50),
  cursor: z.string().max(300).optional().openapi({ description: '`nextCursor` of the previous page' }),
});

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
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z
  .object({
    entries: z.array(AuditEntry),
    nextCursor: z.string().nullable(),
    subjectTypes: z.array(z.string()).openapi({ description: 'Every subject type in this network’s log, for a filter' }),
  })
  .openapi('AuditPage');
export type AuditPage = z.infer<typeof AuditPage>;
