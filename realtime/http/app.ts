// The HTTP API under /api: guards every request (origin, identity), mounts the feature folders' sub-apps,
// serves the OpenAPI document generated from the same schemas that validate.
import { SESSION_COOKIE } from '../wire/session.ts';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { identify } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { AppError, errorBody, fieldIssues, statusOf } from '../errors.ts';
import { isCrossSiteRequest } from '../transport/origin.ts';
import { auditRoutes } from '../audit/auditRoutes.ts';
import { authRoutes } from '../auth/authRoutes.ts';
import { meRoutes } from '../auth/meRoutes.ts';
import { passwordResetRoutes } from '../auth/passwordResetRoutes.ts';
import { authMethodRoutes } from '../auth/oidcRoutes.ts';
import { commitmentRoutes } from '../contracts/commitmentRoutes.ts';
import { contractRoutes } from '../contracts/contractRoutes.ts';
import { settlementPreviewRoutes, settlementRoutes } from '../contracts/settlementRoutes.ts';
import { healthRoutes } from '../health/healthRoutes.ts';
import { accessibilityRoutes } from '../accessibility/accessibilityRoutes.ts';
import { meetingArchiveRoutes, networkArchiveRoutes } from '../meetings/archiveRoutes.ts';
import { calendarFeedRoutes, meetingCalendarRoutes, networkCalendarRoutes } from '../meetings/calendarRoutes.ts';
import { methodNoteRoutes } from '../meetings/noteRoutes.ts';
import { meetingPlanRoutes, networkMeetingRoutes } from '../meetings/planRoutes.ts';
import { meetingRunRoutes } from '../meetings/runRoutes.ts';
import { networkRoutes } from '../networks/networkRoutes.ts';
import { providerRoutes } from '../providers/providerRoutes.ts';
import { notificationRoutes } from '../notifications/notificationRoutes.ts';
import { documentPurgeRoutes, networkDataRoutes } from '../privacy/privacyRoutes.ts';
import { leaderboardRoutes } from '../results/leaderboardRoutes.ts';
import { reportRoutes } from '../results/reportRoutes.ts';
import { MAX_UPLOAD_BYTES } from '../results/tabular.ts';
import { supervisionRoutes } from '../supervision/supervisionRoutes.ts';
import { memberRoutes } from '../members/memberRoutes.ts';
import { invitationRoutes, publicInvitationRoutes } from '../members/invitationRoutes.ts';
import { noLiveHooks, type LiveHooks } from './hooks.ts';
import type { ApiEnv } from './router.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Largest JSON request body accepted (the biggest real one, a contract with 50 commitments, is ~100 KiB). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export function createApi(ctx: AppContext, live: LiveHooks = noLiveHooks) {
  const api = new OpenAPIHono<ApiEnv>();

  api.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    if (ctx.config.secureCookies) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    // Cross-site state changes are refused whatever their Content-Type (CSRF); scripts send no Origin.
    if (!SAFE_METHODS.has(c.req.method)) {
      const headers = { origin: c.req.header('origin'), fetchSite: c.req.header('sec-fetch-site') };
      // The URL's origin is the connection's scheme and the Host (or, through the bridge, SvelteKit's).
      if (isCrossSiteRequest(headers, new URL(c.req.url).origin, ctx.config.allowedOrigins)) {
        throw new AppError('forbidden', 'Cross-site requests may not change anything.');
      }
      // Bodies are JSON, said so exactly (media types are case-insensitive); file imports check their own types.
      const refused = refusedBodyType(c.req.raw.headers, c.req.path);
      if (refused) return c.json(errorBody('bad_request', refused), 415);
      const type = c.req.header('content-type');
      if (type && type !== type.toLowerCase() && hasBody(c.req.raw.headers)) c.req.raw.headers.set('content-type', type.toLowerCase());
    }
    c.set(
      'identity',
      await identify(ctx, { cookieHeader: c.req.header('cookie'), authorizationHeader: c.req.header('authorization') }),
    );
    await next();
  });

  // Bodies are bounded before they are read: JSON 1 MiB, file imports their own 5 MB (chunked too).
  // The rest of an oversized body is not read, so the connection ends with the answer (no reuse).
  const jsonLimit = bodyLimit({ maxSize: MAX_JSON_BODY_BYTES, onError: (c) => c.json(errorBody('bad_request', `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB.`), 413, { connection: 'close' }) });
  const fileLimit = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.json(errorBody('bad_request', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it.`), 413, { connection: 'close' }) });
  api.use('*', (c, next) => (c.req.path.endsWith('/import') ? fileLimit(c, next) : jsonLimit(c, next)));

  api.openAPIRegistry.registerComponent('securitySchemes', 'cookieAuth', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/auth/tokens' });

  // The URL space, one mount a line (each sub-app's own paths follow the prefix). The chain's result
  // is the app typed with every route (AppType); `api` alone has none of them.
  const routes = api
    // Operations
    .route('/api/health', healthRoutes(ctx, live)) //                  GET /api/health
    .route('/api/accessibility', accessibilityRoutes(ctx)) //          GET /api/accessibility (the statement's facts; no sign-in)
    // Identity: signing in, API tokens, the caller and their inbox
    .route('/api/auth', authRoutes(ctx, live)) //                      /login, /logout, /logout-everywhere, /password, /tokens[/{tokenId}]
    .route('/api/auth', passwordResetRoutes(ctx, live)) //             /password-reset[/{token}]
    .route('/api/auth', authMethodRoutes(ctx)) //                      GET /methods (single sign-on, passwords)
    .route('/api/me', meRoutes(ctx, live)) //                           GET|PATCH /api/me, /sessions[/{sessionId}]
    .route('/api/me/notifications', notificationRoutes(ctx)) //        /, /{id}/read
    // Networks, and all that is kept per network under /api/networks/{networkId}/…
    .route('/api/networks', networkRoutes(ctx)) //                      /, /{networkId} (GET, POST /, PATCH)
    .route('/api/networks', networkDataRoutes(ctx, live)) //            /{networkId}/export, DELETE /{networkId}
    // … its providers: periods and joining checklists
    .route('/api/networks', providerRoutes(ctx, live)) //               /{networkId}/providers[/{providerId}[/checklist]]
    // … its people: memberships and invitations (accepting one is public, by its token)
    .route('/api/networks', memberRoutes(ctx, live)) //                 /{networkId}/members[/{userId}]
    .route('/api/networks', invitationRoutes(ctx)) //                   /{networkId}/invitations[/{invitationId}[/resend]]
    .route('/api/invitations', publicInvitationRoutes(ctx, live)) //    GET /{token}, POST /{token}/accept (the token is the credential)
    // … its meetings, their archive and calendars
    .route('/api/networks', networkMeetingRoutes(ctx, live)) //         /{networkId}/meetings
    .route('/api/networks', networkArchiveRoutes(ctx)) //               /{networkId}/archive/search, /archive/diff
    .route('/api/networks', networkCalendarRoutes(ctx)) //              /{networkId}/calendar.ics, /calendar/feeds[/{feedId}]
    // … its results: monthly reports, course records, the leaderboard
    .route('/api/networks', reportRoutes(ctx, live)) //                 /{networkId}/providers/{providerId}/reports[/import], /courses/import; /{networkId}/reports/{file}
    .route('/api/networks', leaderboardRoutes(ctx, live)) //            /{networkId}/leaderboard[/seal|/reveal|/settings|/{file}], /{networkId}/survival
    // … its contracts, commitments, documentation deadlines and settlements
    .route('/api/networks', contractRoutes(ctx)) //                     /{networkId}/contracts[/{contractId}[/versions]], /{networkId}/providers/{providerId}/contracts
    .route('/api/networks', commitmentRoutes(ctx)) //                   /{networkId}/providers/{providerId}/commitments[/{commitmentId}/{month}[/response]], /{networkId}/deadlines
    .route('/api/networks', settlementRoutes(ctx)) //                   /{networkId}/providers/{providerId}/settlements[/{month}/approve|/corrections|/{file}]
    // … supervision of its providers, and its audit log
    .route('/api/networks', supervisionRoutes(ctx)) //                  /{networkId}/supervision[/overdue|/{visitId}[/actions/{actionId}|/response]], /{networkId}/providers/{providerId}/supervision
    .route('/api/networks', auditRoutes(ctx)) //                        /{networkId}/audit[/export.csv]
    // A meeting: plan, method notes, live run, calendar, privacy; then the archive, whose
    // GET /{meetingId}/{file} must come after every other GET /api/meetings/{meetingId}/… route
    .route('/api/meetings', meetingPlanRoutes(ctx, live)) //            /{meetingId}, /cancel, /agenda, /presenters, /preparation
    .route('/api/meetings', methodNoteRoutes(ctx, live)) //             /{meetingId}/notes/{providerId}/publish|/withdraw, /notes/hold
    .route('/api/meetings', meetingRunRoutes(ctx, live)) //             /{meetingId}/start, /advance, /close, /entries[/{entryId}/status]
    .route('/api/meetings', meetingCalendarRoutes(ctx)) //              /{meetingId}/calendar.ics
    .route('/api/meetings', documentPurgeRoutes(ctx, live)) //          /{meetingId}/documents/purge
    .route('/api/meetings', meetingArchiveRoutes(ctx)) //               /{meetingId}/archive, /addenda, /{file}
    // Outside any network: a settlement preview (signed in), the private calendar feed (no sign-in)
    .route('/api/settlements', settlementPreviewRoutes()) //            POST /api/settlements/preview
    .route('/api/calendar', calendarFeedRoutes(ctx)); //                GET /api/calendar/{secret}.ics (the secret is the credential)

  api.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Samspil API',
      version: ctx.config.version,
      description: 'Jobcenter–provider networks: method notes, monthly results, meetings. Errors are `{ "error": { "code", "message", "issues"? } }`.',
    },
  });

  api.notFound((c) => c.json(errorBody('not_found', `No API route ${c.req.method} ${c.req.path}.`), 404));

  api.onError((err, c) => {
    if (err instanceof AppError) return c.json(errorBody(err.code, err.message, err.issues, err.currentVersion), statusOf[err.code]);
    if (err instanceof ZodError) {
      const issues = fieldIssues(err.issues);
      return c.json(errorBody('validation_failed', 'The request is not valid.', issues), 422);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const message = /json/i.test(err.message) ? 'The request body is not valid JSON.' : err.message || 'Bad request.';
      return c.json(errorBody('bad_request', message), err.status === 400 ? 400 : (err.status as 400));
    }
    if (isDatabaseDown(err)) {
      ctx.log.error('database unavailable', { path: c.req.path, error: String(err) });
      return c.json(errorBody('unavailable', 'The database is not reachable right now; nothing was changed. Try again shortly.'), 503);
    }
    ctx.log.error('unhandled API error', { path: c.req.path, error: err instanceof Error ? err.stack : String(err) });
    return c.json(errorBody('internal', 'Something went wrong on our side; nothing was changed.'), 500);
  });

  return routes;
}

/** The API with every route's input and output types, for Hono's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApi>;

const UPLOAD_PATH = /\/import\/?$/;

function hasBody(headers: Headers): boolean {
  return Number(headers.get('content-length') ?? 0) > 0 || headers.has('transfer-encoding');
}

/** Why a state-changing request's body is refused for its Content-Type, or null: JSON routes take only application/json. */
export function refusedBodyType(headers: Headers, path: string): string | null {
  if (!hasBody(headers) || UPLOAD_PATH.test(path)) return null;
  const type = (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return null;
  return `Send the request body as JSON with Content-Type: application/json (got "${type || 'no content type'}").`;
}

/** Connection-level failures (not bad queries): the database or the way to it is down. */
function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  const message = err instanceof Error ? err.message : '';
  return (
    // 57014: our statement_timeout cancelled a statement (a lock held elsewhere, an overloaded database).
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '57014', 'SQLITE_BUSY', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR'].includes(code) ||
    code.startsWith('08') || // PostgreSQL class 08: connection exception
    // node-postgres reports a dropped connection without a code.
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message)
  );
}
