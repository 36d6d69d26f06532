// Failed sign-ins live in the database, not in each instance's memory, so that several instances
// behind a load balancer count them together (a guesser gets no more tries by spreading over them).
// The key is a hash: no email or address of someone who mistyped is stored.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failures_key_idx').on('sign_in_failures').columns(['key', 'failed_at']).execute();
  await db.schema.createIndex('sign_in_failures_at_idx').on('sign_in_failures').column('failed_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_failures').execute();
}
