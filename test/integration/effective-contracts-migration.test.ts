// The migration that dates contract versions: contracts stored before it get a name and a running
// number, each version the month it takes effect from (the month it was written, never before its
// period), and overlapping contracts of one provider are reported.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { down, up } from '../../db/migrations/20261207T0300_effective_contracts.ts';
import { seedDemo } from '../../db/seed.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { storedVersionRow } from '../helpers/contracts.ts';

let counter = 0;
const newId = () => `id-${++counter}`;

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`dating contract versions on ${dialect}`, () => {
    let database: TestDatabase;
    let warnings: string[];
    let providerId: string;

    beforeAll(async () => {
      database = await freshDatabase(dialect);
      const db = database.db;
      const { networkId } = await seedDemo(db, { now: new Date('2026-11-23T10:00:00Z'), newId, hashPassword: async () => 'not-a-real-hash' });
      // Back to the tables as they were before the migration, then a contract written the old way.
      await down(db as never);
      providerId = (await db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
      const hostId = (await db.selectFrom('users').select('id').where('email', '=', 'host@jobcenter.example').executeTakeFirstOrThrow()).id;
      const legacy = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      await legacy.insertInto('contracts').values({ id: 'old', network_id: networkId, provider_id: providerId, created_by: hostId, created_at: '2026-11-30T09:00:00.000Z' }).execute();
      const version = (n: number, createdAt: string) =>
        storedVersionRow('old', hostId, createdAt, { version: n, period_start: '2026-03-01', period_end: '2027-02-28', price_ore: 1_000_000 + n, reason: n === 1 ? null : 'ændret' });
      // Written before its period began, then in June, then on 31 October at 23:30 UTC (1 November in Copenhagen).
      for (const [n, at] of [
        [1, '2026-01-15T10:00:00.000Z'],
        [2, '2026-06-10T10:00:00.000Z'],
        [3, '2026-10-31T23:30:00.000Z'],
      ] as const) {
        await legacy.insertInto('contract_versions').values(version(n, at)).execute();
      }
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      await up(db as never);
      warnings = warn.mock.calls.map((c) => String(c[0]));
      warn.mockRestore();
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('gives every contract a name and a running number, unique within its network', async () => {
      const contracts = await database.db.selectFrom('contracts').select(['id', 'name', 'number', 'network_id']).execute();
      expect(contracts.every((c) => /^K-\d{4}-\d{3}$/.test(c.number) && c.name.length > 3)).toBe(true);
      expect(new Set(contracts.map((c) => `${c.network_id}/${c.number}`)).size).toBe(contracts.length);
      const old = contracts.find((c) => c.id === 'old')!;
      expect(old.name).toBe('Karrierebroen ApS 2026–2027');
      expect(old.number).toBe(`K-2026-${String(contracts.length).padStart(3, '0')}`); // registered last
    });

    it('dates each version from the month it was written in Copenhagen, never before its period', async () => {
      const versions = await database.db.selectFrom('contract_versions').select(['version', 'effective_from']).where('contract_id', '=', 'old').orderBy('version').execute();
      expect(versions.map((v) => v.effective_from)).toEqual(['2026-03', '2026-06', '2026-11']);
    });

    it('reports contracts of one provider that overlap', async () => {
      const old = (await database.db.selectFrom('contracts').select('number').where('id', '=', 'old').executeTakeFirstOrThrow()).number;
      const seeded = (await database.db.selectFrom('contracts').select('number').where('provider_id', '=', providerId).where('id', '!=', 'old').executeTakeFirstOrThrow()).number;
      expect(warnings).toEqual([expect.stringContaining(`contracts ${seeded} and ${old}`)]);
    });
  });
}
