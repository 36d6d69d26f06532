// The one place that decides who may read or write what. Every route, socket.io event and Yjs
// document asks here; nothing else compares roles.

export type Role = 'host' | 'provider' | 'viewer';

export interface NetworkMembership {
  networkId: string;
  role: Role;
  /** The provider a 'provider' member belongs to; the jobcenter for a host; null for viewers. */
  organisationId: string | null;
  /** A provider member who may invite and deactivate members of their own provider. */
  providerAdmin?: boolean;
  /** The member's provider has left the network (its last month is past): archive and own data only. */
  providerLeft?: boolean;
  /** The last month (YYYY-MM) of the member's provider's current period; null or absent while it takes part. */
  providerLastMonth?: string | null;
}

/** What a meeting-bound decision needs to know about the meeting. */
export interface MeetingFacts {
  /** Closed by the host: in the archive, read-only. */
  archived: boolean;
  /** The Copenhagen month (YYYY-MM) the meeting starts in. */
  month: string;
}

export interface Actor {
  userId: string;
  memberships: readonly NetworkMembership[];
}

/** Everything the workspace guards, with the facts the decision needs. */
export type Permission =
  | { action: 'network.read'; networkId: string }
  | { action: 'network.manage'; networkId: string }
  | { action: 'meeting.run'; networkId: string }
  /** A meeting's page, agenda, preparation and live run, or its archive once closed. */
  | { action: 'meeting.read'; networkId: string; meeting: MeetingFacts }
  /** The live leaderboards and survival curves (archived meetings carry their own board). */
  | { action: 'leaderboard.read'; networkId: string }
  | { action: 'report.read'; networkId: string; providerId: string; sealed: boolean }
  | { action: 'report.write'; networkId: string; providerId: string }
  | {
      action: 'methodNote.read';
      networkId: string;
      providerId: string;
      published: boolean;
      /** The host holds published notes back until the meeting opens. */
      heldUntilMeeting: boolean;
      meetingOpen: boolean;
      meeting: MeetingFacts;
    }
  | { action: 'methodNote.write'; networkId: string; providerId: string; archived: boolean }
  | { action: 'minutes.read'; networkId: string; meeting: MeetingFacts }
  | { action: 'minutes.write'; networkId: string; archived: boolean }
  /** A provider's contract, settlements, commitment records and supervision visits. */
  | { action: 'contract.read' | 'settlement.read' | 'commitment.read' | 'supervision.read'; networkId: string; providerId: string }
  /** The provider's own answer to a commitment record or a supervision visit. */
  | { action: 'commitment.respond' | 'supervision.respond'; networkId: string; providerId: string }
  | { action: 'contract.write' | 'settlement.approve' | 'commitment.record' | 'supervision.write' | 'audit.read'; networkId: string }
  /** Inviting someone into this network, or changing a membership, to this role and provider. */
  | { action: 'membership.grant'; networkId: string; role: Role; providerId: string | null; providerAdmin: boolean }
  /** Deactivating, reactivating or removing an existing membership with this role and provider. */
  | { action: 'membership.revoke'; networkId: string; role: Role; providerId: string | null };

export function membershipIn(actor: Actor | null, networkId: string): NetworkMembership | null {
  return actor?.memberships.find((m) => m.networkId === networkId) ?? null;
}

function isOwnProvider(m: NetworkMembership, providerId: string | null): boolean {
  return m.role === 'provider' && m.organisationId === providerId;
}

/**
 * A member whose provider has left keeps the archive of the meetings held while it took part (those
 * starting in a month up to its last month) and loses the rest; everyone else reads every meeting.
 */
function readsMeeting(m: NetworkMembership, meeting: MeetingFacts): boolean {
  if (!m.providerLeft) return true;
  return meeting.archived && typeof m.providerLastMonth === 'string' && meeting.month <= m.providerLastMonth;
}

