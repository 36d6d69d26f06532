// Contracts: a provider's period, payment terms, documentation deadline and commitments, versioned.
import { z } from '@hono/zod-openapi';
import { CalendarDate, Month, percent } from './common.ts';
import { SettlementTermsInput } from './settlements.ts';

export const CommitmentItem = z
  .object({
    /** Stable across versions so monthly records keep pointing at the same promise; new items get one. */
    id: z.string().min(1).max(100).optional(),
    text: z.string().trim().min(3, 'Describe the commitment in at least 3 characters').max(1000),
    measure: z.string().trim().min(3, 'Say how it is measured in at least 3 characters').max(1000),
  })
  .strict();

export const ContractInput = z
  .object({
    name: z.string().trim().min(3, 'Give the contract a name of at least 3 characters').max(200, 'The name is at most 200 characters').optional(),
    /**
     * The first month the terms govern. A new contract defaults to its period's first month; a change
     * must say it, and may not reach back into a month already approved.
     */
    effectiveFrom: Month.optional().openapi({ example: '2027-01' }),
    periodStart: CalendarDate,
    periodEnd: CalendarDate,
    terms: SettlementTermsInput,
    activationRequirementPct: percent('The activation requirement').default(30),
    documentationDeadlineDay: z.number({ error: 'The deadline day must be a number' }).int().min(1, 'The deadline is a day from 1 to 28').max(28, 'The deadline is a day from 1 to 28').default(10),
    commitments: z.array(CommitmentItem).max(50, 'At most 50 commitments').default([]),
    endedOn: CalendarDate.nullable().optional(),
    reason: z.string().trim().min(3, 'Give a reason of at least 3 characters').max(2000).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.periodEnd < c.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'The period ends before it starts' });
    if (c.endedOn && c.endedOn < c.periodStart) ctx.addIssue({ code: 'custom', path: ['endedOn'], message: 'The contract cannot end before its period starts' });
    if (c.effectiveFrom && c.effectiveFrom > c.periodEnd.slice(0, 7)) ctx.addIssue({ code: 'custom', path: ['effectiveFrom'], message: 'The change takes effect after the period has ended' });
  })
  .openapi('ContractInput');
export type ContractInput = z.infer<typeof ContractInput>;

export const Contract = z
  .object({
    id: z.string(),
    networkId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    name: z.string(),
    number: z.string().openapi({ example: 'K-2026-003' }),
    version: z.number().int(),
    effectiveFrom: z.string().openapi({ description: 'The first month (YYYY-MM) this version governs' }),
    versionInForce: z.number().int().openapi({ description: 'The version governing this month (the newest written may take effect later)' }),
    periodStart: z.string(),
    periodEnd: z.string(),
    endedOn: z.string().nullable(),
    terms: z.object({
      model: z.enum(['performance', 'fixed']),
      priceOre: z.number().int(),
      baseSharePct: z.number(),
      successSharePct: z.number(),
      successWeeks: z.number().int(),
      successWindowWeeks: z.number().int(),
      courseDays: z.number().int(),
    }),
    activationRequirementPct: z.number(),
    documentationDeadlineDay: z.number().int(),
    commitments: z.array(z.object({ id: z.string(), text: z.string(), measure: z.string() })),
    reason: z.string().nullable(),
    changedBy: z.object({ id: z.string(), name: z.string() }),
    changedAt: z.string(),
    overlaps: z
      .array(z.object({ contractId: z.string(), name: z.string(), number: z.string(), from: z.string(), to: z.string() }))
      .openapi({ description: "Other contracts of the same provider covering some of the same dates (from before the rule against it): end one" }),
  })
  .openapi('Contract');
export type Contract = z.infer<typeof Contract>;
