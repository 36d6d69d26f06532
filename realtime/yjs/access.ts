// Yjs stage 2, access: who may open which document for reading or writing, decided at the upgrade
// and decided again for every open connection when rights change (publish, hold, close, revoke, purge).
import type { Kysely } from 'kysely';
import { can, type Actor, type MeetingFacts } from '../../domain/access.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import type { Database } from '../../db/database.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import { noteState } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { YjsCloseCode } from '../wire/yjs.ts';
import { parseDocumentName } from './documents.ts';

export type DocumentAccess = 'write' | 'read' | 'none';

/** A meeting is open for the network once the host has started it (or it is over). */
export const meetingOpen = (meeting: MeetingRow) => meeting.status === 'live' || meeting.status === 'closed';
export const meetingArchived = (meeting: MeetingRow) => meeting.status === 'closed';
/** The facts about a meeting that decide who may read it (a provider that has left reads only its own time's archive). */
export const meetingFacts = (meeting: Pick<MeetingRow, 'status' | 'starts_at'>): MeetingFacts => ({
  archived: meeting.status === 'closed',
  month: copenhagenMonth(new Date(meeting.starts_at)),
});

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
    meeting: meetingFacts(meeting),
  });
  return readable ? 'read' : 'none';
}

export function minutesAccess(actor: Actor, meeting: MeetingRow): DocumentAccess {
  const networkId = meeting.network_id;
  if (can(actor, { action: 'minutes.write', networkId, archived: meetingArchived(meeting) })) return 'write';
  return can(actor, { action: 'minutes.read', networkId, meeting: meetingFacts(meeting) }) ? 'read' : 'none';
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

/** Whether an actor may open a document, and for what; or the HTTP answer refusing the upgrade. */
export async function accessAtUpgrade(
  db: Kysely<Database>,
  actor: Actor,
  name: string,
): Promise<{ access: 'read' | 'write' } | { refused: { status: number; message: string } }> {
  const access = await documentAccess(db, actor, name);
  if (access === null) return { refused: { status: 404, message: 'No such document' } };
  if (access === 'none') return { refused: { status: 403, message: 'Not allowed to read this document' } };
  return { access };
}

/** What a change of rights needs to know about an open connection (not the whole user row). */
export interface OpenConnection {
  actor: Actor;
  credentialId: string;
  access: DocumentAccess;
  close(code: number, reason: string): void;
}

/**
 * A connection being opened: from before its identity is read until it is counted as open. A change
 * of rights meanwhile (its person, credential or document; or anyone's while it is not identified
 * yet) makes it stale: it was decided on the old rights, so it is closed as soon as it opens.
 */
export interface OpeningConnection {
  readonly name: string;
  userId: string | null;
  credentialId: string | null;
  stale: boolean;
}

/** The open connections of each document with the rights they were granted, so a change of rights takes effect at once. */
export class OpenConnections {
  readonly #byDocument = new Map<string, Set<OpenConnection>>();
  readonly #opening = new Set<OpeningConnection>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Counts a connection as opening until `done` is called (once it is added, or refused). */
  opening(name: string): OpeningConnection & { done(): void } {
    const opening = { name, userId: null, credentialId: null, stale: false, done: () => void this.#opening.delete(opening) };
    this.#opening.add(opening);
    return opening;
  }

  #markOpening(affected: (opening: OpeningConnection) => boolean): void {
    for (const opening of this.#opening) if (affected(opening)) opening.stale = true;
  }

  /** Counts a connection as open until the returned function is called (when its socket closes). */
  add(name: string, entry: OpenConnection): () => void {
    let set = this.#byDocument.get(name);
    if (!set) this.#byDocument.set(name, (set = new Set()));
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#byDocument.get(name) === set) this.#byDocument.delete(name);
    };
  }

  /** Re-decides access for every open connection to these documents; closes those whose rights changed. */
  async recheck(names: string[]): Promise<void> {
    this.#markOpening((o) => names.includes(o.name));
    for (const name of names) {
      for (const entry of [...(this.#byDocument.get(name) ?? [])]) {
        const now = await documentAccess(this.db, entry.actor, name);
        if (now === entry.access) continue;
        // Reconnecting clients get their new rights (e.g. read-only once the meeting is archived).
        entry.close(now === 'none' || now === null ? YjsCloseCode.forbidden : YjsCloseCode.rightsChanged, 'your access to this document changed');
      }
    }
  }

  /** Re-decides access for every open connection of this person under their new rights; closes those whose rights changed. */
  async recheckUser(actor: Actor): Promise<void> {
    this.#markOpening((o) => o.userId === null || o.userId === actor.userId);
    for (const [name, set] of this.#byDocument) {
      for (const entry of [...set]) {
        if (entry.actor.userId !== actor.userId) continue;
        entry.actor = actor;
        const now = await documentAccess(this.db, actor, name);
        if (now === entry.access) continue;
        // Read-only where the new rights still read: the client reconnects and gets it; otherwise it is told.
        entry.close(now === 'none' || now === null ? YjsCloseCode.forbidden : YjsCloseCode.rightsChanged, 'your access to this document changed');
      }
    }
  }

  /** The credentials the open connections were opened with. */
  *credentialIds(): Iterable<string> {
    for (const set of this.#byDocument.values()) for (const entry of set) yield entry.credentialId;
  }

  /** Closes every connection opened with this credential (session or token revoked). */
  closeCredential(credentialId: string): void {
    this.#markOpening((o) => o.credentialId === null || o.credentialId === credentialId);
    for (const set of this.#byDocument.values()) {
      for (const entry of [...set]) if (entry.credentialId === credentialId) entry.close(YjsCloseCode.sessionRevoked, 'signed out');
    }
  }

  /** Closes every connection to these documents with rightsChanged, so clients reconnect and load the stored state (purge). */
  closeDocuments(names: string[]): void {
    this.#markOpening((o) => names.includes(o.name));
    for (const name of names) {
      for (const entry of [...(this.#byDocument.get(name) ?? [])]) entry.close(YjsCloseCode.rightsChanged, 'the document was purged; reload it');
    }
  }
}
