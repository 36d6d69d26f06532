// Names of the Yjs documents a meeting has, and who may read or write each one (asks domain/access).
import type { Kysely } from 'kysely';
import { can } from '../../domain/access.ts';
import type { Database } from '../../db/schema.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import type { Identity } from '../auth/identity.ts';

export type DocumentRef =
  | { kind: 'minutes'; meetingId: string }
  | { kind: 'methodNote'; meetingId: string; providerId: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const MINUTES = new RegExp(`^meeting:(${ID}):minutes$`);
const NOTE = new RegExp(`^meeting:(${ID}):note:(${ID})$`);

export const minutesDocName = (meetingId: string) => `meeting:${meetingId}:minutes`;
export const methodNoteDocName = (meetingId: string, providerId: string) => `meeting:${meetingId}:note:${providerId}`;

export function parseDocumentName(name: string): DocumentRef | null {
  let m = MINUTES.exec(name);
  if (m) return { kind: 'minutes', meetingId: m[1] };
  m = NOTE.exec(name);
  if (m) return { kind: 'methodNote', meetingId: m[1], providerId: m[2] };
  return null;
}

export type DocumentAccess = 'write' | 'read' | 'none' | 'unknown';

/** Decides what an identity may do with a document; 'unknown' when no such document exists. */
export async function documentAccess(db: Kysely<Database>, identity: Identity, name: string): Promise<DocumentAccess> {
  const ref = parseDocumentName(name);
  if (!ref) return 'unknown';
  const meeting = await findMeeting(db, ref.meetingId);
  if (!meeting) return 'unknown';
  const networkId = meeting.network_id;
  const archived = meeting.status === 'closed';
  if (ref.kind === 'minutes') {
    if (can(identity.actor, { action: 'minutes.write', networkId, archived })) return 'write';
    return can(identity.actor, { action: 'minutes.read', networkId }) ? 'read' : 'none';
  }
  const isProvider = await db
    .selectFrom('network_providers')
    .select('organisation_id')
    .where('network_id', '=', networkId)
    .where('organisation_id', '=', ref.providerId)
    .executeTakeFirst();
  if (!isProvider) return 'unknown';
  if (can(identity.actor, { action: 'methodNote.write', networkId, providerId: ref.providerId, archived })) return 'write';
  // Publishing and holding arrive with the method-notes issue; until then every note is a draft.
  const readable = can(identity.actor, {
    action: 'methodNote.read',
    networkId,
    providerId: ref.providerId,
    published: archived,
    heldUntilMeeting: false,
    meetingOpen: meeting.status !== 'planned',
  });
  return readable ? 'read' : 'none';
}
