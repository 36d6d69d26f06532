// /api/me/notifications: the caller's in-app notifications (documentation deadlines) and read marks.
import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context.ts';
import { inboxOf, markRead } from './inbox.ts';
import { Notification, NotificationsResponse } from '../wire/deadlines.ts';
import { pathParam, jsonContent, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const list = signedInRoute('get', '/', 'The caller’s notifications, newest first, with the unread count', {
  responses: { 200: jsonContent(NotificationsResponse, 'The notifications'), ...refusals({ 401: 'Not signed in' }) },
});

const read = signedInRoute('post', '/{id}/read', 'Mark one of the caller’s notifications read', {
  request: { params: z.object({ id: pathParam('id') }) },
  responses: { 200: jsonContent(Notification, 'The notification'), ...refusals({ 401: 'Not signed in', 404: 'Not the caller’s notification' }) },
});

export function notificationRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(list, async (c) => c.json(await inboxOf(ctx, requireIdentity(c).user.id), 200))
    .openapi(read, async (c) => c.json(await markRead(ctx, requireIdentity(c).user.id, c.req.valid('param').id), 200));
}
