// /api/auth/password-reset: a forgotten password is reset through a single-use link sent by e-mail.
import { randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { completePasswordReset, findPasswordReset, insertPasswordReset } from '../../db/queries/passwordResets.ts';
import { findUserByEmail } from '../../db/queries/users.ts';
import { mayUsePassword } from './oidcAdmission.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { addressOf, pathParam, jsonBody, jsonContent, newRouter, openRoute, refusals } from '../http/router.ts';
import { publicLink } from '../notifications/email.ts';
import { PasswordResetAvailability, PasswordResetCompletion, PasswordResetLink, PasswordResetRequest } from '../wire/account.ts';
import { sha256 } from './identity.ts';
import { assertAcceptablePassword, hashPassword } from './password.ts';
import { passwordResetMail } from './passwordResetMail.ts';
import { PASSWORD_RESET_LIMITS, SignInThrottle } from './throttle.ts';

/** A reset link works for one hour. */
export const PASSWORD_RESET_TTL_MS = 60 * 60_000;

const TokenParams = z.object({ token: pathParam('token') });

const availability = openRoute('get', '/password-reset', 'Whether reset links can be e-mailed (SMTP configured); without it, a host must help', {
  responses: { 200: jsonContent(PasswordResetAvailability, 'How a forgotten password is reset on this server') },
});

const requestReset = openRoute('post', '/password-reset', 'Ask for a reset link by e-mail; the answer is the same whether or not the address has an account', {
  request: { body: jsonBody(PasswordResetRequest) },
  responses: {
    202: jsonContent(PasswordResetAvailability, 'Accepted: if an active account has this address and e-mail is configured, a link is on its way'),
    ...refusals({ 422: 'The body is not valid', 429: 'Too many requests for this address or from this client; try again later' }),
  },
});

const inspectReset = openRoute('get', '/password-reset/{token}', 'Whether a reset link still works, and for which account', {
  request: { params: TokenParams },
  responses: {
    200: jsonContent(PasswordResetLink, 'The link works'),
    ...refusals({ 404: 'No such link', 410: 'The link was used or has expired' }),
  },
});

const completeReset = openRoute('post', '/password-reset/{token}', 'Set a new password with a reset link; every session and API token of the account ends', {
  request: { params: TokenParams, body: jsonBody(PasswordResetCompletion) },
  responses: {
    204: { description: 'The password is set; sign in with it' },
    ...refusals({ 403: 'The account signs in through single sign-on only (PASSWORD_SIGN_IN)', 404: 'No such link', 410: 'The link was used or has expired', 422: 'The new password breaks a rule (the issue names it)' }),
  },
});

const DEAD_LINK = 'This reset link has been used or has expired. Ask for a new one on the sign-in page.';
const UNKNOWN_LINK = 'There is no such reset link. Check that the whole link was copied, or ask for a new one on the sign-in page.';

/** Stores a new reset link for the account (only its token's hash) and answers the token. */
export async function issuePasswordReset(ctx: Pick<AppContext, 'db' | 'now' | 'newId'>, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await insertPasswordReset(ctx.db, {
    id: ctx.newId(),
    user_id: userId,
    token_hash: sha256(token),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + PASSWORD_RESET_TTL_MS).toISOString(),
    used_at: null,
  });
  return token;
}

const availabilityOf = (ctx: AppContext) => ({ byEmail: Boolean(ctx.mailer), passwords: (ctx.config.passwordSignIn ?? 'on') !== 'off' });

export function passwordResetRoutes(ctx: AppContext, live: LiveHooks) {
  const throttle = new SignInThrottle(ctx.db, ctx.now, PASSWORD_RESET_LIMITS, 'password-reset:');

  /** The link row when it still works; else the refusal that says why not. */
  async function liveReset(token: string) {
    const reset = await findPasswordReset(ctx.db, sha256(token));
    if (!reset) throw new AppError('not_found', UNKNOWN_LINK);
    if (reset.used_at || reset.disabled_at || Date.parse(reset.expires_at) <= ctx.now().getTime()) throw new AppError('gone', DEAD_LINK);
    return reset;
  }

  return newRouter()
    .openapi(availability, (c) => c.json(availabilityOf(ctx), 200))
    .openapi(requestReset, async (c) => {
      const { email } = c.req.valid('json');
      const address = addressOf(ctx, c);
      // Counted per address typed, account or not, so the limit says nothing about who has one.
      const wait = await throttle.retryAfterMs(email, address);
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        throw new AppError('rate_limited', `Too many reset requests. Try again in ${Math.ceil(wait / 60_000)} minutes.`);
      }
      await throttle.failed(email, address);
      const user = await findUserByEmail(ctx.db, email);
      const mailer = ctx.mailer;
      if (user && !user.disabled_at && mailer && (await mayUsePassword(ctx, user.id))) {
        const token = await issuePasswordReset(ctx, user.id);
        const mail = passwordResetMail(user.locale, { name: user.name, link: publicLink(ctx, c.req.url, `/password-reset/${token}`) });
        // Not awaited: an SMTP round trip would make a known address answer slower than an unknown one.
        mailer.send({ to: user.email, ...mail }).catch((err: unknown) => {
          ctx.log.error('password reset e-mail not sent', { userId: user.id, error: err instanceof Error ? err.message : String(err) });
        });
      }
      return c.json(availabilityOf(ctx), 202);
    })
    .openapi(inspectReset, async (c) => {
      const reset = await liveReset(c.req.valid('param').token);
      return c.json({ email: reset.email }, 200);
    })
    .openapi(completeReset, async (c) => {
      const { token } = c.req.valid('param');
      const { password } = c.req.valid('json');
      const reset = await liveReset(token);
      if (!(await mayUsePassword(ctx, reset.user_id))) throw new AppError('forbidden', 'This account signs in through single sign-on only; it has no password to reset.');
      assertAcceptablePassword(password, 'password');
      const ended = await completePasswordReset(ctx.db, { id: reset.id, userId: reset.user_id }, await hashPassword(password), ctx.now().toISOString());
      if (!ended) throw new AppError('gone', DEAD_LINK);
      for (const id of [...ended.sessions, ...ended.tokens]) live.credentialRevoked(id);
      return c.body(null, 204);
    });
}
