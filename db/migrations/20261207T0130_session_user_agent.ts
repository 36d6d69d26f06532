// Each session remembers the browser it was signed in from (its User-Agent, cut to 300 characters),
// so that a person's list of sessions says "Firefox on Windows", not only times.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute();
}
