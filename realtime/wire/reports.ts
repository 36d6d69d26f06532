// Monthly reports: one month of one provider's results, as entered, imported and versioned.
import { z } from '@hono/zod-openapi';
import { Month } from './common.ts';

const count = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`).max(100_000, `${what} is implausibly large`);

/** One month of one provider's results, as entered or imported. Cross-field rules live in results/reports.ts. */
export const MonthlyReportInput = z
  .object({
    month: Month,
    referred: count('Citizens referred'),
    active: count('Citizens active'),
    jobStarts: count('Job starts'),
    retained13of26: count('Jobs held 13 of 26 weeks'),
    activationPct: z.number({ error: 'Activation share must be a number' }).min(0, 'Activation share is a percentage from 0 to 100').max(100, 'Activation share is a percentage from 0 to 100'),
    satisfactionMean: z.number({ error: 'Satisfaction must be a number' }).min(1, 'Satisfaction is a mean score from 1 to 5').max(5, 'Satisfaction is a mean score from 1 to 5').nullable().optional(),
    satisfactionResponses: count('Satisfaction answers'),
    reason: z.string().trim().min(3, 'Give a reason of at least 3 characters').max(2000).optional(),
  })
  .strict()
  .openapi('MonthlyReportInput');
export type MonthlyReportInput = z.infer<typeof MonthlyReportInput>;

export const MonthlyReportVersion = z
  .object({
    id: z.string(),
    networkId: z.string(),
    providerId: z.string(),
    month: z.string(),
    version: z.number().int(),
    referred: z.number().int(),
    active: z.number().int(),
    jobStarts: z.number().int(),
    retained13of26: z.number().int(),
    activationPct: z.number(),
    satisfactionMean: z.number().nullable(),
    satisfactionResponses: z.number().int(),
    reason: z.string().nullable(),
    createdBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.string(),
  })
  .openapi('MonthlyReportVersion');
export type MonthlyReportVersion = z.infer<typeof MonthlyReportVersion>;
