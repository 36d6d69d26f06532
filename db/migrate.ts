// Runs the frozen migrations in order; the same list serves SQLite and PostgreSQL.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import * as foundation from './migrations/20261123T0000_foundation.ts';
import * as documents from './migrations/20261123T0100_documents.ts';
import * as results from './migrations/20261123T0200_results.ts';
import * as meetings from './migrations/20261123T0300_meetings.ts';
import * as contracts from './migrations/20261123T0400_contracts.ts';
import * as auditImmutable from './migrations/20261206T0000_audit_immutable.ts';
import * as signInFailures from './migrations/20261206T0100_sign_in_failures.ts';
import * as administration from './migrations/20261207T0000_administration.ts';
import * as sessionUserAgent from './migrations/20261207T0130_session_user_agent.ts';
import * as singleSignOn from './migrations/20261207T0200_single_sign_on.ts';
import * as effectiveContracts from './migrations/20261207T0300_effective_contracts.ts';
import * as reportFlags from './migrations/20261208T0000_report_flags.ts';
import * as rerenderArchive from './migrations/20261208T0100_rerender_archive.ts';

const migrations: Record<string, Migration> = {
  '20261123T0000_foundation': foundation,
  '20261123T0100_documents': documents,
  '20261123T0200_results': results,
  '20261123T0300_meetings': meetings,
  '20261123T0400_contracts': contracts,
  '20261206T0000_audit_immutable': auditImmutable,
  '20261206T0100_sign_in_failures': signInFailures,
  '20261207T0000_administration': administration,
  '20261207T0130_session_user_agent': sessionUserAgent,
  '20261207T0200_single_sign_on': singleSignOn,
  '20261207T0300_effective_contracts': effectiveContracts,
  '20261208T0000_report_flags': reportFlags,
  '20261208T0100_rerender_archive': rerenderArchive,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Applies what is pending. `schema` names the PostgreSQL schema the migration bookkeeping lives in;
 * without it Kysely may find another schema's bookkeeping table and use the wrong one.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Creates a PostgreSQL schema unless it exists, so a deployment can name its own. */
export async function createSchemaIfMissing(db: Kysely<Database>, schema: string): Promise<void> {
  await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
}
