// Single sign-on: an account is linked to a person at the identity provider by issuer + subject
// (`sub`), never by e-mail alone. One link per account and issuer; one account per issuer + subject.
// Accounts that sign in only that way keep an empty password_hash, which no password matches.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_identities_subject_uq').on('user_identities').columns(['issuer', 'subject']).unique().execute();
  await db.schema.createIndex('user_identities_user_uq').on('user_identities').columns(['user_id', 'issuer']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_identities').execute();
}
