// THE wire contract shared by server, web app and tests: API schemas, socket.io event maps,
// Yjs message types and close codes. Change it here and both sides see the change.
import { z } from '@hono/zod-openapi';
import { CPR_MESSAGE, containsCpr } from '../domain/cpr.ts';

// ---------------------------------------------------------------- errors

export const ErrorCode = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'validation_failed',
  'rate_limited',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      issues: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({ description: 'One entry per invalid field, with its path (e.g. "email").' }),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------- shared shapes

export const RoleSchema = z.enum(['host', 'provider', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;

export const Organisation = z
  .object({
    id: z.string(),
    kind: z.enum(['jobcenter', 'provider']),
    name: z.string(),
    shortName: z.string(),
  })
  .openapi('Organisation');
export type Organisation = z.infer<typeof Organisation>;

export const Capabilities = z
  .object({
    role: RoleSchema.nullable(),
    ownProviderId: z.string().nullable(),
    manageNetwork: z.boolean(),
    runMeetings: z.boolean(),
    writeOwnReports: z.boolean(),
    writeAnyReport: z.boolean(),
    writeOwnMethodNote: z.boolean(),
    writeMinutes: z.boolean(),
    readArchive: z.boolean(),
    manageContracts: z.boolean(),
    readOwnContract: z.boolean(),
    superviseProviders: z.boolean(),
    readOwnSupervision: z.boolean(),
    readAuditLog: z.boolean(),
  })
  .openapi('Capabilities');
export type Capabilities = z.infer<typeof Capabilities>;

export const MeetingSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    durationMinutes: z.number().int(),
    location: z.string().nullable(),
    status: z.enum(['planned', 'live', 'closed', 'cancelled']),
  })
  .openapi('MeetingSummary');
export type MeetingSummary = z.infer<typeof MeetingSummary>;

export const NetworkSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    targetGroup: z.string(),
    meetingCadenceMonths: z.number().int(),
    activationRequirementPct: z.number(),
    host: Organisation,
    role: RoleSchema,
  })
  .openapi('NetworkSummary');
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const NetworkDetail = NetworkSummary.extend({
  providers: z.array(Organisation),
  nextMeeting: MeetingSummary.nullable(),
  capabilities: Capabilities,
}).openapi('NetworkDetail');
export type NetworkDetail = z.infer<typeof NetworkDetail>;

export const DocumentAccessSchema = z.enum(['write', 'read', 'none']);

export const MeetingDetail = MeetingSummary.extend({
  networkId: z.string(),
  notesHeld: z.boolean().openapi({ description: 'The host holds published method notes back until the meeting opens' }),
  open: z.boolean().openapi({ description: 'The meeting has started (or is over)' }),
  archived: z.boolean(),
  agenda: z.array(z.object({ id: z.string(), title: z.string(), providerId: z.string().nullable(), minutes: z.number().int().nullable() })),
  openActions: z
    .array(z.object({ id: z.string(), meetingId: z.string(), text: z.string(), owner: z.string().nullable(), dueDate: z.string().nullable() }))
    .openapi({ description: 'Action items still open from earlier meetings: they come back on this agenda' }),
  sequence: z.number().int().openapi({ description: 'iCalendar SEQUENCE: grows with every reschedule' }),
  documents: z.object({
    minutes: z.object({ name: z.string(), access: DocumentAccessSchema, cprFlaggedAt: z.string().nullable() }),
    methodNotes: z.array(
      z.object({
        providerId: z.string(),
        providerName: z.string(),
        providerShortName: z.string(),
        name: z.string().nullable().openapi({ description: 'Yjs document name (`/yjs/<name>`); null when the caller may not read it' }),
        published: z.boolean().nullable(),
        publishedAt: z.string().nullable(),
        access: DocumentAccessSchema,
        cprFlaggedAt: z.string().nullable().openapi({ description: 'Host only: when the server found a CPR number in the stored text' }),
      }),
    ),
  }),
}).openapi('MeetingDetail');
export type MeetingDetail = z.infer<typeof MeetingDetail>;

export const NotesHeldRequest = z.object({ held: z.boolean() }).openapi('NotesHeldRequest');

