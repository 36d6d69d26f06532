// Effective-dated contracts: every version says from which month it governs the money
// (`effective_from`, 'YYYY-MM'), and a contract gets the name and running number a statement
// letter refers to. Existing versions take effect from the month they were written in (never
// before their period): that is when the host meant them to apply. Contracts of one provider whose
// periods overlap are reported here; statements for the overlapping months carry a warning until a
// host ends one. Frozen once landed: later changes are new migrations.
import type { Kysely } from 'kysely';

const monthInCopenhagen = (iso: string) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).format(new Date(iso));

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contracts').addColumn('name', 'text').execute();
  await db.schema.alterTable('contracts').addColumn('number', 'text').execute();
  await db.schema.alterTable('contract_versions').addColumn('effective_from', 'text').execute();

  const contracts = await db
    .selectFrom('contracts')
    .innerJoin('organisations', 'organisations.id', 'contracts.provider_id')
    .select(['contracts.id', 'contracts.network_id', 'contracts.provider_id', 'contracts.created_at', 'organisations.name as provider_name'])
    .orderBy('contracts.created_at')
    .orderBy('contracts.id')
    .execute();
  const versions = await db.selectFrom('contract_versions').selectAll().orderBy('version').execute();
  const counters = new Map<string, number>();
  const coverage: Array<{ id: string; number: string; networkId: string; providerId: string; start: string; end: string }> = [];
  for (const c of contracts) {
    const mine = versions.filter((v) => v.contract_id === c.id);
    const latest = mine[mine.length - 1];
    if (!latest) continue;
    const seq = (counters.get(c.network_id) ?? 0) + 1;
    counters.set(c.network_id, seq);
    const number = `K-${String(c.created_at).slice(0, 4)}-${String(seq).padStart(3, '0')}`;
    const years = [String(latest.period_start).slice(0, 4), String(latest.period_end).slice(0, 4)];
    const name = `${c.provider_name} ${years[0] === years[1] ? years[0] : `${years[0]}–${years[1]}`}`;
    await db.updateTable('contracts').set({ name, number }).where('id', '=', c.id).execute();
    for (const v of mine) {
      const periodMonth = String(v.period_start).slice(0, 7);
      const writtenMonth = monthInCopenhagen(String(v.created_at));
      const effective = v.version === 1 || writtenMonth < periodMonth ? periodMonth : writtenMonth;
      await db.updateTable('contract_versions').set({ effective_from: effective }).where('contract_id', '=', c.id).where('version', '=', v.version).execute();
    }
    const end = latest.ended_on && latest.ended_on < latest.period_end ? latest.ended_on : latest.period_end;
    coverage.push({ id: c.id, number, networkId: c.network_id, providerId: c.provider_id, start: latest.period_start, end });
  }
  await db.schema.createIndex('contracts_number_uq').on('contracts').columns(['network_id', 'number']).unique().execute();

  for (const [i, a] of coverage.entries()) {
    for (const b of coverage.slice(i + 1)) {
      if (a.networkId === b.networkId && a.providerId === b.providerId && a.start <= b.end && b.start <= a.end) {
        console.warn(`[migration] contracts ${a.number} and ${b.number} of provider ${a.providerId} overlap; statements for the shared months carry a warning until one is ended`);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contracts_number_uq').execute();
  await db.schema.alterTable('contract_versions').dropColumn('effective_from').execute();
  await db.schema.alterTable('contracts').dropColumn('number').execute();
  await db.schema.alterTable('contracts').dropColumn('name').execute();
}
