// The jobcenter's monthly record of whether a provider kept each commitment of its contract.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export type CommitmentStatus = 'met' | 'partly' | 'not_met';

export interface CommitmentRecordTable {
  id: string;
  network_id: string;
  provider_id: string;
  contract_id: string;
  commitment_id: string;
  month: string;
  status: CommitmentStatus;
  note: string;
  recorded_by: string;
  recorded_at: IsoTime;
  response: string | null;
  responded_by: string | null;
  responded_at: IsoTime | null;
}

export type CommitmentRecordRow = Selectable<CommitmentRecordTable>;
export type NewCommitmentRecord = Insertable<CommitmentRecordTable>;
export type CommitmentRecordUpdate = Updateable<CommitmentRecordTable>;
