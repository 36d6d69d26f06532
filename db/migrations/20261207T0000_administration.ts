// Administration: a jobcenter runs its own network. Providers join and leave in periods, memberships
// can be deactivated and carry a provider-administrator flag, people are invited by e-mail and reset
// forgotten passwords with single-use links (only a hash of each link's token is stored), and each
// new provider has a joining checklist.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('cvr', 'text').execute();
  await db.schema.createIndex('organisations_cvr_uq').on('organisations').column('cvr').unique().execute();

  await db.schema.alterTable('users').addColumn('last_sign_in_at', 'text').execute();

  await db.schema.alterTable('memberships').addColumn('disabled_at', 'text').execute();
  await db.schema.alterTable('memberships').addColumn('provider_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('memberships').addColumn('invited_by', 'text').execute();

  // A provider's current period in the network lives on its network_providers row: it takes part from
  // from_month (null: from the start) through last_month (null: it has not left). When it rejoins, the
  // period that ended moves to earlier_provider_periods, so the history keeps every period.
  await db.schema.alterTable('network_providers').addColumn('from_month', 'text').execute();
  await db.schema.alterTable('network_providers').addColumn('last_month', 'text').execute();
  await db.schema
    .createTable('earlier_provider_periods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('from_month', 'text')
    .addColumn('last_month', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('earlier_provider_periods_idx').on('earlier_provider_periods').columns(['network_id', 'organisation_id']).execute();

  await db.schema
    .createTable('provider_checklists')
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('interview_on', 'text')
    .addColumn('interview_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('references_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('provider_checklists_pk', ['network_id', 'organisation_id'])
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('provider_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_by', 'text', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'text')
    // 'sent', 'failed' or 'not_configured': whether the host must pass the link on by hand.
    .addColumn('mail_status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invitations_network_idx').on('invitations').columns(['network_id', 'created_at']).execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['password_resets', 'invitations', 'provider_checklists', 'earlier_provider_periods']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('network_providers').dropColumn('last_month').execute();
  await db.schema.alterTable('network_providers').dropColumn('from_month').execute();
  await db.schema.alterTable('memberships').dropColumn('invited_by').execute();
  await db.schema.alterTable('memberships').dropColumn('provider_admin').execute();
  await db.schema.alterTable('memberships').dropColumn('disabled_at').execute();
  await db.schema.alterTable('users').dropColumn('last_sign_in_at').execute();
  await db.schema.dropIndex('organisations_cvr_uq').execute();
  await db.schema.alterTable('organisations').dropColumn('cvr').execute();
}
