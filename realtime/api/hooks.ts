// What the HTTP API tells the live transports when rights change, without importing them.
import type { MonthlyReportRow } from '../../db/tables/results.table.ts';

export interface LiveHooks {
  /** Access to these Yjs documents may have changed (publish, hold, archive). */
  documentsChanged(names: string[]): Promise<void>;
  /** A session or token was revoked: close its open connections. */
  credentialRevoked(credentialId: string): void;
  /**
   * Reports or course records of a network changed: push new leaderboards. `saved`: the one report
   * version just stored, when that is the whole change (the boards can then be updated in place).
   */
  resultsChanged(networkId: string, saved?: MonthlyReportRow): void;
  /** A meeting's plan or live state changed: push `meeting:state` to everyone in it. */
  meetingChanged(meetingId: string): void;
  /** Close writers of these documents and wait until all they sent is stored (archiving). */
  freezeDocuments(names: string[]): Promise<void>;
  /** Close every connection to these documents (clients reconnect and reload) and wait until all they sent is stored (purge). */
  closeDocuments(names: string[]): Promise<void>;
  /** Progress of a long import, for the user who started it. */
  importProgress(userId: string, progress: { importId: string; done: number; total: number; phase: 'checking' | 'saving' }): void;
  /** Is the relay to other instances up? null when this instance runs alone (no REDIS_URL). */
  relayUp(): boolean | null;
}

export const noLiveHooks: LiveHooks = {
  documentsChanged: async () => {},
  credentialRevoked: () => {},
  resultsChanged: () => {},
  meetingChanged: () => {},
  freezeDocuments: async () => {},
  closeDocuments: async () => {},
  importProgress: () => {},
  relayUp: () => null,
};
