// Commitments tracking: each month the host records, per promise in a provider's contract, whether it
// was met (met / partly / not met, with a note); the provider sees its own records and may respond.
// Every record and response is audited, before → after, in the same transaction.
import type { Kysely } from 'kysely';
import { can, type Actor } from '../../domain/access.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { commitmentRecordsOfMonth, findCommitmentRecord, insertCommitmentRecord, updateCommitmentRecord } from '../../db/queries/commitments.ts';
import { contractVersions, currentContracts, type ContractWithVersion } from '../../db/queries/contracts.ts';
import { userNames } from '../../db/queries/users.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { Database } from '../../db/database.ts';
import type { CommitmentRecordRow } from '../../db/tables/commitments.table.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { CommitmentMonth, CommitmentRecord, CommitmentRecordInput, CommitmentResponseInput } from '../wire/commitments.ts';
import { assertProviderInNetwork } from '../results/reports.ts';
import { commitmentsOf, type Commitment, type Who } from './contracts.ts';

/** The provider's contract whose period (up to an early end) touches the month; the newest if several do. */
async function contractCovering(db: Kysely<Database>, networkId: string, providerId: string, month: string): Promise<ContractWithVersion | null> {
  const first = `${month}-01`;
  const last = `${month}-31`; // compared as text, so it stands for the month's last day
  const covering = (await currentContracts(db, networkId, providerId)).filter((c) => {
    const end = c.current.ended_on && c.current.ended_on < c.current.period_end ? c.current.ended_on : c.current.period_end;
    return c.current.period_start <= last && end >= first;
  });
  return covering.at(-1) ?? null;
}

/** The month's commitments of one provider with their records (host, or the provider's own members). */
export async function commitmentMonth(ctx: AppContext, actor: Actor, networkId: string, providerId: string, month: string): Promise<CommitmentMonth> {
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  if (!can(actor, { action: 'commitment.read', networkId, providerId })) {
    throw new AppError('forbidden', "A provider's commitment records are for the host and the provider itself.");
  }
  const [contract, rows, providers] = await Promise.all([
    contractCovering(ctx.db, networkId, providerId, month),
    commitmentRecordsOfMonth(ctx.db, networkId, providerId, month),
    providersOfNetwork(ctx.db, networkId),
  ]);
  const current = contract ? commitmentsOf(contract.current) : [];
  // A promise dropped from the terms after it was recorded keeps its record, with its text then.
  const dropped = rows.filter((r) => !current.some((c) => c.id === r.commitment_id));
  const earlier = new Map<string, Commitment>();
  for (const contractId of new Set(dropped.map((r) => r.contract_id))) {
    for (const v of await contractVersions(ctx.db, contractId)) for (const c of commitmentsOf(v)) earlier.set(c.id, c);
  }
  const names = await userNames(ctx.db, rows.flatMap((r) => [r.recorded_by, ...(r.responded_by ? [r.responded_by] : [])]));
  const recordOf = (id: string) => {
    const row = rows.find((r) => r.commitment_id === id);
    return row ? recordDto(row, names) : null;
  };
  return {
    networkId,
    providerId,
    providerName: providers.find((p) => p.id === providerId)?.name ?? providerId,
    month,
    contract: contract ? { id: contract.contract.id, version: contract.current.version } : null,
    commitments: [
      ...current.map((c) => ({ ...c, inCurrentTerms: true, record: recordOf(c.id) })),
      ...dropped.map((r) => {
        const c = earlier.get(r.commitment_id);
        return { id: r.commitment_id, text: c?.text ?? '', measure: c?.measure ?? '', inCurrentTerms: false, record: recordOf(r.commitment_id) };
      }),
    ],
  };
}

