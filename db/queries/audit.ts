// The append-only audit log: who did what, when, before and after. Nothing updates or deletes it.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';

export interface AuditRecord {
  id: string;
  at: string;
  networkId: string | null;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

export async function appendAudit(db: Kysely<Database>, r: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: r.id,
      at: r.at,
      network_id: r.networkId,
      actor_user_id: r.actorUserId,
      action: r.action,
      subject_type: r.subjectType,
      subject_id: r.subjectId,
      before_json: r.before === undefined ? null : JSON.stringify(r.before),
      after_json: r.after === undefined ? null : JSON.stringify(r.after),
    })
    .execute();
}

export interface AuditFilter {
  /** Instants, ISO 8601 UTC: from inclusive, until exclusive. */
  from?: string;
  until?: string;
  subjectType?: string;
  /** Only this person's entries. */
  actorUserId?: string;
  /** Only this action, e.g. 'report.correct'. */
  action?: string;
  /** Keyset: only entries older than this one (newest first, ties by id). */
  olderThan?: { at: string; id: string };
  limit: number;
}

/** A network's log newest first, with each actor's name. */
export async function auditEntries(db: Kysely<Database>, networkId: string, f: AuditFilter) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .selectAll('audit_log')
    .select('users.name as actor_name')
    .where('audit_log.network_id', '=', networkId);
  if (f.from) q = q.where('audit_log.at', '>=', f.from);
  if (f.until) q = q.where('audit_log.at', '<', f.until);
  if (f.subjectType) q = q.where('audit_log.subject_type', '=', f.subjectType);
  if (f.actorUserId) q = q.where('audit_log.actor_user_id', '=', f.actorUserId);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  const older = f.olderThan;
  if (older) q = q.where((eb) => eb.or([eb('audit_log.at', '<', older.at), eb.and([eb('audit_log.at', '=', older.at), eb('audit_log.id', '<', older.id)])]));
  return q.orderBy('audit_log.at', 'desc').orderBy('audit_log.id', 'desc').limit(f.limit).execute();
}

export async function auditSubjectTypes(db: Kysely<Database>, networkId: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('subject_type').distinct().where('network_id', '=', networkId).orderBy('subject_type').execute();
  return rows.map((r) => r.subject_type);
}

/** Who and which actions occur in a network's log, for the filters. */
export async function auditChoices(db: Kysely<Database>, networkId: string) {
  const actors = await db
    .selectFrom('audit_log')
    .innerJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['users.id', 'users.name'])
    .distinct()
    .where('audit_log.network_id', '=', networkId)
    .orderBy('users.name')
    .execute();
  const actions = await db.selectFrom('audit_log').select('action').distinct().where('network_id', '=', networkId).orderBy('action').execute();
  return { actors, actions: actions.map((r) => r.action) };
}

/** The names an audit sentence uses for a network's objects, each looked up once per page or export. */
export async function auditNames(db: Kysely<Database>, networkId: string) {
  const [network, organisations, meetings, contracts, visits, followUps, invitations, commitments, users] = await Promise.all([
    db.selectFrom('networks').select(['id', 'name']).where('id', '=', networkId).executeTakeFirst(),
    db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where((eb) => eb.or([
        eb('id', 'in', eb.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId)),
        eb('id', 'in', eb.selectFrom('memberships').select('organisation_id').where('network_id', '=', networkId).where('organisation_id', 'is not', null).$castTo<string>()),
      ]))
      .execute(),
    db.selectFrom('meetings').select(['id', 'title']).where('network_id', '=', networkId).execute(),
    db.selectFrom('contracts').select(['id', 'name', 'number', 'provider_id']).where('network_id', '=', networkId).execute(),
    db.selectFrom('supervision_visits').select(['id', 'provider_id', 'visit_date']).where('network_id', '=', networkId).execute(),
    db.selectFrom('supervision_actions').select(['id', 'text', 'visit_id']).where('network_id', '=', networkId).execute(),
    db.selectFrom('invitations').select(['id', 'email']).where('network_id', '=', networkId).execute(),
    db.selectFrom('commitment_records').select(['id', 'provider_id', 'month', 'commitment_id']).where('network_id', '=', networkId).execute(),
    db
      .selectFrom('users')
      .select(['id', 'name'])
      .where((eb) => eb.or([
        eb('id', 'in', eb.selectFrom('memberships').select('user_id').where('network_id', '=', networkId)),
        eb('id', 'in', eb.selectFrom('audit_log').select('actor_user_id').where('network_id', '=', networkId).where('actor_user_id', 'is not', null).$castTo<string>()),
      ]))
      .execute(),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return {
    networkName: network?.name ?? null,
    organisations: new Map(organisations.map((o) => [o.id, o.name])),
    meetings: new Map(meetings.map((m) => [m.id, m.title])),
    contracts: byId(contracts),
    visits: byId(visits),
    followUps: byId(followUps),
    invitations: new Map(invitations.map((i) => [i.id, i.email])),
    commitments: byId(commitments),
    users: new Map(users.map((u) => [u.id, u.name])),
  };
}
export type AuditNames = Awaited<ReturnType<typeof auditNames>>;
