// A person's own account: name, language, sessions, and resetting a forgotten password.
import { z } from '@hono/zod-openapi';
import { EmailAddress } from './members.ts';

export const UpdateMeRequest = z
  .object({
    name: z.string().trim().min(1, 'Your name is required').max(200).optional(),
    locale: z.enum(['da', 'en']).optional(),
  })
  .refine((v) => v.name !== undefined || v.locale !== undefined, 'Change at least one thing')
  .openapi('UpdateMeRequest');
export type UpdateMeRequest = z.infer<typeof UpdateMeRequest>;

export const SessionInfo = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    current: z.boolean(),
    userAgent: z.string().nullable().openapi({ description: 'The browser it was signed in from (its User-Agent), when known' }),
  })
  .openapi('SessionInfo');
export type SessionInfo = z.infer<typeof SessionInfo>;

export const PasswordResetRequest = z.object({ email: EmailAddress }).openapi('PasswordResetRequest');
export const PasswordResetCompletion = z.object({ password: z.string().max(1024) }).openapi('PasswordResetCompletion');

/** Whether a reset link can be e-mailed at all (SMTP configured); without it, people ask a host. */
export const PasswordResetAvailability = z
  .object({
    byEmail: z.boolean(),
    /** False with PASSWORD_SIGN_IN=off: everyone signs in through single sign-on, there is no password to reset. */
    passwords: z.boolean(),
  })
  .openapi('PasswordResetAvailability');
export type PasswordResetAvailability = z.infer<typeof PasswordResetAvailability>;

/** A live reset link: the account it resets, so the page can say whose password is being set. */
export const PasswordResetLink = z.object({ email: z.string() }).openapi('PasswordResetLink');
export type PasswordResetLink = z.infer<typeof PasswordResetLink>;
