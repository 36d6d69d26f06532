// The browser's typed client of the HTTP API (same origin, the session cookie): the routes' own
// types (AppType), so a page script that reads a field the API does not return fails the type-check.
// Browser-only: call browserApi() from an effect or an event handler.
import { hc } from 'hono/client';
import type { AppType } from '../../../realtime/http/app.ts';

/** Everything under /api, e.g. `browserApi().networks[':networkId'].leaderboard.$get({ param, query })`. */
export type BrowserApi = ReturnType<typeof hc<AppType>>['api'];

/** The client; path parameters go in as the path carries them (hc does not encode them). */
export function browserApi(): BrowserApi {
  return hc<AppType>(location.origin, { headers: { accept: 'application/json' }, init: { credentials: 'same-origin' } }).api;
}

/**
 * The body of a successful answer, typed by the route; null for a refusal, or when the server cannot
 * be reached or sent no JSON, e.g. `okAnswer(() => browserApi().networks.$get())`.
 */
export async function okAnswer<Body>(send: () => Promise<{ ok: true; json(): Promise<Body> } | { ok: false }>): Promise<Body | null> {
  try {
    const response = await send();
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}
