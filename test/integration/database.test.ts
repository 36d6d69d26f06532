// The same migrations, seed and constraints hold on embedded SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { DEMO_PROVIDERS, isEmpty, seedDemo } from '../../db/seed.ts';
import { findNetwork } from '../../db/queries/networks.ts';
import { findUserByEmail, membershipsOf } from '../../db/queries/users.ts';
import { hashPassword, verifyPassword } from '../../realtime/auth/password.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { DIALECTS } from '../helpers/dialects.ts';

let counter = 0;
const newId = () => `id-${++counter}`;

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`database on ${dialect}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await freshDatabase(dialect);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('migrations are idempotent: a second run applies nothing', async () => {
      expect(await migrateToLatest(database.db, database.schema)).toEqual([]);
    });

    it('an empty database is seeded with a jobcenter, six providers, a year of reports and three meetings', async () => {
      expect(await isEmpty(database.db)).toBe(true);
      const now = new Date('2026-11-23T10:00:00Z');
      const result = await seedDemo(database.db, { now, newId, hashPassword });
      expect(await isEmpty(database.db)).toBe(false);

      const network = await findNetwork(database.db, result.networkId);
      expect(network?.host.kind).toBe('jobcenter');
      expect(network?.providers.map((p) => p.short_name)).toEqual(DEMO_PROVIDERS.map((p) => p.shortName));
      expect(network?.network.meeting_cadence_months).toBe(2);
      expect(network?.network.activation_requirement_pct).toBe(30);

      const reports = await database.db.selectFrom('monthly_reports').select(['month', 'retained_13_of_26', 'job_starts']).execute();
      expect(reports).toHaveLength(6 * 12);
      const months = [...new Set(reports.map((r) => r.month))].sort();
      expect(months[0]).toBe('2025-11');
      expect(months.at(-1)).toBe('2026-10');
      for (const r of reports) expect(r.retained_13_of_26).toBeLessThanOrEqual(r.job_starts);

      const meetings = await database.db.selectFrom('meetings').select(['status', 'starts_at']).orderBy('starts_at').execute();
      expect(meetings.map((m) => m.status)).toEqual(['closed', 'closed', 'planned']);
      expect(meetings[2].starts_at > now.toISOString()).toBe(true);
    });

    it('demo accounts exist with the documented roles and a hashed password', async () => {
      const anna = await findUserByEmail(database.db, 'ANNA@provider1.example');
      expect(anna).toBeDefined();
      expect(anna!.password_hash).not.toContain('samspil-demo');
      expect(await verifyPassword('samspil-demo', anna!.password_hash)).toBe(true);
      const [m] = await membershipsOf(database.db, anna!.id);
      expect(m.role).toBe('provider');
      const carl = await findUserByEmail(database.db, 'carl@provider1.example');
      const [mc] = await membershipsOf(database.db, carl!.id);
      expect(mc.organisation_id).toBe(m.organisation_id);
      const bo = await findUserByEmail(database.db, 'bo@provider2.example');
      expect((await membershipsOf(database.db, bo!.id))[0].organisation_id).not.toBe(m.organisation_id);
      for (const email of ['host@jobcenter.example', 'viewer@jobcenter.example']) expect(await findUserByEmail(database.db, email)).toBeDefined();
    });

    it('a monthly report version cannot be stored twice (corrections are new versions)', async () => {
      const existing = await database.db.selectFrom('monthly_reports').selectAll().limit(1).executeTakeFirstOrThrow();
      await expect(database.db.insertInto('monthly_reports').values({ ...existing, id: newId() }).execute()).rejects.toThrow();
      await database.db.insertInto('monthly_reports').values({ ...existing, id: newId(), version: 2, reason: 'typo in referred' }).execute();
      const versions = await database.db
        .selectFrom('monthly_reports')
        .select('version')
        .where('provider_id', '=', existing.provider_id)
        .where('month', '=', existing.month)
        .orderBy('version')
        .execute();
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
    });

    it('an email address belongs to one user only', async () => {
      const row = { id: newId(), email: 'host@jobcenter.example', name: 'Dup', password_hash: 'x', locale: 'da' as const, created_at: 'now', disabled_at: null };
      await expect(database.db.insertInto('users').values(row).execute()).rejects.toThrow();
    });
  });
}
