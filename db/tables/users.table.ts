// Accounts and signing in: users, their sessions and API tokens, and failed sign-ins.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locale: 'da' | 'en';
  created_at: IsoTime;
  /** Set by an operator command: the account as a whole is closed, in every network. */
  disabled_at: IsoTime | null;
  last_sign_in_at: IsoTime | null;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

export interface SessionTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id: string;
  user_id: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  last_seen_at: IsoTime;
  revoked_at: IsoTime | null;
  /** The browser's User-Agent at sign-in (cut short), to tell one's sessions apart; null if none was sent. */
  user_agent: string | null;
}

export type SessionRow = Selectable<SessionTable>;
export type NewSession = Insertable<SessionTable>;
export type SessionUpdate = Updateable<SessionTable>;

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once, at creation. */
  token_hash: string;
  created_at: IsoTime;
  last_used_at: IsoTime | null;
  expires_at: IsoTime | null;
  revoked_at: IsoTime | null;
}

export type ApiTokenRow = Selectable<ApiTokenTable>;
export type NewApiToken = Insertable<ApiTokenTable>;
export type ApiTokenUpdate = Updateable<ApiTokenTable>;

/** One failed sign-in, under a hash of what it counts against (the account, or the client address). */
export interface SignInFailureTable {
  key: string;
  failed_at: IsoTime;
}

export type SignInFailureRow = Selectable<SignInFailureTable>;
export type NewSignInFailure = Insertable<SignInFailureTable>;
export type SignInFailureUpdate = Updateable<SignInFailureTable>;

export type InvitationMailStatus = 'sent' | 'failed' | 'not_configured';

/** An invitation by e-mail into one network, in one role; the link carries a token of which only the hash is kept. */
export interface InvitationTable {
  id: string;
  network_id: string;
  /** Normalised: trimmed and lower case. */
  email: string;
  role: 'host' | 'provider' | 'viewer';
  organisation_id: string | null;
  provider_admin: Generated<number>;
  token_hash: string;
  invited_by: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  accepted_at: IsoTime | null;
  accepted_by: string | null;
  revoked_at: IsoTime | null;
  mail_status: InvitationMailStatus;
}

export type InvitationRow = Selectable<InvitationTable>;
export type NewInvitation = Insertable<InvitationTable>;
export type InvitationUpdate = Updateable<InvitationTable>;

/** A single-use password reset link (one hour); only the hash of its token is kept. */
export interface PasswordResetTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  used_at: IsoTime | null;
}

export type PasswordResetRow = Selectable<PasswordResetTable>;
export type NewPasswordReset = Insertable<PasswordResetTable>;
export type PasswordResetUpdate = Updateable<PasswordResetTable>;

/** A link from an account to a person at the single sign-on provider: issuer + `sub`, never the e-mail. */
export interface UserIdentityTable {
  id: string;
  user_id: string;
  issuer: string;
  subject: string;
  linked_at: IsoTime;
  last_sign_in_at: IsoTime;
}

export type UserIdentityRow = Selectable<UserIdentityTable>;
export type NewUserIdentity = Insertable<UserIdentityTable>;
