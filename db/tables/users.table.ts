// Accounts and signing in: users, their sessions and API tokens, and failed sign-ins.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locale: 'da' | 'en';
  created_at: IsoTime;
  disabled_at: IsoTime | null;
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
