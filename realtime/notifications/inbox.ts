// A user's in-app notifications: the newest first with the unread count, and marking one read.
import { findNotification, markNotificationRead, notificationsOf, unreadCount } from '../../db/queries/notifications.ts';
import type { NotificationRow } from '../../db/tables/notifications.table.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Notification, NotificationKind, NotificationsResponse } from '../wire/deadlines.ts';

export const INBOX_LIMIT = 50;

export function notificationDto(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    networkId: row.network_id,
    params: JSON.parse(row.params_json) as Notification['params'],
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export async function inboxOf(ctx: AppContext, userId: string): Promise<NotificationsResponse> {
  const [rows, unread] = await Promise.all([notificationsOf(ctx.db, userId, INBOX_LIMIT), unreadCount(ctx.db, userId)]);
  return { unread, notifications: rows.map(notificationDto) };
}

/** Marks one of the caller's notifications read (again is harmless); another user's is not found. */
export async function markRead(ctx: AppContext, userId: string, id: string): Promise<Notification> {
  if (!(await findNotification(ctx.db, userId, id))) throw new AppError('not_found', 'You have no such notification.');
  await markNotificationRead(ctx.db, userId, id, ctx.now().toISOString());
  return notificationDto((await findNotification(ctx.db, userId, id))!);
}
