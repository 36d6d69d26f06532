// The database as Kysely sees it: one interface per table, shared by SQLite and PostgreSQL.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are ISO 8601 strings in UTC, generated in TypeScript so both dialects agree. */
export type IsoTime = string;

export interface NetworkTable {
  id: string;
  name: string;
  /** The jobcenter organisation that hosts the network. */
  host_organisation_id: string;
  target_group: string;
  /** Months between joint meetings: 2 by default ("about every second month"). */
  meeting_cadence_months: number;
  /** Share of active citizens a provider must keep in activation, in percent (Aalborg: 30). */
  activation_requirement_pct: number;
  created_at: IsoTime;
  /** Figures based on fewer citizens than this are shown as "too few to rate". */
  min_citizens_to_rate: Generated<number>;
  /** The metric the leaderboard leads with, chosen by the host. */
  leading_metric: Generated<string>;
}

export type OrganisationKind = 'jobcenter' | 'provider';

export interface OrganisationTable {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** Short label for tables and plots on a projector. */
  short_name: string;
  created_at: IsoTime;
}

export interface NetworkProviderTable {
  network_id: string;
  organisation_id: string;
  /** Order the providers are listed and present in. */
  position: number;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locale: 'da' | 'en';
  created_at: IsoTime;
  disabled_at: IsoTime | null;
}

export type Role = 'host' | 'provider' | 'viewer';

export interface MembershipTable {
  id: string;
  user_id: string;
  network_id: string;
  role: Role;
  /** The provider organisation for role 'provider', the jobcenter for 'host', null for viewers. */
  organisation_id: string | null;
  created_at: IsoTime;
}

export interface SessionTable {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  id: string;
  user_id: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  last_seen_at: IsoTime;
  revoked_at: IsoTime | null;
}

/** One failed sign-in, under a hash of what it counts against (the account, or the client address). */
export interface SignInFailureTable {
  key: string;
  failed_at: IsoTime;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token is shown once, at creation. */
  token_hash: string;
  created_at: IsoTime;
  last_used_at: IsoTime | null;
  expires_at: IsoTime | null;
  revoked_at: IsoTime | null;
}

export type MeetingStatus = 'planned' | 'live' | 'closed' | 'cancelled';

export interface MeetingTable {
  id: string;
  network_id: string;
  title: string;
  starts_at: IsoTime;
  duration_minutes: number;
  location: string | null;
  status: MeetingStatus;
  /** iCalendar SEQUENCE: bumped on every reschedule so calendars update the same event. */
  sequence: number;
  created_at: IsoTime;
  updated_at: IsoTime;
  closed_at: IsoTime | null;
  /** 1 while the host holds published method notes back until the meeting opens. */
  notes_held: number;
  /** JSON of the live run (current item, presenter, timer); null before the start. */
  live_state: string | null;
  started_at: IsoTime | null;
}

export interface AgendaItemTable {
  id: string;
  meeting_id: string;
  position: number;
  title: string;
  provider_id: string | null;
  minutes: number | null;
}

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

export interface AuditLogTable {
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

export interface YjsUpdateTable {
  id: Generated<number>;
  name: string;
  data: Uint8Array;
  created_at: IsoTime;
}

export interface MethodNoteTable {
  meeting_id: string;
  provider_id: string;
  published_at: IsoTime | null;
  published_by: string | null;
}

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

export interface MeetingEntryTable {
  id: string;
  meeting_id: string;
  network_id: string;
  kind: 'decision' | 'action';
  text: string;
  /** Who owns an action item (a name or organisation, as said in the room). */
  owner: string | null;
  due_date: string | null;
  status: 'open' | 'done';
  created_by: string;
  created_at: IsoTime;
  done_at: IsoTime | null;
}

export interface MeetingAttendanceTable {
  meeting_id: string;
  user_id: string;
  first_joined_at: IsoTime;
  last_seen_at: IsoTime;
}

export interface MeetingSnapshotTable {
  meeting_id: string;
  closed_at: IsoTime;
  closed_by: string;
  content: string;
}

export interface SnapshotDocumentTable {
  meeting_id: string;
  name: string;
  provider_id: string | null;
  state: Uint8Array;
  text: string;
}

export interface MeetingAddendumTable {
  id: string;
  meeting_id: string;
  text: string;
  created_by: string;
  created_at: IsoTime;
}

export interface CalendarFeedTable {
  id: string;
  network_id: string;
  secret_hash: string;
  created_by: string;
  created_at: IsoTime;
  revoked_at: IsoTime | null;
}

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

export type PaymentModel = 'performance' | 'fixed';

export interface ContractTable {
  id: string;
  network_id: string;
  provider_id: string;
  created_by: string;
  created_at: IsoTime;
}

/** One row per change of a contract's terms; the highest version is current. */
export interface ContractVersionTable {
  contract_id: string;
  version: number;
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

export interface SettlementCorrectionTable {
  id: string;
  statement_id: string;
  text: string;
  amount_ore: number;
  reason: string;
  created_by: string;
  created_at: IsoTime;
}

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

export interface NotificationTable {
  id: string;
  user_id: string;
  network_id: string | null;
  kind: string;
  subject_key: string;
  params_json: string;
  created_at: IsoTime;
  read_at: IsoTime | null;
  emailed_at: IsoTime | null;
}

export interface Database {
  networks: NetworkTable;
  organisations: OrganisationTable;
  network_providers: NetworkProviderTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  sign_in_failures: SignInFailureTable;
  meetings: MeetingTable;
  agenda_items: AgendaItemTable;
  monthly_reports: MonthlyReportTable;
  audit_log: AuditLogTable;
  yjs_documents: YjsDocumentTable;
  yjs_updates: YjsUpdateTable;
  method_notes: MethodNoteTable;
  course_records: CourseRecordTable;
  leaderboard_seals: LeaderboardSealTable;
  meeting_entries: MeetingEntryTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_snapshots: MeetingSnapshotTable;
  snapshot_documents: SnapshotDocumentTable;
  meeting_addenda: MeetingAddendumTable;
  calendar_feeds: CalendarFeedTable;
  archive_entries: ArchiveEntryTable;
  contracts: ContractTable;
  contract_versions: ContractVersionTable;
  settlement_statements: SettlementStatementTable;
  settlement_corrections: SettlementCorrectionTable;
  commitment_records: CommitmentRecordTable;
  supervision_visits: SupervisionVisitTable;
  supervision_actions: SupervisionActionTable;
  notifications: NotificationTable;
}

export type Network = Selectable<NetworkTable>;
export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Membership = Selectable<MembershipTable>;
export type Session = Selectable<SessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type Meeting = Selectable<MeetingTable>;
export type AgendaItem = Selectable<AgendaItemTable>;
export type MonthlyReport = Selectable<MonthlyReportTable>;
export type NewMonthlyReport = Insertable<MonthlyReportTable>;
export type AuditEntry = Insertable<AuditLogTable>;
export type CourseRecord = Selectable<CourseRecordTable>;
export type LeaderboardSeal = Selectable<LeaderboardSealTable>;
export type MeetingEntry = Selectable<MeetingEntryTable>;
export type Contract = Selectable<ContractTable>;
export type ContractVersion = Selectable<ContractVersionTable>;
export type SettlementStatement = Selectable<SettlementStatementTable>;
export type SettlementCorrection = Selectable<SettlementCorrectionTable>;
export type CommitmentRecord = Selectable<CommitmentRecordTable>;
export type SupervisionVisit = Selectable<SupervisionVisitTable>;
export type SupervisionAction = Selectable<SupervisionActionTable>;
export type Notification = Selectable<NotificationTable>;
