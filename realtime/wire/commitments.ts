// Commitments: the host's monthly record of each contract promise and the provider's response.
import { z } from '@hono/zod-openapi';
import { Person } from './common.ts';

export const CommitmentStatus = z.enum(['met', 'partly', 'not_met'], { error: 'The status is "met", "partly" or "not_met"' });
export type CommitmentStatus = z.infer<typeof CommitmentStatus>;

/** The host's monthly record of one commitment: a note is required unless it was met. */
export const CommitmentRecordInput = z
  .object({
    status: CommitmentStatus,
    note: z.string({ error: 'The note must be text' }).trim().max(5000, 'The note is at most 5000 characters').default(''),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.status !== 'met' && r.note.length < 3) ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say what was missing in a note of at least 3 characters' });
  })
  .openapi('CommitmentRecordInput');
export type CommitmentRecordInput = z.infer<typeof CommitmentRecordInput>;

export const CommitmentResponseInput = z
  .object({ response: z.string({ error: 'The response must be text' }).trim().min(3, 'Write the response in at least 3 characters').max(5000, 'The response is at most 5000 characters') })
  .strict()
  .openapi('CommitmentResponseInput');
export type CommitmentResponseInput = z.infer<typeof CommitmentResponseInput>;

export const CommitmentRecord = z
  .object({
    id: z.string(),
    status: CommitmentStatus,
    note: z.string(),
    recordedBy: Person,
    recordedAt: z.string(),
    response: z.object({ text: z.string(), by: Person, at: z.string() }).nullable(),
  })
  .openapi('CommitmentRecord');
export type CommitmentRecord = z.infer<typeof CommitmentRecord>;

export const CommitmentMonth = z
  .object({
    networkId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    month: z.string(),
    contract: z.object({ id: z.string(), version: z.number().int() }).nullable().openapi({ description: 'The contract covering the month; null when none does' }),
    commitments: z.array(
      z.object({
        id: z.string(),
        text: z.string(),
        measure: z.string(),
        inCurrentTerms: z.boolean().openapi({ description: 'False for a promise dropped from the contract since it was recorded' }),
        record: CommitmentRecord.nullable(),
      }),
    ),
  })
  .openapi('CommitmentMonth');
export type CommitmentMonth = z.infer<typeof CommitmentMonth>;
