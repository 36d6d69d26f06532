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
  const older = f.olderThan;
  if (older) q = q.where((eb) => eb.or([eb('audit_log.at', '<', older.at), eb.and([eb('audit_log.at', '=', older.at), eb('audit_log.id', '<', older.id)])]));
  return q.orderBy('audit_log.at', 'desc').orderBy('audit_log.id', 'desc').limit(f.limit).execute();
}

export async function auditSubjectTypes(db: Kysely<Database>, networkId: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('subject_type').distinct().where('network_id', '=', networkId).orderBy('subject_type').execute();
  return rows.map((r) => r.subject_type);
}