// ---------------------------------------------------------------- monthly reports

const count = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`).max(100_000, `${what} is implausibly large`);

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const Month = z.string().regex(MONTH_PATTERN, 'Use the form YYYY-MM, e.g. 2026-10');

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

// ---------------------------------------------------------------- contracts and settlements

/** A calendar date 'YYYY-MM-DD' that exists (no 2026-02-30). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD, e.g. 2026-03-15')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'No such date');

const percent = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} is a percentage from 0 to 100`)
    .max(100, `${what} is a percentage from 0 to 100`)
    .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, `${what} may have at most two decimals`);
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
  })
  .openapi('ContractInput');
export type ContractInput = z.infer<typeof ContractInput>;

export const Contract = z
  .object({
    id: z.string(),
    networkId: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    version: z.number().int(),
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
  })
  .openapi('Contract');
export type Contract = z.infer<typeof Contract>;

export const StatementCourse = z.object({
  caseKey: z.string(),
  programme: z.string(),
  referralDate: z.string(),
  endDate: z.string().nullable(),
  jobStartDate: z.string().nullable(),
  weeksEmployed: z.number().int().nullable(),
  contractId: z.string(),
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

// ---------------------------------------------------------------- commitments and deadlines

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

const By = z.object({ id: z.string(), name: z.string() });

export const CommitmentRecord = z
  .object({
    id: z.string(),
    status: CommitmentStatus,
    note: z.string(),
    recordedBy: By,
    recordedAt: z.string(),
    response: z.object({ text: z.string(), by: By, at: z.string() }).nullable(),
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

export const ReportDue = z
  .object({
    providerId: z.string(),
    providerName: z.string(),
    month: z.string(),
    dueDate: z.string().openapi({ description: 'The last day (Copenhagen) the report may come in' }),
    overdueFrom: z.string().openapi({ description: 'The instant it becomes overdue, ISO 8601 UTC' }),
    daysLeft: z.number().int().openapi({ description: 'Calendar days to the due date: 0 = today, negative = days late' }),
  })
  .openapi('ReportDue');
export type ReportDue = z.infer<typeof ReportDue>;

export const DeadlinesResponse = z
  .object({
    networkId: z.string(),
    asOf: z.string(),
    overdue: z.array(ReportDue).openapi({ description: 'Monthly reports not in by the contract deadline' }),
    dueSoon: z.array(ReportDue).openapi({ description: 'Reports due within three days' }),
  })
  .openapi('DeadlinesResponse');
export type DeadlinesResponse = z.infer<typeof DeadlinesResponse>;

export const NotificationKind = z.enum(['report.due_soon', 'report.overdue']);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const Notification = z
  .object({
    id: z.string(),
    kind: NotificationKind,
    networkId: z.string().nullable(),
    params: z.object({ providerId: z.string(), providerName: z.string(), month: z.string(), dueDate: z.string(), networkName: z.string() }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');
export type Notification = z.infer<typeof Notification>;

export const NotificationsResponse = z
  .object({ unread: z.number().int(), notifications: z.array(Notification).openapi({ description: 'Newest first, at most 50' }) })
  .openapi('NotificationsResponse');
export type NotificationsResponse = z.infer<typeof NotificationsResponse>;

// ---------------------------------------------------------------- meetings: plan, run, archive

/** Free text everyone in the network reads: a CPR number in it is refused, with the field named. */
const withoutCpr = <S extends z.ZodString>(schema: S) => schema.refine((text) => !containsCpr(text), CPR_MESSAGE.en);

const IsoWithOffset = z.iso.datetime({ offset: true, error: 'Use ISO 8601 with an offset, e.g. 2027-01-14T09:00:00+01:00' });

export const AgendaItemInput = z.object({
  title: withoutCpr(z.string().trim().min(1, 'Every agenda item needs a title').max(200)),
  providerId: z.string().min(1).max(100).nullable().optional(),
  minutes: z.number().int().min(1).max(600).nullable().optional(),
});

export const CreateMeetingRequest = z
  .object({
    title: withoutCpr(z.string().trim().min(3).max(200)),
    startsAt: IsoWithOffset,
    durationMinutes: z.number().int().min(15).max(24 * 60).default(180),
    location: withoutCpr(z.string().trim().max(500)).nullable().optional().openapi({ description: 'A place or a video link' }),
    agenda: z.array(AgendaItemInput).max(60).optional(),
  })
  .openapi('CreateMeetingRequest');

export const UpdateMeetingRequest = z
  .object({
    title: withoutCpr(z.string().trim().min(3).max(200)).optional(),
    startsAt: IsoWithOffset.optional(),
    durationMinutes: z.number().int().min(15).max(24 * 60).optional(),
    location: withoutCpr(z.string().trim().max(500)).nullable().optional(),
  })
  .openapi('UpdateMeetingRequest');

export const AdvanceRequest = z
  .object({
    item: z.number().int().min(0).optional().openapi({ description: 'Go to this agenda item (0-based); default: the next one' }),
    direction: z.enum(['next', 'previous']).optional(),
    presenter: z.string().min(1).max(100).optional().openapi({ description: "'next', 'previous' or a provider id" }),
  })
  .openapi('AdvanceRequest');

export const PresenterOrderRequest = z.object({ order: z.array(z.string().min(1).max(100)).max(50) }).openapi('PresenterOrderRequest');

export const EntryInput = z
  .object({
    kind: z.enum(['decision', 'action']),
    text: z.string().trim().min(2).max(2000),
    owner: z.string().trim().max(200).nullable().optional(),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD').nullable().optional(),
  })
  .openapi('EntryInput');

export const MeetingEntry = z
  .object({
    id: z.string(),
    meetingId: z.string(),
    kind: z.enum(['decision', 'action']),
    text: z.string(),
    owner: z.string().nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(['open', 'done']),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('MeetingEntry');
export type MeetingEntry = z.infer<typeof MeetingEntry>;

export interface MeetingState {
  meetingId: string;
  networkId: string;
  title: string;
  status: 'planned' | 'live' | 'closed' | 'cancelled';
  agenda: Array<{ id: string; title: string; providerId: string | null; minutes: number | null }>;
  currentItem: number | null;
  /** When the current item began, for the per-item timer (compare with serverTime). */
  itemStartedAt: string | null;
  presenterOrder: string[];
  presenter: { providerId: string; name: string } | null;
  /** The Yjs document of the presenter's method note, when it is published (everyone may open it). */
  presenterNoteDoc: string | null;
  attendance: { present: PresenceEntry[]; recorded: Array<{ userId: string; name: string; firstJoinedAt: string }> };
  entries: MeetingEntry[];
  serverTime: string;
}

export const MeetingJoin = z.object({ meetingId: z.string().min(1).max(100) });

// ---------------------------------------------------------------- leaderboard

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

// ---------------------------------------------------------------- supervision

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

const Person = z.object({ id: z.string(), name: z.string() });

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

// ---------------------------------------------------------------- audit log

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

// ---------------------------------------------------------------- auth

export const LoginRequest = z
  .object({
    email: z.string().trim().min(1, 'Email is required').max(320).pipe(z.email('Not a valid email address')),
    password: z.string().min(1, 'Password is required').max(1024),
  })
  .openapi('LoginRequest');
export type LoginRequest = z.infer<typeof LoginRequest>;

export const MeResponse = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), locale: z.enum(['da', 'en']) }),
    memberships: z.array(
      z.object({ networkId: z.string(), role: RoleSchema, organisationId: z.string().nullable() }),
    ),
    via: z.enum(['session', 'token']),
  })
  .openapi('Me');
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1, 'Your current password is required').max(1024),
    newPassword: z.string().min(12, 'Use at least 12 characters').max(1024),
  })
  .openapi('ChangePasswordRequest');

export const CreateTokenRequest = z
  .object({
    name: z.string().trim().min(1).max(100).default('script'),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .openapi('CreateTokenRequest');

export const TokenInfo = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('TokenInfo');
export type TokenInfo = z.infer<typeof TokenInfo>;

export const CreatedToken = TokenInfo.extend({
  token: z.string().openapi({ description: 'The secret, shown once. Use as `Authorization: Bearer <token>`.' }),
}).openapi('CreatedToken');

export const HealthResponse = z
  .object({
    ok: z.boolean(),
    database: z.object({ ok: z.boolean(), dialect: z.enum(['sqlite', 'postgres']) }),
    redis: z.object({ ok: z.boolean() }).optional().openapi({ description: 'Only with REDIS_URL. `false` while Redis is away: this instance still serves its own clients.' }),
    version: z.string(),
  })
  .openapi('Health');

// ---------------------------------------------------------------- socket.io

export interface PresenceEntry {
  userId: string;
  name: string;
  role: Role;
  organisationId: string | null;
}

export interface AckOk<T> {
  ok: true;
  data: T;
}
export interface AckError {
  ok: false;
  error: ErrorBody['error'];
}
export type Ack<T> = AckOk<T> | AckError;

export const PresenceJoin = z.object({ networkId: z.string().min(1).max(100) });

export interface ImportProgress {
  importId: string;
  done: number;
  total: number;
  phase: 'checking' | 'saving';
}

export interface ServerToClientEvents {
  'presence:updated': (payload: { networkId: string; present: PresenceEntry[] }) => void;
  'import:progress': (payload: ImportProgress) => void;
  'leaderboard:updated': (board: Leaderboard) => void;
  'meeting:state': (state: MeetingState) => void;
}

export interface ClientToServerEvents {
  'presence:join': (payload: z.input<typeof PresenceJoin>, ack: (result: Ack<{ present: PresenceEntry[] }>) => void) => void;
  'presence:leave': (payload: z.input<typeof PresenceJoin>, ack?: (result: Ack<null>) => void) => void;
  'leaderboard:subscribe': (payload: z.input<typeof LeaderboardSubscribe>, ack: (result: Ack<Leaderboard>) => void) => void;
  'leaderboard:unsubscribe': (payload: { networkId: string }, ack?: (result: Ack<null>) => void) => void;
  'meeting:join': (payload: z.input<typeof MeetingJoin>, ack: (result: Ack<MeetingState>) => void) => void;
  'meeting:leave': (payload: z.input<typeof MeetingJoin>, ack?: (result: Ack<null>) => void) => void;
}

/** Between server instances (socket.io's serverSideEmit over the Redis adapter): rights changed elsewhere. */
export interface InterServerEvents {
  /** Recheck open Yjs connections to these documents (publish, hold, archive). */
  'documents:changed': (names: string[]) => void;
  /** Close Yjs connections of these documents' writers and store what they sent, then answer (archiving). */
  'documents:freeze': (names: string[], done: (ok: boolean) => void) => void;
  /** Close every Yjs connection of these documents and store what they sent, then answer (purge). */
  'documents:close': (names: string[], done: (ok: boolean) => void) => void;
  /** Close every connection opened with this session or token. */
  'credential:revoked': (credentialId: string) => void;
  /** A network's results changed: push fresh boards to this instance's subscribers. */
  'results:changed': (networkId: string) => void;
}

// ---------------------------------------------------------------- Yjs

/** y-websocket message types; 0 and 1 are the standard ones, the rest are ours (stock clients ignore them). */
export const YjsMessage = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Ours: the server committed the sender's updates up to this count. */
  ack: 100,
} as const;

/**
 * WebSocket close codes for the Yjs endpoint. Stock y-websocket clients (v3) never reconnect after
 * 4400–4499, so those mean "do not retry"; 4300–4399 mean "reconnect, things changed".
 */
export const YjsCloseCode = {
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  messageTooLarge: 4413,
  documentTooLarge: 4414,
  rateLimited: 4429,
  malformed: 4400,
  sessionRevoked: 4410,
  /** Rights changed (published, held, archived): reconnect to get the new ones. */
  rightsChanged: 4301,
  shuttingDown: 1001,
  /** The database did not take an update (standard "try again later"): reconnect, and sync sends it again. */
  storeUnavailable: 1013,
} as const;

/** Owned by the transport, which reads it (realtime/transport/cookies.ts). */
export { SESSION_COOKIE } from './transport/cookies.ts';
