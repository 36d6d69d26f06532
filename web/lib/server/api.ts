// Server-only: calls the Samspil API in-process through the bridge the one Node server hands us,
// with Hono's typed client, so a page that reads a field the API does not return fails the type-check.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../../../realtime/http/app.ts';
import type { ErrorBody } from '$wire/errors.ts';
import type { BrowserApi } from '$lib/live/api.ts';

export { SESSION_COOKIE } from '$wire/session.ts';

export type ApiErrorBody = ErrorBody['error'];

export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; error: ApiErrorBody; headers: Headers };

/** The typed client of everything under /api, e.g. `api.networks[':networkId'].$get({ param: { networkId } })`. */
/** The same typed client the browser uses (one type for both sides). */
export type ApiClient = BrowserApi;

type ApiEvent = Pick<RequestEvent, 'platform' | 'url' | 'request'>;

/** Any answer of the typed client: its body type, status and format come from the route's declaration. */
type AnyAnswer = ClientResponse<unknown, number, string>;

/** What a call's successful answers carry: the body its route declares for a 2xx status (null when it declares none, e.g. 204). */
export type SuccessData<R> = R extends ClientResponse<infer Body, infer Status, infer Format> ? (Status extends SuccessStatusCode ? (Format extends 'json' ? Body : null) : never) : never;

/**
 * Make one API call as the signed-in user, e.g. `call(event, (api) => api.networks.$get())`: of the
 * incoming request only the cookie and User-Agent headers are forwarded. Never throws for an API
 * error; the caller decides what a status means. Path parameters go in as they should appear in the path: encode them (`segment`).
 */
export async function call<R extends AnyAnswer>(event: ApiEvent, request: (api: ApiClient) => Promise<R>): Promise<ApiResult<SuccessData<R>>> {
  const response = await request(clientOf(event));
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  // The one place where the answer's status picks its declared type: hc types the body per status, not per `ok`.
  if (response.ok) return { ok: true, status: response.status, data: body as SuccessData<R>, headers: response.headers };
  return { ok: false, status: response.status, error: errorOf(response.status, body), headers: response.headers };
}

/**
 * A form's value for a field the API checks against a fixed set (a select's options), typed as that
 * set: it is sent as it came, so a crafted form's other value gets the API's 422 as before. Only for
 * what we send; answers are never cast.
 */
export const formChoice = <Choice extends string>(value: string) => value as Choice;

/** A path parameter as the path carries it (hc puts parameters in unencoded). */
export const segment = (value: string) => encodeURIComponent(value);

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

/**
 * The typed client over the bridge, sending JSON and the incoming request's cookie and User-Agent
 * headers (the latter so a sign-in's session says which browser it is), nothing else of it.
 */
function clientOf(event: ApiEvent): ApiClient {
  const bridge = bridgeOf(event);
  const cookie = event.request.headers.get('cookie');
  const userAgent = event.request.headers.get('user-agent');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (userAgent) headers['user-agent'] = userAgent;
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => bridge.fetchApi(new Request(input, init));
  return hc<AppType>(event.url.origin, { fetch, headers }).api;
}

function errorOf(status: number, body: unknown): ApiErrorBody {
  const candidate = (body as Partial<ErrorBody> | null)?.error;
  if (candidate && typeof candidate.code === 'string' && typeof candidate.message === 'string') return candidate;
  return { code: status >= 500 ? 'internal' : 'bad_request', message: `The API answered ${status} without an error body.` };
}
