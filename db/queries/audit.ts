// The append-only audit log: who did what, when, before and after. Nothing updates or deletes it.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

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
