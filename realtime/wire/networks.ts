// A network as its members see it: host, providers, next meeting and what the caller may do.
import { z } from '@hono/zod-openapi';
import { Capabilities, Organisation, RoleSchema } from './common.ts';
import { MeetingSummary } from './meetings.ts';

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
