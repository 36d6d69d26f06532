// socket.io on the wire: acknowledgements and the typed event maps of client, server and instances.
import type { z } from '@hono/zod-openapi';
import type { ErrorBody } from './errors.ts';
import type { Leaderboard, LeaderboardSubscribe } from './leaderboard.ts';
import type { MeetingJoin, MeetingState } from './meetings.ts';
import type { PresenceEntry, PresenceJoin } from './presence.ts';

export interface AckOk<T> {
  ok: true;
  data: T;
}
export interface AckError {
  ok: false;
  error: ErrorBody['error'];
}
export type Ack<T> = AckOk<T> | AckError;

export interface ImportProgress {
  importId: string;
  done: number;
  total: number;
  phase: 'checking' | 'saving';
}

export interface ServerToClientEvents {
  'presence:updated': (payload: { networkId: string; present: PresenceEntry[] }) => void;
  'import:progress': (payload: ImportProgress) => void;
  'leaderboard:updated': (board: Leaderboard) => void;
  'meeting:state': (state: MeetingState) => void;
}

export interface ClientToServerEvents {
  'presence:join': (payload: z.input<typeof PresenceJoin>, ack: (result: Ack<{ present: PresenceEntry[] }>) => void) => void;
  'presence:leave': (payload: z.input<typeof PresenceJoin>, ack?: (result: Ack<null>) => void) => void;
  'leaderboard:subscribe': (payload: z.input<typeof LeaderboardSubscribe>, ack: (result: Ack<Leaderboard>) => void) => void;
  'leaderboard:unsubscribe': (payload: { networkId: string }, ack?: (result: Ack<null>) => void) => void;
  'meeting:join': (payload: z.input<typeof MeetingJoin>, ack: (result: Ack<MeetingState>) => void) => void;
  'meeting:leave': (payload: z.input<typeof MeetingJoin>, ack?: (result: Ack<null>) => void) => void;
}

/** Between server instances (socket.io's serverSideEmit over the Redis adapter): rights changed elsewhere. */
export interface InterServerEvents {
  /** Recheck open Yjs connections to these documents (publish, hold, archive). */
  'documents:changed': (names: string[]) => void;
  /** Close Yjs connections of these documents' writers and store what they sent, then answer (archiving). */
  'documents:freeze': (names: string[], done: (ok: boolean) => void) => void;
  /** Close every Yjs connection of these documents and store what they sent, then answer (purge). */
  'documents:close': (names: string[], done: (ok: boolean) => void) => void;
  /** Close every connection opened with this session or token. */
  'credential:revoked': (credentialId: string) => void;
  /** A network's results changed: push fresh boards to this instance's subscribers. */
  'results:changed': (networkId: string) => void;
  /** A person's memberships changed (role, deactivation, removal): recheck their open connections. */
  'membership:changed': (userId: string) => void;
}
