// Shared Yjs documents: a compacted snapshot per document and the updates appended since.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface YjsDocumentTable {
  name: string;
  snapshot: Uint8Array | null;
  /** Highest yjs_updates.id folded into the snapshot. */
  snapshot_seq: number;
  size_bytes: number;
  created_at: IsoTime;
  updated_at: IsoTime;
  cpr_flagged_at: IsoTime | null;
}

export type YjsDocumentRow = Selectable<YjsDocumentTable>;
export type NewYjsDocument = Insertable<YjsDocumentTable>;
export type YjsDocumentUpdate = Updateable<YjsDocumentTable>;

export interface YjsUpdateTable {
  id: Generated<number>;
  name: string;
  data: Uint8Array;
  created_at: IsoTime;
}

export type YjsUpdateRow = Selectable<YjsUpdateTable>;
export type NewYjsUpdate = Insertable<YjsUpdateTable>;
export type YjsUpdateUpdate = Updateable<YjsUpdateTable>;
