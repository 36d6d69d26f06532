// The honest leaderboard and the survival curves behind it.
import { z } from '@hono/zod-openapi';
import { REPORT_RULES } from '../../domain/reportInvariants.ts';
import { Month } from './common.ts';

export const LeaderboardMetric = z.enum(['jobRate', 'retention', 'activation', 'satisfaction', 'medianWeeksToJob', 'actualVsExpected']);
export type LeaderboardMetric = z.infer<typeof LeaderboardMetric>;

export const LeaderboardQuery = z.object({
  metric: LeaderboardMetric.optional().openapi({ description: "Which figure leads the ranking; default: the network's choice" }),
  from: Month.optional().openapi({ description: 'First month, default: 11 months before `to`' }),
  to: Month.optional().openapi({ description: 'Last month, default: the last complete month' }),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;

const IntervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });
const ShareSchema = IntervalSchema.extend({ count: z.number().int(), n: z.number().int() });

export const ProviderFigures = z.object({
  months: z.number().int().openapi({ description: 'Months reported in the period' }),
  jobRate: ShareSchema.nullable().openapi({ description: 'Job starts per citizen-month in course (n = Σ active), 95 % Wilson interval' }),
  retention: ShareSchema.nullable().openapi({ description: 'Job starts held 13 of 26 weeks (n = Σ job starts)' }),
  activation: z.object({ sharePct: z.number(), n: z.number().int(), requirementPct: z.number(), meetsRequirement: z.boolean() }).nullable(),
  satisfaction: IntervalSchema.extend({ n: z.number().int() }).nullable(),
  medianWeeksToJob: z
    .object({ medianWeeks: z.number().nullable(), medianLow: z.number().nullable(), medianHigh: z.number().nullable(), n: z.number().int(), events: z.number().int() })
    .nullable(),
  standardised: z
    .object({ n: z.number().int(), observed: z.number().int(), expected: z.number(), ratio: IntervalSchema.nullable(), band: z.enum(['above', 'below', 'as_expected']).nullable() })
    .nullable()
    .openapi({ description: 'Job within 26 weeks: actual vs expected given the intake (indirect standardisation)' }),
});
export type ProviderFigures = z.infer<typeof ProviderFigures>;

export const LeaderboardRow = z.object({
  providerId: z.string(),
  name: z.string(),
  shortName: z.string(),
  status: z.enum(['ranked', 'too_few', 'no_data', 'sealed']),
  rank: z.number().int().nullable(),
  tiedWith: z.array(z.string()),
  figures: ProviderFigures.nullable().openapi({ description: 'Null when sealed for this viewer' }),
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

export const ProgrammeRow = z.object({
  programme: z.string(),
  network: ShareSchema.nullable(),
  providers: z.array(z.object({ providerId: z.string(), jobRate: ShareSchema.nullable() })),
});

export const ReportRule = z.enum(REPORT_RULES);

/** A stored month the figures leave out because it breaks a report invariant (see domain/reportInvariants.ts). */
export const ExcludedReport = z.object({
  providerId: z.string(),
  name: z.string(),
  month: z.string(),
  version: z.number().int(),
  rules: z.array(ReportRule),
});
export type ExcludedReport = z.infer<typeof ExcludedReport>;

export const Leaderboard = z
  .object({
    networkId: z.string(),
    from: z.string(),
    to: z.string(),
    metric: LeaderboardMetric,
    minN: z.number().int(),
    activationRequirementPct: z.number(),
    sealed: z.object({ sealedAt: z.string(), from: z.string(), to: z.string() }).nullable(),
    /** What this viewer sees: everything, or only its own provider while sealed. */
    view: z.enum(['all', 'own', 'none']),
    rows: z.array(LeaderboardRow),
    programmes: z.array(ProgrammeRow),
    excludedReports: z.array(ExcludedReport).openapi({ description: 'Stored months left out of the figures because they cannot be computed; correct them to bring them back' }),
    /** Changes when the network's course records change (the survival curves come from them); opaque. */
    coursesVersion: z.string(),
    generatedAt: z.string(),
  })
  .openapi('Leaderboard');
export type Leaderboard = z.infer<typeof Leaderboard>;

const SurvivalCurveSchema = z.object({
  providerId: z.string(),
  n: z.number().int(),
  events: z.number().int(),
  medianWeeks: z.number().nullable(),
  medianLow: z.number().nullable(),
  medianHigh: z.number().nullable(),
  steps: z.array(z.object({ week: z.number(), atRisk: z.number().int(), events: z.number().int(), censored: z.number().int(), survival: z.number(), low: z.number(), high: z.number() })),
});

/** GET /api/networks/:networkId/survival: Kaplan–Meier curves, one per provider the caller may see. */
export const SurvivalResponse = z.object({ cutoff: z.string(), sealed: z.boolean(), curves: z.array(SurvivalCurveSchema) }).openapi('Survival');
export type SurvivalResponse = z.infer<typeof SurvivalResponse>;

export const LeaderboardSubscribe = z.object({ networkId: z.string().min(1).max(100), from: Month.optional(), to: Month.optional() });
