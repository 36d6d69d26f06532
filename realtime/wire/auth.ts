// Signing in, the signed-in user, password changes and API tokens.
import { z } from '@hono/zod-openapi';
import { RoleSchema } from './common.ts';

export const LoginRequest = z
  .object({
    email: z.string().trim().min(1, 'Email is required').max(320).pipe(z.email('Not a valid email address')),
    password: z.string().min(1, 'Password is required').max(1024),
  })
  .openapi('LoginRequest');
export type LoginRequest = z.infer<typeof LoginRequest>;

export const MeResponse = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      locale: z.enum(['da', 'en']),
      /** False for an account that signs in only through single sign-on: there is no password to change. */
      hasPassword: z.boolean(),
    }),
    memberships: z.array(
      z.object({ networkId: z.string(), role: RoleSchema, organisationId: z.string().nullable() }),
    ),
    via: z.enum(['session', 'token']),
  })
  .openapi('Me');
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().min(1, 'Your current password is required').max(1024),
    newPassword: z.string().min(12, 'Use at least 12 characters').max(1024),
  })
  .openapi('ChangePasswordRequest');

export const CreateTokenRequest = z
  .object({
    name: z.string().trim().min(1).max(100).default('script'),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .openapi('CreateTokenRequest');

export const TokenInfo = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('TokenInfo');
export type TokenInfo = z.infer<typeof TokenInfo>;

export const CreatedToken = TokenInfo.extend({
  token: z.string().openapi({ description: 'The secret, shown once. Use as `Authorization: Bearer <token>`.' }),
}).openapi('CreatedToken');

/** How one may sign in here: single sign-on (its button's name and where it starts), passwords. */
export const AuthMethods = z
  .object({
    oidc: z.object({ displayName: z.string(), loginPath: z.string() }).nullable(),
    password: z.boolean(),
    /** Password sign-in only for accounts not linked to single sign-on (PASSWORD_SIGN_IN=linked-off). */
    passwordForLinked: z.boolean(),
  })
  .openapi('AuthMethods');
export type AuthMethods = z.infer<typeof AuthMethods>;
