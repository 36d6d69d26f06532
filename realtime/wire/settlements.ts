// Settlements: payment terms, a course's computed payment, and the monthly statement a host approves.
import { z } from '@hono/zod-openapi';
import { CalendarDate, percent } from './common.ts';

const weeks = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be whole weeks`).min(1, `${what} must be at least 1`).max(104, `${what} is at most 104`);

/** The payment terms a settlement needs; performance terms default to DOMAIN.md's Aalborg reading. */
export const SettlementTermsInput = z
  .object({
    model: z.enum(['performance', 'fixed'], { error: 'The payment model is "performance" or "fixed"' }),
    priceOre: z
      .number({ error: 'The price must be a number of øre' })
      .int('The price is whole øre (10.000,00 kr = 1000000)')
      .min(0, 'The price cannot be negative')
      .max(1_000_000_000, 'The price is implausibly large'),
    baseSharePct: percent('The base share').default(25),
    successSharePct: percent('The success share').default(75),
    successWeeks: weeks('The weeks in employment required').default(13),
    successWindowWeeks: weeks('The window the weeks are counted in').default(26),
    courseDays: z.number({ error: 'The course length must be a number' }).int('The course length is whole days').min(1, 'The course length must be at least 1 day').max(1096, 'The course length is at most 3 years').default(365),
  })
  .superRefine((t, ctx) => {
    if (t.model === 'performance' && Math.round(t.baseSharePct * 100) + Math.round(t.successSharePct * 100) !== 10_000) {
      ctx.addIssue({ code: 'custom', path: ['successSharePct'], message: `The base share (${t.baseSharePct} %) and the success share (${t.successSharePct} %) must add up to 100 %` });
    }
    if (t.successWeeks > t.successWindowWeeks) {
      ctx.addIssue({ code: 'custom', path: ['successWeeks'], message: 'The weeks required cannot exceed the window they are counted in' });
    }
  })
  .openapi('SettlementTerms');
export type SettlementTermsInput = z.infer<typeof SettlementTermsInput>;

export const SettlementLine = z
  .object({
    kind: z.enum(['base', 'success', 'fixed', 'info', 'earlier']),
    text: z.string().openapi({ example: '25 % of 10.000,00 kr × 73/365 days = 500,00 kr' }),
    amountOre: z.number().int(),
  })
  .openapi('SettlementLine');

export const SettlementPreviewRequest = z
  .object({
    terms: SettlementTermsInput,
    course: z
      .object({
        referralDate: CalendarDate,
        endDate: CalendarDate,
        jobStartDate: CalendarDate.optional(),
        weeksEmployed: z.number({ error: 'Weeks employed must be a number' }).int('Weeks employed is whole weeks').min(0, 'Weeks employed cannot be negative').max(104).optional(),
      })
      .strict(),
    locale: z.enum(['da', 'en']).optional(),
  })
  .strict()
  .openapi('SettlementPreviewRequest');

export const SettlementPreview = z
  .object({
    totalOre: z.number().int(),
    lines: z.array(SettlementLine),
    pending: z.enum(['course_running', 'success_undecided']).nullable(),
    pendingOre: z.number().int(),
  })
  .openapi('SettlementPreview');
export type SettlementPreview = z.infer<typeof SettlementPreview>;

export const StatementCourse = z.object({
  caseKey: z.string(),
  programme: z.string(),
  referralDate: z.string(),
  endDate: z.string().nullable(),
  jobStartDate: z.string().nullable(),
  weeksEmployed: z.number().int().nullable(),
  contractId: z.string(),
  /** The contract version the course is settled under: the one in force when it was referred (absent in statements approved before versions took effect). */
  contractVersion: z.number().int().optional(),
  amountOre: z.number().int(),
  lines: z.array(SettlementLine),
});

export const SettlementCorrection = z
  .object({
    id: z.string(),
    text: z.string(),
    amountOre: z.number().int(),
    reason: z.string(),
    createdBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.string(),
  })
  .openapi('SettlementCorrection');

const Party = z.object({ name: z.string(), cvr: z.string().nullable() });

/** A contract as a statement names it: the letter's reference, frozen with the statement at approval. */
export const StatementContract = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The jobcenter's running number for the contract within the network, e.g. "K-2026-003". */
    number: z.string(),
    version: z.number().int(),
    effectiveFrom: z.string().openapi({ description: 'The month (YYYY-MM) the version took effect' }),
    periodStart: z.string(),
    periodEnd: z.string(),
  })
  .openapi('StatementContract');
export type StatementContract = z.infer<typeof StatementContract>;

/** Who sends the statement to whom: the letter head of the document ("afregningsbilag"). */
export const StatementLetter = z
  .object({
    networkName: z.string(),
    sender: Party.openapi({ description: 'The host jobcenter' }),
    recipient: Party.openapi({ description: 'The provider' }),
    contracts: z.array(StatementContract).openapi({ description: "The contract versions the month's courses are settled under (or the one in force, when no course is)" }),
  })
  .openapi('StatementLetter');
export type StatementLetter = z.infer<typeof StatementLetter>;

/** Something the reader must know about the figures, e.g. two contracts covering the same month. */
export const StatementWarning = z
  .object({
    kind: z.enum(['overlapping_contracts']),
    text: z.string().openapi({ description: "In the statement's language" }),
    contractIds: z.array(z.string()),
  })
  .openapi('StatementWarning');
export type StatementWarning = z.infer<typeof StatementWarning>;

export const SettlementStatement = z
  .object({
    networkId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    month: z.string(),
    status: z.enum(['draft', 'approved']).openapi({ description: 'An approved statement is locked: it is what was paid.' }),
    courses: z.array(StatementCourse),
    pending: z.array(
      z.object({ caseKey: z.string(), programme: z.string(), reason: z.enum(['course_running', 'success_undecided']), pendingOre: z.number().int() }),
    ),
    letter: StatementLetter,
    warnings: z.array(StatementWarning),
    totalOre: z.number().int().openapi({ description: 'Sum of the course amounts (as approved, for an approved statement).' }),
    pendingOre: z.number().int(),
    approvedAt: z.string().nullable(),
    approvedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    corrections: z.array(SettlementCorrection),
    totalWithCorrectionsOre: z.number().int(),
    recomputedTotalOre: z
      .number()
      .int()
      .openapi({ description: 'What the statement would total if computed now; differs from totalOre when data changed after approval.' }),
  })
  .openapi('SettlementStatement');
export type SettlementStatement = z.infer<typeof SettlementStatement>;

export const SettlementCorrectionInput = z
  .object({
    text: z.string().trim().min(3, 'Describe the correction in at least 3 characters').max(1000),
    amountOre: z.number({ error: 'The amount must be a number of øre' }).int('The amount is whole øre').min(-1_000_000_000).max(1_000_000_000),
    reason: z.string().trim().min(3, 'Give a reason of at least 3 characters').max(2000),
  })
  .strict()
  .openapi('SettlementCorrectionInput');