/** The host records (or changes) one commitment's verdict for a month. */
export async function recordCommitment(
  ctx: AppContext,
  who: Who,
  target: { networkId: string; providerId: string; commitmentId: string; month: string },
  input: CommitmentRecordInput,
): Promise<CommitmentRecord> {
  const { networkId, providerId, commitmentId, month } = target;
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  if (!can(who.actor, { action: 'commitment.record', networkId })) throw new AppError('forbidden', 'Only the host records whether a commitment was met.');
  const now = ctx.now();
  if (month > copenhagenMonth(now)) {
    throw new AppError('validation_failed', `${month} has not begun; a commitment is recorded for the current or an earlier month.`, [{ path: 'month', message: 'The month has not begun' }]);
  }
  if (containsCpr(input.note)) throw new AppError('validation_failed', CPR_MESSAGE.en, [{ path: 'note', message: CPR_MESSAGE.en }]);
  const contract = await contractCovering(ctx.db, networkId, providerId, month);
  if (!contract || !commitmentsOf(contract.current).some((c) => c.id === commitmentId)) {
    throw new AppError('not_found', `The contract covering ${month} has no such commitment.`);
  }
  const row = await writeOnce(() =>
    ctx.db.transaction().execute(async (trx) => {
      const before = await findCommitmentRecord(trx, contract.contract.id, commitmentId, month);
      const at = now.toISOString();
      if (before) {
        const after: CommitmentRecordRow = { ...before, status: input.status, note: input.note, recorded_by: who.userId, recorded_at: at };
        await updateCommitmentRecord(trx, before.id, { status: after.status, note: after.note, recorded_by: after.recorded_by, recorded_at: at });
        await audit(trx, ctx, who, networkId, 'commitment.change', after.id, before, after);
        return after;
      }
      const created: CommitmentRecordRow = {
        id: ctx.newId(),
        network_id: networkId,
        provider_id: providerId,
        contract_id: contract.contract.id,
        commitment_id: commitmentId,
        month,
        status: input.status,
        note: input.note,
        recorded_by: who.userId,
        recorded_at: at,
        response: null,
        responded_by: null,
        responded_at: null,
      };
      await insertCommitmentRecord(trx, created);
      await audit(trx, ctx, who, networkId, 'commitment.record', created.id, undefined, created);
      return created;
    }),
  );
  return recordDto(row, await userNames(ctx.db, [row.recorded_by, ...(row.responded_by ? [row.responded_by] : [])]));
}

/** The provider's own answer to the host's record (a later answer replaces it; both are in the audit log). */
export async function respondToCommitment(
  ctx: AppContext,
  who: Who,
  target: { networkId: string; providerId: string; commitmentId: string; month: string },
  input: CommitmentResponseInput,
): Promise<CommitmentRecord> {
  const { networkId, providerId, commitmentId, month } = target;
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  if (!can(who.actor, { action: 'commitment.respond', networkId, providerId })) {
    throw new AppError('forbidden', "Only the provider's own members respond to its commitment records.");
  }
  if (containsCpr(input.response)) throw new AppError('validation_failed', CPR_MESSAGE.en, [{ path: 'response', message: CPR_MESSAGE.en }]);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = (await commitmentRecordsOfMonth(trx, networkId, providerId, month)).find((r) => r.commitment_id === commitmentId);
    if (!before) throw new AppError('conflict', `The host has not recorded this commitment for ${month} yet, so there is nothing to respond to.`);
    const at = ctx.now().toISOString();
    const after: CommitmentRecordRow = { ...before, response: input.response, responded_by: who.userId, responded_at: at };
    await updateCommitmentRecord(trx, before.id, { response: after.response, responded_by: who.userId, responded_at: at });
    await audit(trx, ctx, who, networkId, 'commitment.respond', after.id, before, after);
    return after;
  });
  return recordDto(row, await userNames(ctx.db, [row.recorded_by, who.userId]));
}

function recordDto(r: CommitmentRecordRow, names: Map<string, string>): CommitmentRecord {
  return {
    id: r.id,
    status: r.status,
    note: r.note,
    recordedBy: { id: r.recorded_by, name: names.get(r.recorded_by) ?? '' },
    recordedAt: r.recorded_at,
    response: r.response !== null && r.responded_by && r.responded_at ? { text: r.response, by: { id: r.responded_by, name: names.get(r.responded_by) ?? '' }, at: r.responded_at } : null,
  };
}

/** Two hosts recording the same commitment at once: the second insert hits the unique key; say so. */
async function writeOnce<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const code = String((err as { code?: unknown })?.code ?? '');
    if (code === '23505' || code.startsWith('SQLITE_CONSTRAINT')) throw new AppError('conflict', 'Someone recorded this commitment at the same moment; reload and try again.');
    throw err;
  }
}

async function audit(trx: Kysely<Database>, ctx: AppContext, who: Who, networkId: string, action: string, subjectId: string, before: unknown, after: unknown) {
  await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: who.userId, action, subjectType: 'commitment', subjectId, before, after });
}
