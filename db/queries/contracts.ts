// Contracts and their versions; approved settlement statements and their correction lines.
import type { Kysely } from 'kysely';
import type { Database } from '../database.ts';
import type { ContractRow, ContractVersionRow, SettlementCorrectionRow, SettlementStatementRow } from '../tables/contracts.table.ts';

export interface ContractWithVersion {
  contract: ContractRow;
  current: ContractVersionRow;
}

export interface ContractWithHistory extends ContractWithVersion {
  /** Every version, oldest first; `current` is the last (the newest written, not necessarily in force). */
  versions: ContractVersionRow[];
}

/** A network's contracts with all their versions, optionally for one provider, oldest contract first. */
export async function contractsWithHistory(db: Kysely<Database>, networkId: string, providerId?: string): Promise<ContractWithHistory[]> {
  let q = db.selectFrom('contracts').selectAll().where('network_id', '=', networkId);
  if (providerId) q = q.where('provider_id', '=', providerId);
  const contracts = await q.orderBy('created_at').orderBy('id').execute();
  if (contracts.length === 0) return [];
  const versions = await db
    .selectFrom('contract_versions')
    .selectAll()
    .where(
      'contract_id',
      'in',
      contracts.map((c) => c.id),
    )
    .orderBy('version')
    .execute();
  return contracts.flatMap((contract) => {
    const mine = versions.filter((v) => v.contract_id === contract.id);
    const current = mine[mine.length - 1];
    return current ? [{ contract, current, versions: mine }] : [];
  });
}

/** A network's contracts with their newest version, optionally for one provider. */
export async function currentContracts(db: Kysely<Database>, networkId: string, providerId?: string): Promise<ContractWithVersion[]> {
  return (await contractsWithHistory(db, networkId, providerId)).map(({ contract, current }) => ({ contract, current }));
}

export async function findContract(db: Kysely<Database>, networkId: string, contractId: string): Promise<ContractWithVersion | null> {
  const contract = await db.selectFrom('contracts').selectAll().where('id', '=', contractId).where('network_id', '=', networkId).executeTakeFirst();
  if (!contract) return null;
  const current = await db.selectFrom('contract_versions').selectAll().where('contract_id', '=', contractId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return current ? { contract, current } : null;
}

export async function contractVersions(db: Kysely<Database>, contractId: string): Promise<ContractVersionRow[]> {
  return db.selectFrom('contract_versions').selectAll().where('contract_id', '=', contractId).orderBy('version').execute();
}

export async function insertContract(db: Kysely<Database>, contract: ContractRow): Promise<void> {
  await db.insertInto('contracts').values(contract).execute();
}

export async function insertContractVersion(db: Kysely<Database>, version: ContractVersionRow): Promise<void> {
  await db.insertInto('contract_versions').values(version).execute();
}

export async function findStatement(db: Kysely<Database>, networkId: string, providerId: string, month: string): Promise<SettlementStatementRow | undefined> {
  return db
    .selectFrom('settlement_statements')
    .selectAll()
    .where('network_id', '=', networkId)
    .where('provider_id', '=', providerId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export async function insertStatement(db: Kysely<Database>, statement: SettlementStatementRow): Promise<void> {
  await db.insertInto('settlement_statements').values(statement).execute();
}

export async function correctionsOf(db: Kysely<Database>, statementId: string): Promise<SettlementCorrectionRow[]> {
  return db.selectFrom('settlement_corrections').selectAll().where('statement_id', '=', statementId).orderBy('created_at').execute();
}

export async function insertCorrection(db: Kysely<Database>, correction: SettlementCorrectionRow): Promise<void> {
  await db.insertInto('settlement_corrections').values(correction).execute();
}

export async function renameContract(db: Kysely<Database>, contractId: string, name: string): Promise<void> {
  await db.updateTable('contracts').set({ name }).where('id', '=', contractId).execute();
}

/** The contract numbers a network has used (for the next running number). */
export async function contractNumbers(db: Kysely<Database>, networkId: string): Promise<string[]> {
  return (await db.selectFrom('contracts').select('number').where('network_id', '=', networkId).execute()).map((r) => r.number);
}

/** The latest month approved for a provider (its money is settled), or null. */
export async function lastApprovedMonth(db: Kysely<Database>, networkId: string, providerId: string): Promise<string | null> {
  const row = await db
    .selectFrom('settlement_statements')
    .select((eb) => eb.fn.max('month').as('month'))
    .where('network_id', '=', networkId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return row?.month ?? null;
}
