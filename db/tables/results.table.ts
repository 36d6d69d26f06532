// Results: providers' monthly reports, course records and sealed leaderboard periods.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface MonthlyReportTable {
  id: string;
  network_id: string;
  provider_id: string;
  /** Calendar month, 'YYYY-MM'. */
  month: string;
  /** 1 for the first report of the month; each correction adds a version, none is changed. */
  version: number;
  referred: number;
  active: number;
  job_starts: number;
  retained_13_of_26: number;
  activation_pct: number;
  satisfaction_mean: number | null;
  satisfaction_responses: number;
  /** Required for corrections (version > 1). */
  reason: string | null;
  created_by: string;
  created_at: IsoTime;
}

export type MonthlyReportRow = Selectable<MonthlyReportTable>;

/** A stored report version that breaks a report invariant (flagged by migration 20261208T0000_report_flags). */
export interface ReportFlagTable {
  id: string;
  report_id: string;
  network_id: string;
  provider_id: string;
  month: string;
  version: number;
  /** The broken rules' codes (domain/reportInvariants.ts), comma-separated. */
  rules: string;
  flagged_at: IsoTime;
}

export type ReportFlagRow = Selectable<ReportFlagTable>;
export type NewMonthlyReport = Insertable<MonthlyReportTable>;
export type MonthlyReportUpdate = Updateable<MonthlyReportTable>;

export interface CourseRecordTable {
  id: string;
  network_id: string;
  provider_id: string;
  case_key: string;
  programme: string;
  referral_date: string;
  end_date: string | null;
  first_job_date: string | null;
  weeks_employed_of_26: number | null;
  unemployment_band: string;
  education_field: string;
  age_band: string;
  created_by: string;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export type CourseRecordRow = Selectable<CourseRecordTable>;
export type NewCourseRecord = Insertable<CourseRecordTable>;
export type CourseRecordUpdate = Updateable<CourseRecordTable>;

export interface LeaderboardSealTable {
  id: string;
  network_id: string;
  period_from: string;
  period_to: string;
  sealed_at: IsoTime;
  sealed_by: string;
  revealed_at: IsoTime | null;
  revealed_by: string | null;
}

export type LeaderboardSealRow = Selectable<LeaderboardSealTable>;
export type NewLeaderboardSeal = Insertable<LeaderboardSealTable>;
export type LeaderboardSealUpdate = Updateable<LeaderboardSealTable>;
