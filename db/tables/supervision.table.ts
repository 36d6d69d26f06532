// Supervision visits at a provider and the follow-up actions agreed at them.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export type SupervisionKind = 'announced' | 'unannounced' | 'startup';

export interface SupervisionVisitTable {
  id: string;
  network_id: string;
  provider_id: string;
  visit_date: string;
  kind: SupervisionKind;
  findings: string;
  status: 'open' | 'closed';
  provider_response: string | null;
  responded_by: string | null;
  responded_at: IsoTime | null;
  created_by: string;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export type SupervisionVisitRow = Selectable<SupervisionVisitTable>;
export type NewSupervisionVisit = Insertable<SupervisionVisitTable>;
export type SupervisionVisitUpdate = Updateable<SupervisionVisitTable>;

export interface SupervisionActionTable {
  id: string;
  visit_id: string;
  network_id: string;
  text: string;
  owner: string;
  due_date: string;
  status: 'open' | 'done';
  done_at: IsoTime | null;
  created_at: IsoTime;
}

export type SupervisionActionRow = Selectable<SupervisionActionTable>;
export type NewSupervisionAction = Insertable<SupervisionActionTable>;
export type SupervisionActionUpdate = Updateable<SupervisionActionTable>;
