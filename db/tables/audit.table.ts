// The audit log: who changed what, with the state before and after; rows are only ever added.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface AuditEntryTable {
  id: string;
  network_id: string | null;
  actor_user_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  /** JSON text of the state before and after; null where there is none. */
  before_json: string | null;
  after_json: string | null;
  at: IsoTime;
}

export type AuditEntryRow = Selectable<AuditEntryTable>;
export type NewAuditEntry = Insertable<AuditEntryTable>;
export type AuditEntryUpdate = Updateable<AuditEntryTable>;
