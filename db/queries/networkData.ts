// A network's data, whole: every row of every table that belongs to it, for export and for deletion
// when the contract ends. The table list is typed against the Database interface, so a new table
// does not compile until it says how it relates to a network.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

export type TableName = keyof Database;

/** The ids a network's rows hang off, gathered once. */
export interface NetworkKeys {
  networkId: string;
  meetingIds: string[];
  contractIds: string[];
  statementIds: string[];
  visitIds: string[];
  organisationIds: string[];
  userIds: string[];
  documentNames: string[];
}

interface TablePolicy {
  /** Rows of this network, for the export (columns that are secrets left out); null when none are exported. */
  select: ((db: Kysely<Database>, k: NetworkKeys) => Promise<Record<string, unknown>[]>) | null;
  /** Deletes this network's rows; null for tables shared between networks (kept on deletion). */
  remove: ((db: Kysely<Database>, k: NetworkKeys) => Promise<number>) | null;
}

const byNetwork = <T extends TableName>(table: T): TablePolicy => ({
  select: (db, k) => db.selectFrom(table as 'meetings').selectAll().where('network_id', '=', k.networkId).execute() as Promise<Record<string, unknown>[]>,
  remove: async (db, k) => deleted(await db.deleteFrom(table as 'meetings').where('network_id', '=', k.networkId).execute()),
});

const deleted = (results: Array<{ numDeletedRows: bigint }>) => results.reduce((n, r) => n + Number(r.numDeletedRows), 0);

// In chunks: SQLite takes at most 32,766 parameters.
async function selectWhereIn(db: Kysely<Database>, table: TableName, column: string, ids: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    rows.push(...((await db.selectFrom(table as 'meetings').selectAll().where(column as 'id', 'in', ids.slice(i, i + 500)).execute()) as Record<string, unknown>[]));
  }
  return rows;
}

async function deleteWhereIn(db: Kysely<Database>, table: TableName, column: string, ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) n += deleted(await db.deleteFrom(table as 'meetings').where(column as 'id', 'in', ids.slice(i, i + 500)).execute());
  return n;
}

const byKeys = (table: TableName, column: string, keys: (k: NetworkKeys) => string[]): TablePolicy => ({
  select: (db, k) => selectWhereIn(db, table, column, keys(k)),
  remove: (db, k) => deleteWhereIn(db, table, column, keys(k)),
});

/** Every table, and how its rows belong to a network. Order matters for deletion: children first. */
export const NETWORK_TABLES: Record<TableName, TablePolicy> = {
  yjs_updates: byKeys('yjs_updates', 'name', (k) => k.documentNames),
  yjs_documents: byKeys('yjs_documents', 'name', (k) => k.documentNames),
  settlement_corrections: byKeys('settlement_corrections', 'statement_id', (k) => k.statementIds),
  settlement_statements: byNetwork('settlement_statements'),
  commitment_records: byNetwork('commitment_records'),
  contract_versions: byKeys('contract_versions', 'contract_id', (k) => k.contractIds),
  contracts: byNetwork('contracts'),
  supervision_actions: byNetwork('supervision_actions'),
  supervision_visits: byNetwork('supervision_visits'),
  archive_entries: byNetwork('archive_entries'),
  snapshot_documents: byKeys('snapshot_documents', 'meeting_id', (k) => k.meetingIds),
  meeting_snapshots: byKeys('meeting_snapshots', 'meeting_id', (k) => k.meetingIds),
  meeting_addenda: byKeys('meeting_addenda', 'meeting_id', (k) => k.meetingIds),
  meeting_attendance: byKeys('meeting_attendance', 'meeting_id', (k) => k.meetingIds),
  meeting_entries: byNetwork('meeting_entries'),
  method_notes: byKeys('method_notes', 'meeting_id', (k) => k.meetingIds),
  agenda_items: byKeys('agenda_items', 'meeting_id', (k) => k.meetingIds),
  meetings: byNetwork('meetings'),
  calendar_feeds: {
    select: (db, k) => db.selectFrom('calendar_feeds').select(['id', 'network_id', 'created_by', 'created_at', 'revoked_at']).where('network_id', '=', k.networkId).execute(),
    remove: byNetwork('calendar_feeds').remove,
  },
  leaderboard_seals: byNetwork('leaderboard_seals'),
  course_records: byNetwork('course_records'),
  report_flags: byNetwork('report_flags'),
  monthly_reports: byNetwork('monthly_reports'),
  notifications: byNetwork('notifications'),
  audit_log: byNetwork('audit_log'),
  // Invitations without their token hashes: a link is a credential until it is used.
  invitations: {
    select: (db, k) =>
      db
        .selectFrom('invitations')
        .select(['id', 'network_id', 'email', 'role', 'organisation_id', 'provider_admin', 'invited_by', 'created_at', 'expires_at', 'accepted_at', 'accepted_by', 'revoked_at', 'mail_status'])
        .where('network_id', '=', k.networkId)
        .execute(),
    remove: byNetwork('invitations').remove,
  },
  provider_checklists: byNetwork('provider_checklists'),
  earlier_provider_periods: byNetwork('earlier_provider_periods'),
  memberships: byNetwork('memberships'),
  network_providers: byNetwork('network_providers'),
  networks: {
    select: (db, k) => db.selectFrom('networks').selectAll().where('id', '=', k.networkId).execute(),
    remove: async (db, k) => deleted(await db.deleteFrom('networks').where('id', '=', k.networkId).execute()),
  },
  // Shared with other networks: exported for reference, kept on deletion.
  organisations: { select: (db, k) => selectWhereIn(db, 'organisations', 'id', k.organisationIds), remove: null },
  // People's accounts (never their password hashes); an account outlives one network's membership.
  users: {
    select: async (db, k) => {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < k.userIds.length; i += 500) {
        rows.push(...(await db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'created_at', 'disabled_at', 'last_sign_in_at']).where('id', 'in', k.userIds.slice(i, i + 500)).execute()));
      }
      return rows;
    },
    remove: null,
  },
  // Credentials: neither exported nor tied to a network.
  sessions: { select: null, remove: null },
  api_tokens: { select: null, remove: null },
  // Hashed keys of failed sign-ins, kept 15 minutes: no network's data.
  sign_in_failures: { select: null, remove: null },
  // Reset links belong to an account, not to a network.
  password_resets: { select: null, remove: null },
  // Single sign-on links belong to an account, like its credentials: not exported, not per network.
  user_identities: { select: null, remove: null },
};

