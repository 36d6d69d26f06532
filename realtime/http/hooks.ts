// What the HTTP API tells the live transports when something changes, without importing them.
import type { InstanceEvents } from '../events.ts';

export interface LiveHooks extends InstanceEvents {
  /** A meeting's plan or live state changed: push `meeting:state` to everyone in it. */
  meetingChanged(meetingId: string): void;
  /** Progress of a long import, for the user who started it. */
  importProgress(userId: string, progress: { importId: string; done: number; total: number; phase: 'checking' | 'saving' }): void;
  /** Is the relay to other instances up? null when this instance runs alone (no REDIS_URL). */
  relayUp(): boolean | null;
}

export const noLiveHooks: LiveHooks = {
  documentsChanged: async () => {},
  credentialRevoked: () => {},
  membershipChanged: async () => {},
  resultsChanged: () => {},
  meetingChanged: () => {},
  freezeDocuments: async () => {},
  closeDocuments: async () => {},
  importProgress: () => {},
  relayUp: () => null,
};
