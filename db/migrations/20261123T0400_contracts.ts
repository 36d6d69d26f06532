// Contracts and what hangs off them: versioned terms, approved settlement statements and their
// correction lines, monthly commitment records, supervision visits with follow-up actions, and
// in-app notifications (documentation deadlines). Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contracts_network_idx').on('contracts').columns(['network_id', 'provider_id']).execute();

  // Every change is a new row; the highest version is the contract's current terms.
  await db.schema
    .createTable('contract_versions')
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('price_ore', 'bigint', (c) => c.notNull())
    .addColumn('base_share_bp', 'integer', (c) => c.notNull())
    .addColumn('success_share_bp', 'integer', (c) => c.notNull())
    .addColumn('success_weeks', 'integer', (c) => c.notNull())
    .addColumn('success_window_weeks', 'integer', (c) => c.notNull())
    .addColumn('course_days', 'integer', (c) => c.notNull())
    .addColumn('activation_requirement_pct', 'double precision', (c) => c.notNull())
    .addColumn('documentation_deadline_day', 'integer', (c) => c.notNull())
    .addColumn('commitments_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contract_versions_pk', ['contract_id', 'version'])
    .execute();

  await db.schema
    .createTable('settlement_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('total_ore', 'bigint', (c) => c.notNull())
    /** The statement exactly as approved (courses, lines, pending): what was paid. */
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('approved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('settlement_statements_month_uq', ['network_id', 'provider_id', 'month'])
    .execute();

  await db.schema
    .createTable('settlement_corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('settlement_statements.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('settlement_corrections_statement_idx').on('settlement_corrections').column('statement_id').execute();

  await db.schema
    .createTable('commitment_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
    .addColumn('commitment_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('responded_by', 'text', (c) => c.references('users.id'))
    .addColumn('responded_at', 'text')
    .addUniqueConstraint('commitment_records_month_uq', ['contract_id', 'commitment_id', 'month'])
    .execute();
  await db.schema.createIndex('commitment_records_network_idx').on('commitment_records').columns(['network_id', 'provider_id', 'month']).execute();

  await db.schema
    .createTable('supervision_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('visit_date', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_response', 'text')
    .addColumn('responded_by', 'text', (c) => c.references('users.id'))
    .addColumn('responded_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_visits_network_idx').on('supervision_visits').columns(['network_id', 'provider_id']).execute();

  await db.schema
    .createTable('supervision_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('visit_id', 'text', (c) => c.notNull().references('supervision_visits.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_actions_visit_idx').on('supervision_actions').column('visit_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    /** What the notice is about (e.g. provider/month): one notice per user, kind and subject. */
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('emailed_at', 'text')
    .addUniqueConstraint('notifications_subject_uq', ['user_id', 'kind', 'subject_key'])
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'read_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notifications',
    'supervision_actions',
    'supervision_visits',
    'commitment_records',
    'settlement_corrections',
    'settlement_statements',
    'contract_versions',
    'contracts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