/** The ids a network's rows hang off; null when there is no such network. */
export async function networkKeys(db: Kysely<Database>, networkId: string, documentNamesOf: (meetingIds: Set<string>, names: string[]) => string[]): Promise<NetworkKeys | null> {
  const network = await db.selectFrom('networks').select(['id', 'host_organisation_id']).where('id', '=', networkId).executeTakeFirst();
  if (!network) return null;
  const ids = async (q: Promise<Array<{ id: string }>>) => (await q).map((r) => r.id);
  const meetingIds = await ids(db.selectFrom('meetings').select('id').where('network_id', '=', networkId).execute());
  const providers = await db.selectFrom('network_providers').select('organisation_id as id').where('network_id', '=', networkId).execute();
  const members = await db.selectFrom('memberships').select(['user_id', 'organisation_id']).where('network_id', '=', networkId).execute();
  const allNames = (await db.selectFrom('yjs_documents').select('name').execute()).map((r) => r.name);
  return {
    networkId,
    meetingIds,
    contractIds: await ids(db.selectFrom('contracts').select('id').where('network_id', '=', networkId).execute()),
    statementIds: await ids(db.selectFrom('settlement_statements').select('id').where('network_id', '=', networkId).execute()),
    visitIds: await ids(db.selectFrom('supervision_visits').select('id').where('network_id', '=', networkId).execute()),
    organisationIds: [...new Set([network.host_organisation_id, ...providers.map((p) => p.id), ...members.flatMap((m) => (m.organisation_id ? [m.organisation_id] : []))])],
    userIds: [...new Set(members.map((m) => m.user_id))],
    documentNames: documentNamesOf(new Set(meetingIds), allNames),
  };
}

/** Every exported table's rows for the network, binary columns as base64. */
export async function exportNetworkRows(db: Kysely<Database>, keys: NetworkKeys): Promise<Record<string, Record<string, unknown>[]>> {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const [table, policy] of Object.entries(NETWORK_TABLES)) {
    if (!policy.select) continue;
    tables[table] = (await policy.select(db, keys)).map((row) =>
      Object.fromEntries(Object.entries(row).map(([column, value]) => [column, value instanceof Uint8Array ? { base64: Buffer.from(value).toString('base64') } : value])),
    );
  }
  return tables;
}

/** Deletes every row of the network, children first; the caller runs it in a transaction. Returns rows per table. */
export async function deleteNetworkRows(db: Kysely<Database>, keys: NetworkKeys): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, policy] of Object.entries(NETWORK_TABLES)) {
    if (!policy.remove) continue;
    counts[table] = await policy.remove(db, keys);
  }
  return counts;
}
