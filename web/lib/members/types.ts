// What the members page's forms answer, shared by its server actions and its components.

/** Why a form did not work, as a catalogue key under members.errors. */
export type MembersProblem = 'forbidden' | 'lastHost' | 'conflict' | 'emailInvalid' | 'providerRequired' | 'notFound' | 'generic';

/** What the page shows after a form: the link to pass on, a done message, or the problem. */
export type MembersResult =
  | { ok: true; done: 'invited' | 'resent'; email: string; mailStatus: 'sent' | 'failed' | 'not_configured'; link: string | null }
  | { ok: true; done: 'updated' | 'deactivated' | 'reactivated' | 'removed' | 'revoked'; name: string }
  | { ok: false; form: 'invite' | 'member' | 'invitation'; subjectId: string | null; problem: MembersProblem; fields: Array<'email' | 'providerId'>; values: InviteValues | null };

export interface InviteValues {
  email: string;
  role: string;
  providerId: string;
  providerAdmin: boolean;
}
