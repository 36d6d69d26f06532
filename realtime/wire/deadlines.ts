// Report deadlines and the in-app notifications they raise.
import { z } from '@hono/zod-openapi';

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
