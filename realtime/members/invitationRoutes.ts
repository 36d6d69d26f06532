// /api/networks/{networkId}/invitations (hosts, provider administrators) and /api/invitations/{token}
// (public: the token is the credential, so lookups are rate-limited per address and never logged).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { endSession, sessionCookie, startSession } from '../auth/identity.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { actingUser, addressOf, type ApiEnv, pathParam, jsonBody, jsonContent, NetworkParams, newRouter, openRoute, refusals, signedInRoute } from '../http/router.ts';
import { publicLink } from '../notifications/email.ts';
import { sessionCookieOf } from '../transport/cookies.ts';
import { AcceptedInvitation, AcceptInvitationRequest, CreatedInvitation, CreateInvitationRequest, Invitation, InvitationPreview } from '../wire/members.ts';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, resendInvitation, revokeInvitation } from './invitations.ts';

const InvitationParams = NetworkParams.extend({ invitationId: pathParam('invitationId') });
const TokenParams = z.object({ token: z.string().min(1).max(200).openapi({ param: { name: 'token', in: 'path' } }) });

const create = signedInRoute('post', '/{networkId}/invitations', 'Invite someone by e-mail as host, provider member or viewer; the answer carries the link when the e-mail did not go out', {
  request: { params: NetworkParams, body: jsonBody(CreateInvitationRequest) },
  responses: {
    201: jsonContent(CreatedInvitation, 'Invited; `link` when the host must pass it on (no SMTP, or sending failed)'),
    ...refusals({
      401: 'Not signed in',
      403: "Not allowed to invite into this role or provider (a provider's administrator: plain members of their own provider)",
      404: 'No such network, or the provider is not part of it',
      409: 'Already a member of this network, or the provider has left it',
      422: 'The body is not valid',
    }),
  },
});

const list = signedInRoute('get', '/{networkId}/invitations', "The network's invitations with their status (a provider's administrator: their own provider's)", {
  request: { params: NetworkParams },
  responses: {
    200: jsonContent(z.object({ invitations: z.array(Invitation) }), 'Newest first'),
    ...refusals({ 401: 'Not signed in', 403: "Neither a host nor a provider's administrator in this network", 404: 'No such network' }),
  },
});

const resend = signedInRoute('post', '/{networkId}/invitations/{invitationId}/resend', 'A new link and expiry, mailed again; the old link stops working', {
  request: { params: InvitationParams },
  responses: {
    200: jsonContent(CreatedInvitation, 'Renewed; `link` when the host must pass it on'),
    ...refusals({ 401: 'Not signed in', 403: 'Not allowed to manage this invitation', 404: 'No such network or invitation', 409: 'Accepted or revoked already, or the provider has left' }),
  },
});

const revoke = signedInRoute('delete', '/{networkId}/invitations/{invitationId}', 'Revoke an invitation: its link stops working', {
  request: { params: InvitationParams },
  responses: {
    204: { description: 'Revoked (also when it was revoked already)' },
    ...refusals({ 401: 'Not signed in', 403: 'Not allowed to manage this invitation', 404: 'No such network or invitation', 409: 'Accepted already' }),
  },
});

const preview = openRoute('get', '/{token}', 'What an invitation link invites to: network, organisation, role, who invited (no sign-in; the token is the credential)', {
  request: { params: TokenParams },
  responses: {
    200: jsonContent(InvitationPreview, 'The invitation'),
    ...refusals({ 404: 'No such invitation', 410: 'Used, revoked or expired', 429: 'Too many lookups from this address' }),
  },
});

const accept = openRoute('post', '/{token}/accept', 'Accept: creates the account from name and password and signs in; with an existing account, sign in as it first', {
  request: { params: TokenParams, body: jsonBody(AcceptInvitationRequest) },
  responses: {
    201: jsonContent(AcceptedInvitation, 'Accepted; a new account is signed in (the `samspil_session` cookie is set)'),
    ...refusals({
      401: 'An account with this e-mail exists: sign in as it first',
      403: 'Signed in as another account than the invited one',
      404: 'No such invitation',
      409: 'Already a member, or the provider has left the network',
      410: 'Used, revoked or expired',
      422: 'Name or password not valid (the message says which rule failed)',
      429: 'Too many lookups from this address',
    }),
  },
});

