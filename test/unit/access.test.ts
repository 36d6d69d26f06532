// The access module decides every read and write; these are its rules, cell by cell.
import { describe, expect, it } from 'vitest';
import { can, capabilitiesIn, type Actor } from '../../domain/access.ts';

const N = 'net-1';
const host: Actor = { userId: 'h', memberships: [{ networkId: N, role: 'host', organisationId: 'jc' }] };
const providerA: Actor = { userId: 'a', memberships: [{ networkId: N, role: 'provider', organisationId: 'A' }] };
const providerB: Actor = { userId: 'b', memberships: [{ networkId: N, role: 'provider', organisationId: 'B' }] };
const viewer: Actor = { userId: 'v', memberships: [{ networkId: N, role: 'viewer', organisationId: null }] };
const otherHost: Actor = { userId: 'x', memberships: [{ networkId: 'net-2', role: 'host', organisationId: 'jc2' }] };

describe('access rules', () => {
  it('only members read a network', () => {
    for (const a of [host, providerA, providerB, viewer]) expect(can(a, { action: 'network.read', networkId: N })).toBe(true);
    expect(can(otherHost, { action: 'network.read', networkId: N })).toBe(false);
    expect(can(null, { action: 'network.read', networkId: N })).toBe(false);
  });

  it('only the host manages the network and runs meetings', () => {
    expect(can(host, { action: 'network.manage', networkId: N })).toBe(true);
    expect(can(host, { action: 'meeting.run', networkId: N })).toBe(true);
    for (const a of [providerA, viewer, otherHost]) {
      expect(can(a, { action: 'network.manage', networkId: N })).toBe(false);
      expect(can(a, { action: 'meeting.run', networkId: N })).toBe(false);
    }
  });

  it("a provider writes its own reports, never another provider's; viewers never write", () => {
    const write = (a: Actor, providerId: string) => can(a, { action: 'report.write', networkId: N, providerId });
    expect(write(providerA, 'A')).toBe(true);
    expect(write(providerA, 'B')).toBe(false);
    expect(write(providerB, 'A')).toBe(false);
    expect(write(host, 'A')).toBe(true);
    expect(write(viewer, 'A')).toBe(false);
    expect(write(otherHost, 'A')).toBe(false);
  });

  it('sealed figures are seen only by the host and their own provider', () => {
    const read = (a: Actor, sealed: boolean) => can(a, { action: 'report.read', networkId: N, providerId: 'A', sealed });
    expect(read(host, true)).toBe(true);
    expect(read(providerA, true)).toBe(true);
    expect(read(providerB, true)).toBe(false);
    expect(read(viewer, true)).toBe(false);
    expect(read(providerB, false)).toBe(true);
    expect(read(viewer, false)).toBe(true);
  });

  it('a draft method note is read by its own provider and the host only; held notes wait for the meeting', () => {
    const read = (a: Actor, published: boolean, heldUntilMeeting = false, meetingOpen = false) =>
      can(a, { action: 'methodNote.read', networkId: N, providerId: 'A', published, heldUntilMeeting, meetingOpen, meeting: { archived: false, month: '2026-05' } });
    expect(read(providerA, false)).toBe(true);
    expect(read(host, false)).toBe(true);
    expect(read(providerB, false)).toBe(false);
    expect(read(viewer, false)).toBe(false);
    expect(read(providerB, true)).toBe(true);
    expect(read(viewer, true, true, false)).toBe(false);
    expect(read(viewer, true, true, true)).toBe(true);
  });

  it('archived documents are never writable, not even by their owners', () => {
    expect(can(providerA, { action: 'methodNote.write', networkId: N, providerId: 'A', archived: false })).toBe(true);
    expect(can(providerA, { action: 'methodNote.write', networkId: N, providerId: 'A', archived: true })).toBe(false);
    expect(can(host, { action: 'methodNote.write', networkId: N, providerId: 'A', archived: false })).toBe(false);
    expect(can(host, { action: 'minutes.write', networkId: N, archived: false })).toBe(true);
    expect(can(host, { action: 'minutes.write', networkId: N, archived: true })).toBe(false);
    expect(can(viewer, { action: 'minutes.write', networkId: N, archived: false })).toBe(false);
  });

  it('capabilities describe the role for the UI', () => {
    expect(capabilitiesIn(host, N)).toMatchObject({ role: 'host', runMeetings: true, writeAnyReport: true });
    expect(capabilitiesIn(providerA, N)).toMatchObject({ role: 'provider', ownProviderId: 'A', writeOwnReports: true, runMeetings: false });
    expect(capabilitiesIn(viewer, N)).toMatchObject({ role: 'viewer', writeOwnReports: false, readArchive: true });
    expect(capabilitiesIn(otherHost, N)).toMatchObject({ role: null, readArchive: false });
  });

  describe('a provider that has left', () => {
    // Provider A took part through June 2026 and has left.
    const leftA: Actor = { userId: 'l', memberships: [{ networkId: N, role: 'provider', organisationId: 'A', providerLeft: true, providerLastMonth: '2026-06' }] };
    const meeting = (archived: boolean, month: string) => ({ archived, month });

    it('keeps the archive of meetings held up to its last month and loses later and unarchived ones', () => {
      expect(can(leftA, { action: 'meeting.read', networkId: N, meeting: meeting(true, '2026-06') })).toBe(true);
      expect(can(leftA, { action: 'minutes.read', networkId: N, meeting: meeting(true, '2026-02') })).toBe(true);
      expect(can(leftA, { action: 'meeting.read', networkId: N, meeting: meeting(true, '2026-07') })).toBe(false);
      expect(can(leftA, { action: 'meeting.read', networkId: N, meeting: meeting(false, '2026-06') })).toBe(false);
      expect(can(leftA, { action: 'minutes.read', networkId: N, meeting: meeting(false, '2026-09') })).toBe(false);
      // Everyone else still reads every meeting.
      for (const a of [host, providerA, providerB, viewer]) expect(can(a, { action: 'meeting.read', networkId: N, meeting: meeting(false, '2026-09') })).toBe(true);
    });

    it('loses the live boards; the others keep them', () => {
      expect(can(leftA, { action: 'leaderboard.read', networkId: N })).toBe(false);
      for (const a of [host, providerA, viewer]) expect(can(a, { action: 'leaderboard.read', networkId: N })).toBe(true);
      expect(can(otherHost, { action: 'leaderboard.read', networkId: N })).toBe(false);
    });

    it("reads its own method notes of the meetings it still reads, never another provider's", () => {
      const note = (providerId: string, archived: boolean, month: string) =>
        can(leftA, { action: 'methodNote.read', networkId: N, providerId, published: true, heldUntilMeeting: false, meetingOpen: true, meeting: meeting(archived, month) });
      expect(note('A', true, '2026-05')).toBe(true);
      expect(note('B', true, '2026-05')).toBe(false);
      expect(note('A', true, '2026-08')).toBe(false);
      expect(can(leftA, { action: 'methodNote.write', networkId: N, providerId: 'A', archived: false })).toBe(false);
    });

    it('keeps its own reports, contract, settlements and supervision, and no one else’s', () => {
      expect(can(leftA, { action: 'report.read', networkId: N, providerId: 'A', sealed: false })).toBe(true);
      expect(can(leftA, { action: 'report.read', networkId: N, providerId: 'B', sealed: false })).toBe(false);
      expect(can(leftA, { action: 'report.write', networkId: N, providerId: 'A' })).toBe(true);
      for (const action of ['contract.read', 'settlement.read', 'supervision.read', 'commitment.read'] as const) {
        expect(can(leftA, { action, networkId: N, providerId: 'A' })).toBe(true);
        expect(can(leftA, { action, networkId: N, providerId: 'B' })).toBe(false);
      }
    });

    it('its provider administrator adds no one, but may still deactivate its own members', () => {
      const admin: Actor = { userId: 'la', memberships: [{ ...leftA.memberships[0], providerAdmin: true }] };
      expect(can(admin, { action: 'membership.grant', networkId: N, role: 'provider', providerId: 'A', providerAdmin: false })).toBe(false);
      expect(can(admin, { action: 'membership.revoke', networkId: N, role: 'provider', providerId: 'A' })).toBe(true);
    });

    it('capabilities tell the UI what was lost', () => {
      expect(capabilitiesIn(leftA, N)).toMatchObject({ providerLeft: true, providerLastMonth: '2026-06', readLiveBoards: false, writeOwnMethodNote: false, readArchive: true });
      expect(capabilitiesIn(providerA, N)).toMatchObject({ providerLeft: false, providerLastMonth: null, readLiveBoards: true });
    });
  });
});
