// The audit log is append-only in the database itself, not only in the API: an UPDATE of an entry is
// refused by a trigger, whoever runs it. Entries leave only with their whole network (retention).
// Frozen once landed: later changes are new migrations.
import { sql, SqliteAdapter, type Kysely } from 'kysely';

export const AUDIT_IMMUTABLE_MESSAGE = 'the audit log cannot be changed';

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, ${sql.lit(AUDIT_IMMUTABLE_MESSAGE)}); end`.execute(db);
    return;
  }
  await sql`create function audit_log_refuse_update() returns trigger language plpgsql as $$ begin raise exception ${sql.lit(AUDIT_IMMUTABLE_MESSAGE)}; end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update on audit_log for each row execute function audit_log_refuse_update()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_update${db.getExecutor().adapter instanceof SqliteAdapter ? sql`` : sql` on audit_log`}`.execute(db);
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) await sql`drop function if exists audit_log_refuse_update()`.execute(db);
}
