// The building blocks every API sub-app shares: its environment, validation hook, access guard,
// path parameters, request bodies and the documented refusals.
import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Identity } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { AppError, errorBody, fieldIssues } from '../errors.ts';
import { Month } from '../wire/common.ts';
import { clientAddress } from '../transport/clientAddress.ts';
import { ErrorBody } from '../wire/errors.ts';

export interface ApiEnv {
  Variables: { identity: Identity | null };
}

/** A sub-app whose failed validation answers 422 with one issue per field (or 400 for unreadable input). */
export function newRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = fieldIssues(result.error.issues);
        const where = result.target === 'json' ? 'request body' : result.target;
        return c.json(errorBody('validation_failed', `The ${where} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues), 422);
      }
    },
  });
}

export function requireIdentity(c: Context<ApiEnv>): Identity {
  const identity = c.get('identity');
  if (!identity) throw new AppError('unauthenticated', 'Sign in or send an API token (Authorization: Bearer <token>).');
  return identity;
}

/** Who did it, as the service functions take it. */
export function actingUser(c: Context<ApiEnv>) {
  const identity = requireIdentity(c);
  return { userId: identity.user.id, actor: identity.actor };
}

/** The client address a request counts against (X-Forwarded-For only from trusted proxies). */
export function addressOf(ctx: AppContext, c: Parameters<typeof getConnInfo>[0]): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return clientAddress(ctx.config, peer, c.req.header('x-forwarded-for'));
}

export const bearerSecurity: Array<Record<string, string[]>> = [{ cookieAuth: [] }, { bearerAuth: [] }];

/** What a route takes and answers; a description where the summary is not enough. */
type RouteParts = Pick<RouteConfig, 'request' | 'responses' | 'description'>;

// Generic in method and path so the literals reach the route table AppType (a plain string would hide them).
/** A route for signed-in callers (session cookie or API token), as /api/openapi.json documents it. */
export const signedInRoute = <Method extends RouteConfig['method'], Path extends string, Parts extends RouteParts>(method: Method, path: Path, summary: string, parts: Parts) =>
  createRoute({ method, path, summary, security: bearerSecurity, ...parts });

/** A route anyone may call (signing in, invitation links, password reset, health). */
export const openRoute = <Method extends RouteConfig['method'], Path extends string, Parts extends RouteParts>(method: Method, path: Path, summary: string, parts: Parts) =>
  createRoute({ method, path, summary, ...parts });

export const jsonContent = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A JSON request body; `required: false` where a route also takes none. */
export const jsonBody = <T>(schema: T, required = true) => ({ content: { 'application/json': { schema } }, required });

/** An id in the path, documented under its name. */
export const pathParam = <Name extends string>(name: Name) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });

/** A file name in the path (`export.csv` …), one of the given ones. */
export const fileParam = <const Files extends readonly [string, ...string[]]>(files: Files) =>
  z.enum(files).openapi({ param: { name: 'file', in: 'path' } });

export const NetworkParams = z.object({ networkId: pathParam('networkId') });
export const ProviderParams = NetworkParams.extend({ providerId: pathParam('providerId') });
export const MeetingParams = z.object({ meetingId: pathParam('meetingId') });
export const MonthParam = Month.openapi({ param: { name: 'month', in: 'path' } });

type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 422 | 428 | 429;

/** The error answers a route documents, each with its own description (they appear in /api/openapi.json). */
export function refusals<const Texts extends Partial<Record<RefusalStatus, string>>>(texts: Texts) {
  const answers: Partial<Record<RefusalStatus, ReturnType<typeof jsonContent<typeof ErrorBody>>>> = {};
  for (const [status, description] of Object.entries(texts)) answers[Number(status) as RefusalStatus] = jsonContent(ErrorBody, description as string);
  return answers as { [Status in keyof Texts]: ReturnType<typeof jsonContent<typeof ErrorBody>> };
}
