// The people of a network: memberships, roles, deactivation, and invitations by e-mail.
import { z } from '@hono/zod-openapi';
import { RoleSchema } from './common.ts';

export const EmailAddress = z.string().trim().min(1, 'An e-mail address is required').max(320).pipe(z.email('Not a valid e-mail address')).transform((e) => e.toLowerCase());

export const Member = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: RoleSchema,
    /** The provider (role provider) or the jobcenter (host); null for viewers. */
    organisationId: z.string().nullable(),
    providerAdmin: z.boolean(),
    status: z.enum(['active', 'deactivated']),
    lastSignInAt: z.string().nullable(),
    memberSince: z.string(),
  })
  .openapi('Member');
export type Member = z.infer<typeof Member>;

export const UpdateMemberRequest = z
  .object({
    role: RoleSchema.optional(),
    providerId: z.string().nullable().optional(),
    providerAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one thing')
  .openapi('UpdateMemberRequest');
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);

export const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleSchema,
    providerId: z.string().nullable(),
    providerAdmin: z.boolean(),
    invitedBy: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: InvitationStatus,
    /** Whether the e-mail went out; when not, the host passes the link on (shown once, at creation or resend). */
    mailStatus: z.enum(['sent', 'failed', 'not_configured']),
  })
  .openapi('Invitation');
export type Invitation = z.infer<typeof Invitation>;

export const CreateInvitationRequest = z
  .object({
    email: EmailAddress,
    role: RoleSchema,
    providerId: z.string().optional(),
    providerAdmin: z.boolean().optional(),
  })
  .refine((v) => v.role !== 'provider' || !!v.providerId, { message: 'Choose the provider the person works for', path: ['providerId'] })
  .openapi('CreateInvitationRequest');
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

/** `link` only when the e-mail did not go out (no SMTP, or sending failed): the host copies it. */
export const CreatedInvitation = z
  .object({ id: z.string(), expiresAt: z.string(), mailStatus: z.enum(['sent', 'failed', 'not_configured']), link: z.string().optional() })
  .openapi('CreatedInvitation');
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

/** What the invited person sees before accepting (public, by token). */
export const InvitationPreview = z
  .object({
    networkName: z.string(),
    organisationName: z.string().nullable(),
    role: RoleSchema,
    invitedByName: z.string(),
    email: z.string(),
    /** An account with this e-mail exists: sign in to accept instead of choosing a password. */
    accountExists: z.boolean(),
    expiresAt: z.string(),
  })
  .openapi('InvitationPreview');
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const AcceptInvitationRequest = z
  .object({
    name: z.string().trim().min(1, 'Your name is required').max(200).optional(),
    password: z.string().max(1024).optional(),
  })
  .openapi('AcceptInvitationRequest');
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

export const AcceptedInvitation = z.object({ networkId: z.string() }).openapi('AcceptedInvitation');
