// Monthly reports stored before the report invariants were enforced may break them (e.g. 30 job
// starts among 20 active citizens). The boards leave such months out; this table records which
// stored versions break which rule, flagged once here so operators and hosts can follow them up.
// Frozen once landed: the rules are copied as they stood (domain/reportInvariants.ts), later changes are new migrations.
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';

interface StoredReport {
  id: string;
  network_id: string;
  provider_id: string;
  month: string;
  version: number;
  active: number;
  job_starts: number;
  retained_13_of_26: number;
  satisfaction_mean: number | null;
  satisfaction_responses: number;
  activation_pct: number;
}

function brokenRules(r: StoredReport): string[] {
  const counts = [r.active, r.job_starts, r.retained_13_of_26, r.satisfaction_responses];
  const rules: Array<[string, boolean]> = [
    ['month_format', !/^\d{4}-(0[1-9]|1[0-2])$/.test(r.month)],
    ['whole_number', counts.some((n) => !Number.isInteger(Number(n)) || Number(n) < 0)],
    ['activation_range', !(r.activation_pct >= 0 && r.activation_pct <= 100)],
    ['satisfaction_range', r.satisfaction_mean !== null && !(r.satisfaction_mean >= 1 && r.satisfaction_mean <= 5)],
    ['satisfaction_missing', r.satisfaction_mean === null && r.satisfaction_responses > 0],
    ['job_starts_exceed_active', r.job_starts > r.active],
    ['retained_exceeds_job_starts', r.retained_13_of_26 > r.job_starts],
    ['answers_exceed_active', r.satisfaction_responses > r.active],
  ];
  return rules.filter(([, broken]) => broken).map(([rule]) => rule);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('monthly_reports.id'))
    .addColumn('network_id', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The broken rules' codes, comma-separated. */
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('flagged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_flags_report_uq').on('report_flags').column('report_id').unique().execute();
  await db.schema.createIndex('report_flags_network_idx').on('report_flags').columns(['network_id', 'provider_id', 'month']).execute();

  const flaggedAt = new Date().toISOString();
  const reports = (await db.selectFrom('monthly_reports').selectAll().execute()) as StoredReport[];
  const flags = reports.flatMap((r) => {
    const rules = brokenRules(r);
    return rules.length
      ? [{ id: randomUUID(), report_id: r.id, network_id: r.network_id, provider_id: r.provider_id, month: r.month, version: r.version, rules: rules.join(','), flagged_at: flaggedAt }]
      : [];
  });
  for (let i = 0; i < flags.length; i += 200) await db.insertInto('report_flags').values(flags.slice(i, i + 200)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_flags').execute();
}
