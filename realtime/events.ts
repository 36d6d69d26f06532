// The changes every instance must act on, and how one change reaches all of them: here first, then the others.
import type { MonthlyReportRow } from '../db/tables/results.table.ts';

/** What one instance does when rights or results change; the same handlers serve local and relayed changes. */
export interface InstanceEvents {
  /** Access to these Yjs documents may have changed (publish, hold, archive): recheck open connections. */
  documentsChanged(names: string[]): Promise<void>;
  /** Close writers of these documents and wait until all they sent is stored (archiving). */
  freezeDocuments(names: string[]): Promise<void>;
  /** Close every connection to these documents (clients reconnect and reload) and wait until all they sent is stored (purge). */
  closeDocuments(names: string[]): Promise<void>;
  /** A session or token was revoked: close its open connections. */
  credentialRevoked(credentialId: string): void;
  /** A person's memberships changed: close or downgrade their open connections whose rights shrank. */
  membershipChanged(userId: string): Promise<void>;
  /**
   * Reports or course records of a network changed: push new leaderboards. `saved`: the one report
   * version just stored, when that is the whole change (the boards can then be updated in place).
   */
  resultsChanged(networkId: string, saved?: MonthlyReportRow): void;
}

/** The other instances, as far as a change is concerned (cluster/cluster.ts; absent when alone). */
export interface OtherInstances {
  documentsChanged(names: string[]): void;
  credentialRevoked(credentialId: string): void;
  membershipChanged(userId: string): void;
  resultsChanged(networkId: string): void;
  /** Resolves when every other instance has answered (bounded). */
  freezeDocuments(names: string[]): Promise<void>;
  closeDocuments(names: string[]): Promise<void>;
}

/** Each change acts on this instance, then is told to the others; waits where the others must answer. */
export function everywhere(here: InstanceEvents, others: OtherInstances | null): InstanceEvents {
  return {
    documentsChanged: async (names) => {
      await here.documentsChanged(names);
      others?.documentsChanged(names);
    },
    freezeDocuments: async (names) => {
      await here.freezeDocuments(names);
      await others?.freezeDocuments(names);
    },
    closeDocuments: async (names) => {
      await here.closeDocuments(names);
      await others?.closeDocuments(names);
    },
    credentialRevoked: (id) => {
      here.credentialRevoked(id);
      others?.credentialRevoked(id);
    },
    membershipChanged: async (userId) => {
      await here.membershipChanged(userId);
      others?.membershipChanged(userId);
    },
    resultsChanged: (networkId, saved) => {
      here.resultsChanged(networkId, saved);
      others?.resultsChanged(networkId);
    },
  };
}
