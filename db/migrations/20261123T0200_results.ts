// Results: pseudonymous course records, sealed leaderboard periods, and per-network leaderboard settings.
// Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('course_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    /** Pseudonymous case key: never a CPR number (refused at import). */
    .addColumn('case_key', 'text', (c) => c.notNull())
    .addColumn('programme', 'text', (c) => c.notNull())
    .addColumn('referral_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('first_job_date', 'text')
    .addColumn('weeks_employed_of_26', 'integer')
    .addColumn('unemployment_band', 'text', (c) => c.notNull())
    .addColumn('education_field', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('course_records_course_uq', ['network_id', 'provider_id', 'case_key', 'referral_date'])
    .execute();
  await db.schema.createIndex('course_records_network_idx').on('course_records').columns(['network_id', 'provider_id']).execute();

  await db.schema
    .createTable('leaderboard_seals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'text', (c) => c.notNull())
    .addColumn('sealed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('revealed_at', 'text')
    .addColumn('revealed_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('leaderboard_seals_network_idx').on('leaderboard_seals').column('network_id').execute();

  await db.schema.alterTable('networks').addColumn('min_citizens_to_rate', 'integer', (c) => c.notNull().defaultTo(20)).execute();
  await db.schema.alterTable('networks').addColumn('leading_metric', 'text', (c) => c.notNull().defaultTo('jobRate')).execute();
  await db.schema.createIndex('monthly_reports_lookup_idx').on('monthly_reports').columns(['network_id', 'provider_id', 'month']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('monthly_reports_lookup_idx').execute();
  await db.schema.alterTable('networks').dropColumn('leading_metric').execute();
  await db.schema.alterTable('networks').dropColumn('min_citizens_to_rate').execute();
  await db.schema.dropTable('leaderboard_seals').execute();
  await db.schema.dropTable('course_records').execute();
}