/** A provider administrator acts on plain members of their own provider, never above that. */
function administersOwnProvider(m: NetworkMembership, role: Role, providerId: string | null): boolean {
  return m.providerAdmin === true && role === 'provider' && isOwnProvider(m, providerId);
}

export function can(actor: Actor | null, permission: Permission): boolean {
  const m = membershipIn(actor, permission.networkId);
  if (!m) return false;
  switch (permission.action) {
    case 'network.read':
      return true;
    case 'meeting.read':
    case 'minutes.read':
      return readsMeeting(m, permission.meeting);
    case 'leaderboard.read':
      // A provider that has left drops out of the live boards, as viewer of them too.
      return !m.providerLeft;
    case 'network.manage':
    case 'meeting.run':
      return m.role === 'host';
    case 'report.read':
      // Sealed figures are visible to the host and to the provider they belong to, no one else.
      if (m.providerLeft) return isOwnProvider(m, permission.providerId);
      return m.role === 'host' || isOwnProvider(m, permission.providerId) || !permission.sealed;
    case 'report.write':
      return m.role === 'host' || isOwnProvider(m, permission.providerId);
    case 'methodNote.read':
      // Staff of a provider that has left read their own notes of the meetings they still read, no one else's.
      if (m.providerLeft) return isOwnProvider(m, permission.providerId) && readsMeeting(m, permission.meeting);
      if (m.role === 'host' || isOwnProvider(m, permission.providerId)) return true;
      if (!permission.published) return false;
      return !permission.heldUntilMeeting || permission.meetingOpen;
    case 'methodNote.write':
      return !permission.archived && !m.providerLeft && isOwnProvider(m, permission.providerId);
    case 'minutes.write':
      return !permission.archived && m.role === 'host';
    case 'contract.read':
    case 'settlement.read':
    case 'commitment.read':
    case 'supervision.read':
      // Providers compete: each sees its own contract, money and supervision, never another's.
      return m.role === 'host' || isOwnProvider(m, permission.providerId);
    case 'commitment.respond':
    case 'supervision.respond':
      return isOwnProvider(m, permission.providerId);
    case 'contract.write':
    case 'settlement.approve':
    case 'commitment.record':
    case 'supervision.write':
    case 'audit.read':
      return m.role === 'host';
    case 'membership.grant':
      // A provider that has left gets no new members here (its administrator may still deactivate its own).
      return m.role === 'host' || (!permission.providerAdmin && !m.providerLeft && administersOwnProvider(m, permission.role, permission.providerId));
    case 'membership.revoke':
      return m.role === 'host' || administersOwnProvider(m, permission.role, permission.providerId);
  }
}

/** What the user may do in a network, for the UI to show (the server still checks each action). */
export function capabilitiesIn(actor: Actor | null, networkId: string) {
  const m = membershipIn(actor, networkId);
  return {
    role: m?.role ?? null,
    ownProviderId: m?.role === 'provider' ? m.organisationId : null,
    manageNetwork: m?.role === 'host',
    runMeetings: m?.role === 'host',
    writeOwnReports: m?.role === 'provider',
    writeAnyReport: m?.role === 'host',
    writeOwnMethodNote: m?.role === 'provider' && m.providerLeft !== true,
    writeMinutes: m?.role === 'host',
    readArchive: m !== null,
    manageContracts: m?.role === 'host',
    readOwnContract: m?.role === 'provider',
    superviseProviders: m?.role === 'host',
    readOwnSupervision: m?.role === 'provider',
    readAuditLog: m?.role === 'host',
    manageMembers: m?.role === 'host' || (m?.role === 'provider' && m.providerAdmin === true),
    manageProviders: m?.role === 'host',
    providerLeft: m?.providerLeft === true,
    /** The last month the member's provider took part in, when it has left (for the notice). */
    providerLastMonth: m?.providerLeft === true ? (m.providerLastMonth ?? null) : null,
    /** Live boards, preparation and meetings after the provider's last month. */
    readLiveBoards: m !== null && m.providerLeft !== true,
  };
}
