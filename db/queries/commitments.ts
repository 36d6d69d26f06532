// Monthly commitment records: the host's verdict on each promise of a provider's contract, and the
// provider's response. One row per contract, commitment and month; a change rewrites it (audited).
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { CommitmentRecordRow } from '../tables/commitments.table.ts';

export async function commitmentRecordsOfMonth(db: Kysely<Database>, networkId: string, providerId: string, month: string): Promise<CommitmentRecordRow[]> {
  return db
    .selectFrom('commitment_records')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('provider_id', '=', providerId)
    .where('month', '=', month)
    .orderBy('recorded_at')
    .execute();
}

export async function findCommitmentRecord(db: Kysely<Database>, contractId: string, commitmentId: string, month: string): Promise<CommitmentRecordRow | undefined> {
  return db
    .selectFrom('commitment_records')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('commitment_id', '=', commitmentId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export async function insertCommitmentRecord(db: Kysely<Database>, record: CommitmentRecordRow): Promise<void> {
  await db.insertInto('commitment_records').values(record).execute();
}

export async function updateCommitmentRecord(
  db: Kysely<Database>,
  id: string,
  change: Partial<Pick<CommitmentRecordRow, 'status' | 'note' | 'recorded_by' | 'recorded_at' | 'response' | 'responded_by' | 'responded_at'>>,
): Promise<void> {
  await db.updateTable('commitment_records').set(change).where('id', '=', id).execute();
}
