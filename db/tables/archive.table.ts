// The archive of closed meetings: frozen snapshots, their documents, later addenda and the search index.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface MeetingSnapshotTable {
  meeting_id: string;
  closed_at: IsoTime;
  closed_by: string;
  content: string;
}

export type MeetingSnapshotRow = Selectable<MeetingSnapshotTable>;
export type NewMeetingSnapshot = Insertable<MeetingSnapshotTable>;
export type MeetingSnapshotUpdate = Updateable<MeetingSnapshotTable>;

export interface SnapshotDocumentTable {
  meeting_id: string;
  name: string;
  provider_id: string | null;
  state: Uint8Array;
  text: string;
}

export type SnapshotDocumentRow = Selectable<SnapshotDocumentTable>;
export type NewSnapshotDocument = Insertable<SnapshotDocumentTable>;
export type SnapshotDocumentUpdate = Updateable<SnapshotDocumentTable>;

export interface MeetingAddendumTable {
  id: string;
  meeting_id: string;
  text: string;
  created_by: string;
  created_at: IsoTime;
}

export type MeetingAddendumRow = Selectable<MeetingAddendumTable>;
export type NewMeetingAddendum = Insertable<MeetingAddendumTable>;
export type MeetingAddendumUpdate = Updateable<MeetingAddendumTable>;

export interface ArchiveEntryTable {
  id: string;
  network_id: string;
  meeting_id: string;
  kind: 'methodNote' | 'minutes' | 'decision' | 'action' | 'addendum';
  provider_id: string | null;
  published: number;
  title: string;
  body: string;
}

export type ArchiveEntryRow = Selectable<ArchiveEntryTable>;
export type NewArchiveEntry = Insertable<ArchiveEntryTable>;
export type ArchiveEntryUpdate = Updateable<ArchiveEntryTable>;
