// /api/me/notifications: the caller's in-app notifications (documentation deadlines) and read marks.
import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { inboxOf, markRead } from '../notifications/inbox.ts';
import { ErrorBody, Notification, NotificationsResponse } from '../protocol.ts';
import { bearerSecurity, jsonContent, newRouter, requireIdentity } from './router.ts';

const list = createRoute({
  method: 'get',
  path: '/notifications',
  summary: 'The caller’s notifications, newest first, with the unread count',
  security: bearerSecurity,
  responses: { 200: jsonContent(NotificationsResponse, 'The notifications'), 401: jsonContent(ErrorBody, 'Not signed in') },
});

const read = createRoute({
  method: 'post',
  path: '/notifications/{id}/read',
  summary: 'Mark one of the caller’s notifications read',
  security: bearerSecurity,
  request: { params: z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: jsonContent(Notification, 'The notification'), 401: jsonContent(ErrorBody, 'Not signed in'), 404: jsonContent(ErrorBody, 'Not the caller’s notification') },
});

export function notificationRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(list, async (c) => c.json(await inboxOf(ctx, requireIdentity(c).user.id), 200))
    .openapi(read, async (c) => c.json(await markRead(ctx, requireIdentity(c).user.id, c.req.valid('param').id), 200));
}
