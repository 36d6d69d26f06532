// The database as Kysely sees it: table names mapped to the table interfaces in tables/, shared by SQLite and PostgreSQL.
import type { ArchiveEntryTable, MeetingAddendumTable, MeetingSnapshotTable, SnapshotDocumentTable } from './tables/archive.table.ts';
import type { AuditEntryTable } from './tables/audit.table.ts';
import type { CommitmentRecordTable } from './tables/commitments.table.ts';
import type { ContractTable, ContractVersionTable, SettlementCorrectionTable, SettlementStatementTable } from './tables/contracts.table.ts';
import type { YjsDocumentTable, YjsUpdateTable } from './tables/documents.table.ts';
import type { AgendaItemTable, CalendarFeedTable, MeetingAttendanceTable, MeetingEntryTable, MeetingTable, MethodNoteTable } from './tables/meetings.table.ts';
import type { MembershipTable, NetworkProviderTable, NetworkTable, OrganisationTable } from './tables/networks.table.ts';
import type { NotificationTable } from './tables/notifications.table.ts';
import type { CourseRecordTable, LeaderboardSealTable, MonthlyReportTable } from './tables/results.table.ts';
import type { SupervisionActionTable, SupervisionVisitTable } from './tables/supervision.table.ts';
import type { ApiTokenTable, SessionTable, SignInFailureTable, UserTable } from './tables/users.table.ts';

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
  audit_log: AuditEntryTable;
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
