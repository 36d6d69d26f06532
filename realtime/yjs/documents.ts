// Names of the Yjs documents a meeting has, and who may read or write each one (asks domain/access).
import type { Kysely } from 'kysely';
import { can, type Actor } from '../../domain/access.ts';
import type { Database } from '../../db/database.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import { noteState } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';

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

export type DocumentAccess = 'write' | 'read' | 'none';

/** A meeting is open for the network once the host has started it (or it is over). */
export const meetingOpen = (meeting: MeetingRow) => meeting.status === 'live' || meeting.status === 'closed';
export const meetingArchived = (meeting: MeetingRow) => meeting.status === 'closed';

/** The rule for one method note, given the facts; shared by the Yjs endpoint and the meetings API. */
export function methodNoteAccess(actor: Actor, meeting: MeetingRow, providerId: string, publishedAt: string | null): DocumentAccess {
  const networkId = meeting.network_id;
  if (can(actor, { action: 'methodNote.write', networkId, providerId, archived: meetingArchived(meeting) })) return 'write';
  const readable = can(actor, {
    action: 'methodNote.read',
    networkId,
    providerId,
    published: publishedAt !== null,
    heldUntilMeeting: meeting.notes_held === 1,
    meetingOpen: meetingOpen(meeting),
  });
  return readable ? 'read' : 'none';
}

export function minutesAccess(actor: Actor, meeting: MeetingRow): DocumentAccess {
  const networkId = meeting.network_id;
  if (can(actor, { action: 'minutes.write', networkId, archived: meetingArchived(meeting) })) return 'write';
  return can(actor, { action: 'minutes.read', networkId }) ? 'read' : 'none';
}

/** Decides what an actor may do with a document; null when no such document exists. */
export async function documentAccess(db: Kysely<Database>, actor: Actor, name: string): Promise<DocumentAccess | null> {
  const ref = parseDocumentName(name);
  if (!ref) return null;
  const meeting = await findMeeting(db, ref.meetingId);
  if (!meeting || meeting.status === 'cancelled') return null;
  if (ref.kind === 'minutes') return minutesAccess(actor, meeting);
  const providers = await providersOfNetwork(db, meeting.network_id);
  if (!providers.some((p) => p.id === ref.providerId)) return null;
  const state = await noteState(db, ref.meetingId, ref.providerId);
  return methodNoteAccess(actor, meeting, ref.providerId, state?.publishedAt ?? null);
}
