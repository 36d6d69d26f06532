// Server-only: calls the Samspil API in-process through the bridge the one Node server hands us.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { ErrorBody } from '$wire/errors.ts';

export { SESSION_COOKIE } from '$wire/session.ts';

export type ApiErrorBody = ErrorBody['error'];

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody; headers: Headers };

export interface ApiInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
}

/**
 * Call `path` (e.g. '/api/networks') as the signed-in user: only the incoming request's cookie
 * header is forwarded. Never throws for an API error; the caller decides what a status means.
 */
export async function apiFetch<T>(event: Pick<RequestEvent, 'platform' | 'url' | 'request'>, path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  const headers = new Headers({ accept: 'application/json' });
  const cookie = event.request.headers.get('cookie');
  if (cookie) headers.set('cookie', cookie);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(new URL(path, event.url), {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const response = await bridgeOf(event).fetchApi(request);
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data: body as T, headers: response.headers };
  return { ok: false, status: response.status, error: errorOf(response.status, body), headers: response.headers };
}

/** The data of a successful call; else the sign-in page (session gone) or the matching error page. */
export function expectOk<T>(result: ApiResult<T>): T {
  if (result.ok) return result.data;
  if (result.status === 401) redirect(303, '/login');
  error(result.status, { message: result.error.message, code: result.error.code });
}

export function bridgeOf(event: Pick<RequestEvent, 'platform'>) {
  const bridge = event.platform?.req?.samspil;
  // Only `npm start` (realtime/server.ts) provides it; `vite dev` alone has no API to talk to.
  if (!bridge) error(503, { message: 'The Samspil API is not available to the web app (start it with npm start).', code: 'unavailable' });
  return bridge;
}

function errorOf(status: number, body: unknown): ApiErrorBody {
  const candidate = (body as Partial<ErrorBody> | null)?.error;
  if (candidate && typeof candidate.code === 'string' && typeof candidate.message === 'string') return candidate;
  return { code: status >= 500 ? 'internal' : 'bad_request', message: `The API answered ${status} without an error body.` };
}
