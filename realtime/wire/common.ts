// Shapes several API concepts share: roles, organisations, capabilities, months, dates, people.
import { z } from '@hono/zod-openapi';

export const RoleSchema = z.enum(['host', 'provider', 'viewer']);
export type Role = z.infer<typeof RoleSchema>;

export const Organisation = z
  .object({
    id: z.string(),
    kind: z.enum(['jobcenter', 'provider']),
    name: z.string(),
    shortName: z.string(),
    cvr: z.string().nullable().optional(),
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
    manageMembers: z.boolean(),
    manageProviders: z.boolean(),
    providerLeft: z.boolean(),
    /** The last month the caller's provider took part in, when it has left. */
    providerLastMonth: z.string().nullable(),
    /** Live boards, preparation and meetings after the provider's last month (false once it has left). */
    readLiveBoards: z.boolean(),
  })
  .openapi('Capabilities');
export type Capabilities = z.infer<typeof Capabilities>;

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const Month = z.string().regex(MONTH_PATTERN, 'Use the form YYYY-MM, e.g. 2026-10');

/** A calendar date 'YYYY-MM-DD' that exists (no 2026-02-30). */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD, e.g. 2026-03-15')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'No such date');

export const percent = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} is a percentage from 0 to 100`)
    .max(100, `${what} is a percentage from 0 to 100`)
    .refine((p) => Math.abs(Math.round(p * 100) - p * 100) < 1e-6, `${what} may have at most two decimals`);

/** Who did something: an account's id and display name. */
export const Person = z.object({ id: z.string(), name: z.string() });