export function invitationRoutes(ctx: AppContext) {
  const linkBase = (c: Context<ApiEnv>) => publicLink(ctx, c.req.url, '/invitations/');
  return newRouter()
    .openapi(create, async (c) => {
      const { networkId } = c.req.valid('param');
      return c.json(await createInvitation(ctx, linkBase(c), actingUser(c), networkId, c.req.valid('json')), 201);
    })
    .openapi(list, async (c) => {
      const { networkId } = c.req.valid('param');
      return c.json({ invitations: await listInvitations(ctx, actingUser(c), networkId) }, 200);
    })
    .openapi(resend, async (c) => {
      const { networkId, invitationId } = c.req.valid('param');
      return c.json(await resendInvitation(ctx, linkBase(c), actingUser(c), networkId, invitationId), 200);
    })
    .openapi(revoke, async (c) => {
      const { networkId, invitationId } = c.req.valid('param');
      await revokeInvitation(ctx, actingUser(c), networkId, invitationId);
      return c.body(null, 204);
    });
}

/**
 * Unknown links one address may try in a sliding window; then every lookup from it is refused until
 * the window has passed. A token cannot be guessed (256 bits); this stops floods and scanning. Held
 * per instance, like the connection limits.
 */
export const LOOKUP_LIMIT = { maxUnknown: 30, windowMs: 10 * 60_000 };

export function publicInvitationRoutes(ctx: AppContext, live: LiveHooks) {
  const unknownTries = new Map<string, number[]>();
  const recent = (address: string, now: number) => (unknownTries.get(address) ?? []).filter((t) => t > now - LOOKUP_LIMIT.windowMs);
  /** Runs a lookup unless the address is limited; an unknown link counts against it. */
  const lookup = async <T>(c: Context<ApiEnv>, run: () => Promise<T>): Promise<T> => {
    const address = addressOf(ctx, c);
    const now = ctx.now().getTime();
    const tries = recent(address, now);
    if (tries.length >= LOOKUP_LIMIT.maxUnknown) {
      c.header('Retry-After', String(Math.ceil((tries[0] + LOOKUP_LIMIT.windowMs - now) / 1000)));
      throw new AppError('rate_limited', 'Too many unknown invitation links tried from your address; wait a few minutes.');
    }
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') {
        // Forget addresses whose window has passed, so the map stays small.
        if (unknownTries.size > 10_000) for (const [key, times] of unknownTries) if (times.at(-1)! <= now - LOOKUP_LIMIT.windowMs) unknownTries.delete(key);
        unknownTries.set(address, [...tries, now]);
      }
      throw err;
    }
  };

  return newRouter()
    .openapi(preview, async (c) => {
      return c.json(await lookup(c, () => previewInvitation(ctx, c.req.valid('param').token)), 200);
    })
    .openapi(accept, async (c) => {
      const identity = c.get('identity');
      const accepted = await lookup(c, () => acceptInvitation(ctx, c.req.valid('param').token, identity?.user.id ?? null, c.req.valid('json')));
      if (accepted.newUserId) {
        // As at sign-in: a fresh session, and one the request carried is ended.
        const previous = sessionCookieOf(c.req.header('cookie'));
        if (previous) live.credentialRevoked(await endSession(ctx, previous));
        const { cookieValue, cookieExpiresAt } = await startSession(ctx, accepted.newUserId);
        c.header('Set-Cookie', sessionCookie(ctx, cookieValue, cookieExpiresAt));
      } else {
        // Someone signed in already: their live connections learn the new network.
        await live.membershipChanged(identity!.user.id);
      }
      return c.json({ networkId: accepted.networkId }, 201);
    });
}
