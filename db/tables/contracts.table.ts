// Payment contracts with their versioned terms, and the monthly settlements paid under them.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export type PaymentModel = 'performance' | 'fixed';

export interface ContractTable {
  id: string;
  network_id: string;
  provider_id: string;
  /** What the letter calls the contract, e.g. "Udbyder A 2026–2027". */
  name: string;
  /** The jobcenter's running number within the network, e.g. "K-2026-003"; unique per network. */
  number: string;
  created_by: string;
  created_at: IsoTime;
}

export type ContractRow = Selectable<ContractTable>;
export type NewContract = Insertable<ContractTable>;
export type ContractUpdate = Updateable<ContractTable>;

/**
 * One row per change of a contract's terms. The version in force for a month is the newest one
 * whose `effective_from` is not after that month.
 */
export interface ContractVersionTable {
  contract_id: string;
  version: number;
  /** The first month (YYYY-MM) this version governs. */
  effective_from: string;
  /** Contract period, calendar dates 'YYYY-MM-DD' (inclusive). */
  period_start: string;
  period_end: string;
  /** Set when the jobcenter ends the contract early (the Aarhus model's lever). */
  ended_on: string | null;
  model: PaymentModel;
  price_ore: number;
  /** Shares in basis points (2500 = 25 %), so two decimals of a percent stay exact integers. */
  base_share_bp: number;
  success_share_bp: number;
  success_weeks: number;
  success_window_weeks: number;
  course_days: number;
  activation_requirement_pct: number;
  /** Day of the following month by which a month's report is due. */
  documentation_deadline_day: number;
  /** JSON array of { id, text, measure }: the framework agreement's commitments. */
  commitments_json: string;
  /** Why the terms changed (required from version 2). */
  reason: string | null;
  created_by: string;
  created_at: IsoTime;
}

export type ContractVersionRow = Selectable<ContractVersionTable>;
export type NewContractVersion = Insertable<ContractVersionTable>;
export type ContractVersionUpdate = Updateable<ContractVersionTable>;

export interface SettlementStatementTable {
  id: string;
  network_id: string;
  provider_id: string;
  month: string;
  total_ore: number;
  /** The statement exactly as approved: locked, never recomputed. */
  content_json: string;
  approved_by: string;
  approved_at: IsoTime;
}

export type SettlementStatementRow = Selectable<SettlementStatementTable>;
export type NewSettlementStatement = Insertable<SettlementStatementTable>;
export type SettlementStatementUpdate = Updateable<SettlementStatementTable>;

export interface SettlementCorrectionTable {
  id: string;
  statement_id: string;
  text: string;
  amount_ore: number;
  reason: string;
  created_by: string;
  created_at: IsoTime;
}

export type SettlementCorrectionRow = Selectable<SettlementCorrectionTable>;
export type NewSettlementCorrection = Insertable<SettlementCorrectionTable>;
export type SettlementCorrectionUpdate = Updateable<SettlementCorrectionTable>;
