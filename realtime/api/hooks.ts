// What the HTTP API tells the live transports when rights change, without importing them.
export interface LiveHooks {
  /** Access to these Yjs documents may have changed (publish, hold, archive). */
  documentsChanged(names: string[]): Promise<void>;
  /** A session or token was revoked: close its open connections. */
  credentialRevoked(credentialId: string): void;
}

export const noLiveHooks: LiveHooks = {
  documentsChanged: async () => {},
  credentialRevoked: () => {},
};
