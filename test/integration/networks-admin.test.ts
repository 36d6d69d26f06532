// A jobcenter sets up its own network through the API: its staff (hosts) create networks hosted by
// their jobcenter and become their host, the host changes the settings, every change is audited
// before → after, and bad input or the wrong person stores nothing — on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example';
const VIEWER = 'viewer@jobcenter.example';
const OTHER_HOST = 'host@sydby.example';

const SETTINGS = { name: 'Aalborg – unge ledige', targetGroup: 'Unge under 30', activationRequirementPct: 30, meetingCadenceMonths: 2, minCitizensToRate: 5 };

interface ErrorAnswer {
  error: { code: string; issues?: Array<{ path: string; message: string }> };
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`creating and changing networks on ${dialect}`, () => {
    let server: TestServer;
    const cookies = new Map<string, Promise<string>>();
    const cookieOf = (email: string) => {
      if (!cookies.has(email)) cookies.set(email, server.login(email));
      return cookies.get(email)!;
    };
    const call = async (email: string, path: string, init: { method?: string; body?: unknown } = {}) =>
      server.api(path, { method: init.method ?? 'GET', cookie: await cookieOf(email), body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const networkCount = async () => Number((await server.ctx.db.selectFrom('networks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const auditOf = async (networkId: string) =>
      (await server.ctx.db.selectFrom('audit_log').selectAll().where('network_id', '=', networkId).where('action', 'like', 'network.%').orderBy('at').execute()).map((r) => ({
        action: r.action,
        before: r.before_json && JSON.parse(r.before_json),
        after: r.after_json && JSON.parse(r.after_json),
      }));

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      const { db } = server.ctx;
      const at = new Date().toISOString();
      await db.insertInto('organisations').values({ id: 'adm-jc-2', kind: 'jobcenter', name: 'Jobcenter Sydby', short_name: 'Sydby', cvr: null, created_at: at }).execute();
      await db.insertInto('networks').values({ id: 'adm-net-2', name: 'Sydby netværk', host_organisation_id: 'adm-jc-2', target_group: 'x', meeting_cadence_months: 1, activation_requirement_pct: 40, created_at: at }).execute();
      const hash = (await db.selectFrom('users').select('password_hash').where('email', '=', HOST).executeTakeFirstOrThrow()).password_hash;
      await db.insertInto('users').values({ id: 'adm-u-2', email: OTHER_HOST, name: 'Sydby Host', password_hash: hash, locale: 'da', created_at: at, disabled_at: null }).execute();
      await db.insertInto('memberships').values({ id: 'adm-m-2', user_id: 'adm-u-2', network_id: 'adm-net-2', role: 'host', organisation_id: 'adm-jc-2', created_at: at }).execute();
    });
    afterAll(async () => {
      await server?.close();
    });

    it("a host creates a network hosted by their own jobcenter and becomes its host; it is audited and listed among the creator's networks", async () => {
      const res = await call(HOST, '/api/networks', { method: 'POST', body: SETTINGS });
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = (await res.json()) as { id: string };

      const detail = (await (await call(HOST, `/api/networks/${id}`)).json()) as Record<string, unknown> & { host: { name: string }; providers: unknown[]; capabilities: { manageProviders: boolean } };
      expect(detail).toMatchObject({ ...SETTINGS, role: 'host', host: { name: 'Jobcenter Nordby' }, providers: [], capabilities: { manageProviders: true } });
      const mine = (await (await call(HOST, '/api/networks')).json()) as { networks: Array<{ id: string }> };
      expect(mine.networks.map((n) => n.id)).toContain(id);

      // The other jobcenter's host creates one hosted by Sydby, not by the first jobcenter.
      const other = await call(OTHER_HOST, '/api/networks', { method: 'POST', body: { ...SETTINGS, name: 'Sydby unge' } });
      expect(other.status).toBe(201);
      const otherId = ((await other.json()) as { id: string }).id;
      expect(((await (await call(OTHER_HOST, `/api/networks/${otherId}`)).json()) as { host: { name: string } }).host.name).toBe('Jobcenter Sydby');
      expect((await call(HOST, `/api/networks/${otherId}`)).status).toBe(403);

      const [created] = await auditOf(id);
      expect(created).toMatchObject({ action: 'network.create', before: null, after: { ...SETTINGS } });
    });

    it('providers and viewers may not create a network; bad settings answer 422 naming each field; nothing is stored', async () => {
      const before = await networkCount();
      expect((await call(ANNA, '/api/networks', { method: 'POST', body: SETTINGS })).status).toBe(403);
      expect((await call(VIEWER, '/api/networks', { method: 'POST', body: SETTINGS })).status).toBe(403);
      expect((await server.api('/api/networks', { method: 'POST', body: JSON.stringify(SETTINGS) })).status).toBe(401);
      for (const [body, paths] of [
        [{ ...SETTINGS, name: '  ' }, ['name']],
        [{ ...SETTINGS, meetingCadenceMonths: 13, activationRequirementPct: 101 }, ['activationRequirementPct', 'meetingCadenceMonths']],
        [{ ...SETTINGS, minCitizensToRate: 0 }, ['minCitizensToRate']],
        [{ ...SETTINGS, targetGroup: 'Fx 010190-1234' }, ['targetGroup']],
        [{ name: 'Kun et navn' }, ['targetGroup', 'activationRequirementPct', 'meetingCadenceMonths', 'minCitizensToRate']],
      ] as const) {
        const res = await call(HOST, '/api/networks', { method: 'POST', body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        const answer = (await res.json()) as ErrorAnswer;
        expect(answer.error.code).toBe('validation_failed');
        expect(answer.error.issues!.map((i) => i.path).sort()).toEqual([...paths].sort());
      }
      expect(await networkCount()).toBe(before);
    });

    it('the host changes some settings, audited with only what changed; others are refused and bad values store nothing', async () => {
      const networkId = server.networkId;
      const path = `/api/networks/${networkId}`;
      const res = await call(HOST, path, { method: 'PATCH', body: { meetingCadenceMonths: 3, targetGroup: 'Ledige akademikere', name: 'Nordbys netværk for akademikere' } });
      expect(res.status, await res.clone().text()).toBe(200);
      const settings = (await res.json()) as typeof SETTINGS;
      expect(settings).toMatchObject({ meetingCadenceMonths: 3, targetGroup: 'Ledige akademikere', name: 'Nordbys netværk for akademikere' });
      const updates = (await auditOf(networkId)).filter((a) => a.action === 'network.update');
      expect(updates).toHaveLength(1);
      expect(updates[0].after).toEqual({ meetingCadenceMonths: 3, targetGroup: 'Ledige akademikere', name: 'Nordbys netværk for akademikere' });
      expect(Object.keys(updates[0].before).sort()).toEqual(['meetingCadenceMonths', 'name', 'targetGroup']);
      expect(updates[0].before.meetingCadenceMonths).toBe(2);

      // Unchanged values in a change are left out of the entry.
      expect((await call(HOST, path, { method: 'PATCH', body: { meetingCadenceMonths: 3, minCitizensToRate: 7 } })).status).toBe(200);
      expect((await auditOf(networkId)).filter((a) => a.action === 'network.update').at(-1)).toMatchObject({ before: { minCitizensToRate: expect.any(Number) }, after: { minCitizensToRate: 7 } });
      expect(Object.keys((await auditOf(networkId)).at(-1)!.before)).toEqual(['minCitizensToRate']);

      // The same values again change nothing and log nothing.
      expect((await call(HOST, path, { method: 'PATCH', body: { meetingCadenceMonths: 3 } })).status).toBe(200);
      expect((await auditOf(networkId)).filter((a) => a.action === 'network.update')).toHaveLength(2);

      for (const email of [ANNA, VIEWER, OTHER_HOST]) expect((await call(email, path, { method: 'PATCH', body: { name: 'Kapret' } })).status).toBe(403);
      const empty = await call(HOST, path, { method: 'PATCH', body: {} });
      expect(empty.status).toBe(422);
      const bad = await call(HOST, path, { method: 'PATCH', body: { meetingCadenceMonths: 0, name: 'Godt navn' } });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as ErrorAnswer).error.issues!.map((i) => i.path)).toEqual(['meetingCadenceMonths']);
      expect((await call(HOST, path, { method: 'PATCH', body: { name: 'Hos 0101901234' } })).status).toBe(422);
      const now = (await (await call(HOST, path)).json()) as typeof SETTINGS;
      expect(now).toMatchObject({ name: 'Nordbys netværk for akademikere', meetingCadenceMonths: 3, minCitizensToRate: 7 });
    });
  });
}
