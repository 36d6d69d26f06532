// Supervision visits of providers, their follow-ups and the provider's response.
import { z } from '@hono/zod-openapi';
import { CalendarDate, Person } from './common.ts';

export const SupervisionKind = z.enum(['announced', 'unannounced', 'startup'], { error: 'The kind is "announced", "unannounced" or "startup"' });
export type SupervisionKind = z.infer<typeof SupervisionKind>;
/** Who must carry out a follow-up: the jobcenter (host) or the visited provider. */
export const FollowUpOwner = z.enum(['host', 'provider'], { error: 'The owner is "host" or "provider"' });

const supervisionText = (what: string, max: number) => z.string({ error: `${what} must be text` }).trim().max(max, `${what} is at most ${max} characters`);

export const FollowUpInput = z
  .object({
    text: supervisionText('The follow-up', 2000).min(3, 'Describe the follow-up in at least 3 characters'),
    owner: FollowUpOwner,
    dueDate: CalendarDate,
  })
  .strict();

export const SupervisionVisitInput = z
  .object({
    visitDate: CalendarDate,
    kind: SupervisionKind,
    findings: supervisionText('The findings', 20_000).min(3, 'Write the findings in at least 3 characters'),
    actions: z.array(FollowUpInput).max(50, 'At most 50 follow-ups per visit').default([]),
  })
  .strict()
  .openapi('SupervisionVisitInput');
export type SupervisionVisitInput = z.infer<typeof SupervisionVisitInput>;

export const SupervisionVisitChange = z
  .object({
    findings: supervisionText('The findings', 20_000).min(3, 'Write the findings in at least 3 characters').optional(),
    status: z.enum(['open', 'closed'], { error: 'The status is "open" or "closed"' }).optional(),
    addActions: z.array(FollowUpInput).max(50, 'At most 50 follow-ups at a time').optional(),
  })
  .strict()
  .openapi('SupervisionVisitChange');
export type SupervisionVisitChange = z.infer<typeof SupervisionVisitChange>;

export const FollowUpChange = z.object({ status: z.enum(['open', 'done'], { error: 'The status is "open" or "done"' }) }).strict().openapi('FollowUpChange');
export type FollowUpChange = z.infer<typeof FollowUpChange>;

export const SupervisionResponseInput = z
  .object({ response: supervisionText('The response', 20_000).min(3, 'Write the response in at least 3 characters') })
  .strict()
  .openapi('SupervisionResponseInput');

export const FollowUp = z
  .object({
    id: z.string(),
    visitId: z.string(),
    text: z.string(),
    owner: FollowUpOwner,
    dueDate: z.string(),
    status: z.enum(['open', 'done']),
    doneAt: z.string().nullable(),
    overdue: z.boolean().openapi({ description: 'Open and due before today in Copenhagen' }),
  })
  .openapi('FollowUp');
export type FollowUp = z.infer<typeof FollowUp>;

export const SupervisionVisit = z
  .object({
    id: z.string(),
    networkId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    visitDate: z.string(),
    kind: SupervisionKind,
    findings: z.string(),
    status: z.enum(['open', 'closed']),
    response: z.object({ text: z.string(), by: Person, at: z.string() }).nullable(),
    actions: z.array(FollowUp),
    createdBy: Person,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SupervisionVisit');
export type SupervisionVisit = z.infer<typeof SupervisionVisit>;

export const OverdueFollowUp = FollowUp.extend({ providerId: z.string(), providerName: z.string(), visitDate: z.string() }).openapi('OverdueFollowUp');
export type OverdueFollowUp = z.infer<typeof OverdueFollowUp>;
