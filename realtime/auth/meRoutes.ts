// /api/me: who the caller is, their own name and language, and their own sign-in sessions.
import { z } from '@hono/zod-openapi';
import { containsCpr, CPR_MESSAGE } from '../../domain/cpr.ts';
import { liveSessionsOf, revokeOtherSessions, revokeSession } from '../../db/queries/sessions.ts';
import { findUserById, membershipsOf, updateProfile } from '../../db/queries/users.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { MeResponse } from '../wire/auth.ts';
import { SessionInfo, UpdateMeRequest } from '../wire/account.ts';
import { pathParam, jsonBody, jsonContent, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';
import { sha256 } from './identity.ts';

const me = signedInRoute('get', '/', 'The signed-in user and their memberships', {
  responses: { 200: jsonContent(MeResponse, 'The caller'), ...refusals({ 401: 'Not signed in' }) },
});

const updateMe = signedInRoute('patch', '/', 'Change your own name or language (the language of the pages and of the e-mails you get)', {
  request: { body: jsonBody(UpdateMeRequest) },
  responses: { 200: jsonContent(MeResponse, 'The caller, changed'), ...refusals({ 401: 'Not signed in', 422: 'The body is not valid (a CPR number in the name, an unknown language)' }) },
});

const listSessions = signedInRoute('get', '/sessions', 'Your live sign-in sessions, most recently used first; `current` marks the one asking', {
  responses: { 200: jsonContent(z.object({ sessions: z.array(SessionInfo) }), 'Your sessions'), ...refusals({ 401: 'Not signed in' }) },
});

const endOneSession = signedInRoute('delete', '/sessions/{sessionId}', 'Sign out one of your sessions (its live connections close)', {
  request: { params: z.object({ sessionId: pathParam('sessionId') }) },
  responses: { 204: { description: 'Signed out' }, ...refusals({ 401: 'Not signed in', 404: 'No such live session of yours' }) },
});

const endOtherSessions = signedInRoute('delete', '/sessions', 'Sign out of every other session of yours (the one asking stays; with an API token, every session ends)', {
  responses: { 204: { description: 'The other sessions are signed out' }, ...refusals({ 401: 'Not signed in' }) },
});

/**
 * A session's id as shown to its owner: derived from the stored hash, not the hash itself. The
 * stored hash is what revocations and logs name; a page or script only needs something to point with.
 */
export const sessionRef = (sessionHash: string) => sha256(`session-ref:${sessionHash}`).slice(0, 32);

export async function meOf(ctx: AppContext, userId: string, via: MeResponse['via']): Promise<MeResponse> {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw new Error(`user ${userId} vanished`);
  const memberships = await membershipsOf(ctx.db, userId);
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale, hasPassword: user.password_hash !== '' },
    memberships: memberships.map((m) => ({ networkId: m.network_id, role: m.role, organisationId: m.organisation_id })),
    via,
  };
}

export function meRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(me, async (c) => {
      const identity = requireIdentity(c);
      return c.json(await meOf(ctx, identity.user.id, identity.via), 200);
    })
    .openapi(updateMe, async (c) => {
      const identity = requireIdentity(c);
      const changes = c.req.valid('json');
      if (changes.name !== undefined && containsCpr(changes.name)) {
        throw new AppError('validation_failed', CPR_MESSAGE.en, [{ path: 'name', message: CPR_MESSAGE.en }]);
      }
      await updateProfile(ctx.db, identity.user.id, { name: changes.name, locale: changes.locale });
      return c.json(await meOf(ctx, identity.user.id, identity.via), 200);
    })
    .openapi(listSessions, async (c) => {
      const identity = requireIdentity(c);
      const rows = await liveSessionsOf(ctx.db, identity.user.id, ctx.now().toISOString());
      const current = identity.via === 'session' ? identity.credentialId : null;
      return c.json(
        { sessions: rows.map((s) => ({ id: sessionRef(s.id), createdAt: s.created_at, lastSeenAt: s.last_seen_at, current: s.id === current, userAgent: s.user_agent })) },
        200,
      );
    })
    .openapi(endOtherSessions, async (c) => {
      const identity = requireIdentity(c);
      const keep = identity.via === 'session' ? identity.credentialId : null;
      for (const id of await revokeOtherSessions(ctx.db, identity.user.id, keep, ctx.now().toISOString())) live.credentialRevoked(id);
      return c.body(null, 204);
    })
    .openapi(endOneSession, async (c) => {
      const identity = requireIdentity(c);
      const { sessionId } = c.req.valid('param');
      const rows = await liveSessionsOf(ctx.db, identity.user.id, ctx.now().toISOString());
      const session = rows.find((s) => sessionRef(s.id) === sessionId);
      if (!session) throw new AppError('not_found', 'You have no live session with that id.');
      await revokeSession(ctx.db, session.id, ctx.now().toISOString());
      live.credentialRevoked(session.id);
      return c.body(null, 204);
    });
}
