// Server-only: what the home page shows about documentation deadlines and notifications, and the
// form action that marks a notification read; each one API call through the bridge.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { NotificationsResponse } from '$wire/deadlines.ts';
import type { NetworkDetail } from '$wire/networks.ts';
import type { NetworkDeadlines } from '$lib/deadlines/types.ts';
import { call, segment } from './api.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request'>;

/** Overdue and soon-due reports per network, for hosts and providers (viewers have none to see). */
export async function deadlinesOf(event: Event, networks: NetworkDetail[]): Promise<NetworkDeadlines[]> {
  const groups = await Promise.all(
    networks.map(async (n): Promise<NetworkDeadlines | null> => {
      if (n.role === 'viewer') return null;
      const result = await call(event, (api) => api.networks[':networkId'].deadlines.$get({ param: { networkId: segment(n.id) } }));
      // The home page still shows the rest when this one call fails.
      if (!result.ok) return null;
      return { networkId: n.id, networkName: n.name, role: n.role, overdue: result.data.overdue, dueSoon: result.data.dueSoon };
    }),
  );
  return groups.filter((g): g is NetworkDeadlines => g !== null);
}

export async function inboxOf(event: Event): Promise<NotificationsResponse> {
  const result = await call(event, (api) => api.me.notifications.$get());
  return result.ok ? result.data : { unread: 0, notifications: [] };
}

/** The home page's `?/readNotification` action (works without JavaScript). */
export async function readNotification(event: Event) {
  const id = String((await event.request.formData()).get('id') ?? '').slice(0, 100);
  const result = await call(event, (api) => api.me.notifications[':id'].read.$post({ param: { id: segment(id) } }));
  if (result.status === 401) redirect(303, '/login');
  if (!result.ok) return fail(result.status, { notificationFailed: id });
  return { notificationRead: id };
}
