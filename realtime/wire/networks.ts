// A network as its members see it: host, providers, next meeting and what the caller may do.
import { z } from '@hono/zod-openapi';
import { Capabilities, Organisation, RoleSchema, percent } from './common.ts';
import { MeetingSummary } from './meetings.ts';

export const NetworkSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    targetGroup: z.string(),
    meetingCadenceMonths: z.number().int(),
    activationRequirementPct: z.number(),
    minCitizensToRate: z.number().int(),
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

/** What a host chooses when creating a network, and may later change (PATCH takes any subset). */
export const NetworkSettings = z
  .object({
    name: z.string().trim().min(1, 'Give the network a name').max(200, 'At most 200 characters'),
    targetGroup: z.string().trim().min(1, 'Name the target group').max(200, 'At most 200 characters'),
    activationRequirementPct: percent('The activation requirement'),
    meetingCadenceMonths: z.number().int('Whole months').min(1, 'From 1 to 12 months').max(12, 'From 1 to 12 months'),
    minCitizensToRate: z.number().int('A whole number').min(1, 'From 1 to 1000').max(1000, 'From 1 to 1000'),
  })
  .openapi('NetworkSettings');
export type NetworkSettings = z.infer<typeof NetworkSettings>;

export const CreateNetworkRequest = NetworkSettings.openapi('CreateNetworkRequest');
export const UpdateNetworkRequest = NetworkSettings.partial()
  .refine((v) => Object.keys(v).length > 0, 'Change at least one setting')
  .openapi('UpdateNetworkRequest');
export const CreatedNetwork = z.object({ id: z.string() }).openapi('CreatedNetwork');
