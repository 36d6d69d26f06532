// The Yjs endpoint's message types and close codes; no dependencies, so the browser imports the values.

/** y-websocket message types; 0 and 1 are the standard ones, the rest are ours (stock clients ignore them). */
export const YjsMessage = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Ours: the server committed the sender's updates up to this count. */
  ack: 100,
} as const;

/**
 * WebSocket close codes for the Yjs endpoint. Stock y-websocket clients (v3) never reconnect after
 * 4400–4499, so those mean "do not retry"; 4300–4399 mean "reconnect, things changed".
 */
export const YjsCloseCode = {
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  messageTooLarge: 4413,
  documentTooLarge: 4414,
  rateLimited: 4429,
  malformed: 4400,
  sessionRevoked: 4410,
  /** Rights changed (published, held, archived): reconnect to get the new ones. */
  rightsChanged: 4301,
  shuttingDown: 1001,
  /** The database did not take an update (standard "try again later"): reconnect, and sync sends it again. */
  storeUnavailable: 1013,
} as const;
