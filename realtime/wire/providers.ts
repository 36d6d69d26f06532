// The providers of a network: who takes part in which months, and the joining checklist of a new one.
import { z } from '@hono/zod-openapi';
import { CalendarDate, Month } from './common.ts';

/** Danish CVR number: eight digits (spaces allowed on input). */
export const Cvr = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{8}$/, 'A CVR number is 8 digits'));

const orgName = z.string().trim().min(1, 'A name is required').max(200, 'At most 200 characters');
const shortName = z.string().trim().min(1, 'A short name is required').max(40, 'At most 40 characters');

/** Add a new provider organisation, or (by CVR) one that already serves another network. */
export const AddProviderRequest = z
  .object({ name: orgName, shortName, cvr: Cvr.optional(), fromMonth: Month.optional() })
  .openapi('AddProviderRequest');
export type AddProviderRequest = z.infer<typeof AddProviderRequest>;

export const CreatedProvider = z.object({ id: z.string() }).openapi('CreatedProvider');

/** One change at a time is the common case, but any combination that makes sense is accepted. */
export const UpdateProviderRequest = z
  .object({
    name: orgName.optional(),
    shortName: shortName.optional(),
    cvr: Cvr.nullable().optional(),
    /** The last month it takes part in; null undoes a leaving that has not yet happened. */
    lastMonth: Month.nullable().optional(),
    /** Starts a new period for a provider that has left. */
    rejoinFromMonth: Month.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one thing')
  .openapi('UpdateProviderRequest');
export type UpdateProviderRequest = z.infer<typeof UpdateProviderRequest>;

export const ProviderPeriod = z.object({ fromMonth: Month.nullable(), lastMonth: Month.nullable() }).openapi('ProviderPeriod');
export type ProviderPeriod = z.infer<typeof ProviderPeriod>;

export const ProviderStatus = z.enum(['active', 'leaving', 'left', 'joining']);
export type ProviderStatus = z.infer<typeof ProviderStatus>;

export const ProviderReference = z.object({
  who: z.string().trim().min(1, 'Say who gave the reference').max(200),
  checkedOn: CalendarDate,
  outcome: z.string().trim().max(2000),
});
export type ProviderReference = z.infer<typeof ProviderReference>;

/** What a joining checklist holds: the interview, references, the contract, the first supervision visit. */
export const ChecklistItem = z.enum(['interview', 'references', 'contract', 'firstVisit']);
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ChecklistRequest = z
  .object({
    interviewOn: CalendarDate.nullable(),
    interviewNotes: z.string().max(20_000),
    references: z.array(ProviderReference).max(20),
  })
  .openapi('ProviderChecklistRequest');
export type ChecklistRequest = z.infer<typeof ChecklistRequest>;

/** The checklist with what is derived from other records; `missing` lists what is still to do. */
export const Checklist = ChecklistRequest.extend({
  contractId: z.string().nullable(),
  /** The day the provider starts: its current period's first month, else its contract's start; null when neither is known. */
  startDate: z.string().nullable(),
  /** The first supervision visit on or before the start date (any visit when no start date is known). */
  firstVisitOn: CalendarDate.nullable(),
  missing: z.array(ChecklistItem),
  updatedAt: z.string().nullable(),
}).openapi('ProviderChecklist');
export type Checklist = z.infer<typeof Checklist>;

export const ProviderSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    shortName: z.string(),
    cvr: z.string().nullable(),
    status: ProviderStatus,
    /** The current period first, then earlier ones. */
    periods: z.array(ProviderPeriod),
    /** Another network shares this organisation, so only its provider administrator edits name and CVR. */
    shared: z.boolean(),
    /** A contract whose period covers the current month; null for a caller who may not see this provider's contracts. */
    hasRunningContract: z.boolean().nullable(),
    activeMembers: z.number().int(),
    /** What the joining checklist still lacks; null for anyone but the host. */
    checklistMissing: z.array(ChecklistItem).nullable(),
  })
  .openapi('ProviderSummary');
export type ProviderSummary = z.infer<typeof ProviderSummary>;
