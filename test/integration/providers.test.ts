// The providers of a network through the API: the host adds one (new, or by CVR the organisation that
// already serves another network), ends its period and lets it rejoin with the history kept, edits an
// organisation only while no other network shares it, and keeps the joining checklist; members read
// the list, only the host changes it, and a refusal stores nothing — on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copenhagenMonth, addMonths } from '../../domain/time.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example'; // provider 1
const VIEWER = 'viewer@jobcenter.example';
const OTHER_HOST = 'host@sydby.example';

interface Summary {
  id: string;
  name: string;
  shortName: string;
  cvr: string | null;
  status: string;
  periods: Array<{ fromMonth: string | null; lastMonth: string | null }>;
  shared: boolean;
  hasRunningContract: boolean | null;
  activeMembers: number;
  checklistMissing: string[] | null;
}

interface Checklist {
  interviewOn: string | null;
  interviewNotes: string;
  references: Array<{ who: string; checkedOn: string; outcome: string }>;
  contractId: string | null;
  startDate: string | null;
  firstVisitOn: string | null;
  missing: string[];
}

const CPR = 'Borgeren 010190-1234 var med';

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`a network's providers on ${dialect}`, () => {
    let server: TestServer;
    let seeded: string[];
    let cookies = new Map<string, Promise<string>>();
    const cookieOf = (email: string) => {
      if (!cookies.has(email)) cookies.set(email, server.login(email));
      return cookies.get(email)!;
    };
    /** Sets the server's clock (sessions expire by it, so everyone signs in afresh). */
    const clock = (iso: string) => {
      server.ctx.now = () => new Date(iso);
      cookies = new Map();
    };
    const realClock = () => {
      server.ctx.now = () => new Date();
      cookies = new Map();
    };
    const net = () => `/api/networks/${server.networkId}`;
    const call = async (email: string, path: string, init: { method?: string; body?: unknown } = {}) =>
      server.api(path, { method: init.method ?? 'GET', cookie: await cookieOf(email), body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const listOf = async (email: string, networkPath = net()) => {
      const res = await call(email, `${networkPath}/providers`);
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { providers: Summary[] }).providers;
    };
    const add = async (body: unknown, networkPath = net()) => {
      const res = await call(HOST, `${networkPath}/providers`, { method: 'POST', body });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const patch = (email: string, providerId: string, body: unknown) => call(email, `${net()}/providers/${providerId}`, { method: 'PATCH', body });
    const auditOf = async (action: string) => {
      const rows = await server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('at').execute();
      return rows.map((r) => ({ subject: r.subject_id, before: r.before_json && JSON.parse(r.before_json), after: r.after_json && JSON.parse(r.after_json) }));
    };
    const counts = async () => ({
      organisations: Number((await server.ctx.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      networkProviders: Number((await server.ctx.db.selectFrom('network_providers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      periods: Number((await server.ctx.db.selectFrom('earlier_provider_periods').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      checklists: Number((await server.ctx.db.selectFrom('provider_checklists').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });
    const newNetwork = async (name: string) => {
      const res = await call(HOST, '/api/networks', { method: 'POST', body: { name, targetGroup: 'Ledige', activationRequirementPct: 30, meetingCadenceMonths: 2, minCitizensToRate: 5 } });
      expect(res.status, await res.clone().text()).toBe(201);
      return `/api/networks/${((await res.json()) as { id: string }).id}`;
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      seeded = await server.providerIds();
      // A second jobcenter with its own network and host.
      const { db } = server.ctx;
      const at = new Date().toISOString();
      await db.insertInto('organisations').values({ id: 'prv-jc-2', kind: 'jobcenter', name: 'Jobcenter Sydby', short_name: 'Sydby', cvr: null, created_at: at }).execute();
      await db.insertInto('networks').values({ id: 'prv-net-2', name: 'Sydby netværk', host_organisation_id: 'prv-jc-2', target_group: 'x', meeting_cadence_months: 1, activation_requirement_pct: 40, created_at: at }).execute();
      const hash = (await db.selectFrom('users').select('password_hash').where('email', '=', HOST).executeTakeFirstOrThrow()).password_hash;
      await db.insertInto('users').values({ id: 'prv-u-2', email: OTHER_HOST, name: 'Sydby Host', password_hash: hash, locale: 'da', created_at: at, disabled_at: null }).execute();
      await db.insertInto('memberships').values({ id: 'prv-m-2', user_id: 'prv-u-2', network_id: 'prv-net-2', role: 'host', organisation_id: 'prv-jc-2', created_at: at }).execute();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('seeded providers (no period recorded) are active with running contracts; a provider sees its own contract status only, a viewer none, and neither the checklist', async () => {
      const asHost = await listOf(HOST);
      expect(asHost.map((p) => p.id)).toEqual(seeded);
      for (const p of asHost) {
        expect(p).toMatchObject({ status: 'active', periods: [{ fromMonth: null, lastMonth: null }], shared: false, hasRunningContract: true });
        expect(p.checklistMissing).toEqual(expect.any(Array));
      }
      expect(asHost[0].activeMembers).toBe(2); // Anna and Carl

      const asAnna = await listOf(ANNA);
      expect(asAnna.map((p) => [p.id === seeded[0] ? p.hasRunningContract : p.hasRunningContract === null, p.checklistMissing])).toEqual(seeded.map(() => [true, null]));
      const asViewer = await listOf(VIEWER);
      expect(asViewer.every((p) => p.hasRunningContract === null && p.checklistMissing === null)).toBe(true);
      expect((await call(OTHER_HOST, `${net()}/providers`)).status).toBe(403);

      // The network overview still lists every seeded provider.
      const detail = (await (await call(HOST, net())).json()) as { providers: Array<{ id: string }> };
      expect(detail.providers.map((p) => p.id)).toEqual(seeded);
    });

    it('the host adds a new provider last in the list, or one joining later; only the host, and a bad or CPR-bearing name stores nothing', async () => {
      const thisMonth = copenhagenMonth(new Date());
      const id = await add({ name: 'Kompas Beskæftigelse ApS', shortName: 'Kompas', cvr: '1234 5678' });
      const later = await add({ name: 'Senere Start ApS', shortName: 'Senere', fromMonth: addMonths(thisMonth, 2) });
      const list = await listOf(HOST);
      expect(list.slice(-2).map((p) => p.id)).toEqual([id, later]);
      expect(list.find((p) => p.id === id)).toMatchObject({ name: 'Kompas Beskæftigelse ApS', shortName: 'Kompas', cvr: '12345678', status: 'active', hasRunningContract: false, activeMembers: 0 });
      expect(list.find((p) => p.id === later)).toMatchObject({ status: 'joining', periods: [{ fromMonth: addMonths(thisMonth, 2), lastMonth: null }] });
      expect(await auditOf('provider.add')).toEqual(
        expect.arrayContaining([{ subject: id, before: null, after: { existingOrganisation: false, name: 'Kompas Beskæftigelse ApS', shortName: 'Kompas', cvr: '12345678', fromMonth: null } }]),
      );

      const before = await counts();
      for (const [email, body, status] of [
        [ANNA, { name: 'Egen ApS', shortName: 'Egen' }, 403],
        [VIEWER, { name: 'Egen ApS', shortName: 'Egen' }, 403],
        [OTHER_HOST, { name: 'Egen ApS', shortName: 'Egen' }, 403],
        [HOST, { name: '', shortName: 'Tom' }, 422],
        [HOST, { name: 'Forkert CVR', shortName: 'CVR', cvr: '1234' }, 422],
        [HOST, { name: CPR, shortName: 'CPR' }, 422],
        [HOST, { name: 'Fin ApS', shortName: 'Fin', fromMonth: '2026-13' }, 422],
      ] as const) {
        const res = await call(email, `${net()}/providers`, { method: 'POST', body });
        expect(res.status, `${email} ${JSON.stringify(body)}`).toBe(status);
        if (status === 422) expect(((await res.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.length).toBeGreaterThan(0);
      }
      const cpr = await call(HOST, `${net()}/providers`, { method: 'POST', body: { name: CPR, shortName: 'CPR' } });
      expect(((await cpr.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path)).toEqual(['name']);
      expect(await counts()).toEqual(before);
    });

    it('by CVR an organisation serving another network joins as itself, shared in both; twice in one network is 409; a shared organisation is edited by its administrator, not a host', async () => {
      const other = await newNetwork('Andet netværk');
      const id = await add({ name: 'Fælles Rekruttering A/S', shortName: 'Fælles', cvr: '87654321' });
      // The second network names it differently; the organisation keeps its own name and staff.
      const again = await add({ name: 'Et andet navn', shortName: 'Andet', cvr: '87 65 43 21' }, other);
      expect(again).toBe(id);
      expect((await listOf(HOST, other)).find((p) => p.id === id)).toMatchObject({ name: 'Fælles Rekruttering A/S', shared: true });
      expect((await listOf(HOST)).find((p) => p.id === id)).toMatchObject({ shared: true });

      const before = await counts();
      const duplicate = await call(HOST, `${net()}/providers`, { method: 'POST', body: { name: 'Igen', shortName: 'Igen', cvr: '87654321' } });
      expect(duplicate.status).toBe(409);
      const edit = await patch(HOST, id, { name: 'Nyt navn A/S' });
      expect(edit.status).toBe(409);
      expect(((await edit.json()) as { error: { message: string } }).error.message).toMatch(/provider administrator/);
      // A jobcenter's CVR is not a provider to add.
      await server.ctx.db.updateTable('organisations').set({ cvr: '11112222' }).where('id', '=', 'prv-jc-2').execute();
      expect((await call(HOST, `${net()}/providers`, { method: 'POST', body: { name: 'Sydby', shortName: 'S', cvr: '11112222' } })).status).toBe(409);
      expect(await counts()).toEqual(before);

      // Its provider administrator edits it (Anna is made administrator of a membership in the shared organisation).
      await server.ctx.db.updateTable('memberships').set({ organisation_id: id, provider_admin: 1 }).where('user_id', '=', (await server.ctx.db.selectFrom('users').select('id').where('email', '=', ANNA).executeTakeFirstOrThrow()).id).execute();
      cookies = new Map();
      const byAdmin = await patch(ANNA, id, { name: 'Nyt navn A/S' });
      expect(byAdmin.status, await byAdmin.clone().text()).toBe(200);
      expect((await byAdmin.json()) as Summary).toMatchObject({ name: 'Nyt navn A/S', shortName: 'Fælles' });
      // … but not its period, which is the host's.
      expect((await patch(ANNA, id, { lastMonth: addMonths(copenhagenMonth(new Date()), 3) })).status).toBe(403);
      await server.ctx.db.updateTable('memberships').set({ organisation_id: seeded[0], provider_admin: 0 }).where('organisation_id', '=', id).execute();
      cookies = new Map();
    });

    it('the host edits an unshared organisation, audited before → after; a CVR that belongs to another is 409; a plain provider member is refused', async () => {
      const id = await add({ name: 'Egen Vej ApS', shortName: 'Egen Vej' });
      const res = await patch(HOST, id, { shortName: 'EgenVej', cvr: '22223333' });
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await res.json()) as Summary).toMatchObject({ name: 'Egen Vej ApS', shortName: 'EgenVej', cvr: '22223333' });
      expect((await auditOf('provider.update')).filter((a) => a.subject === id)).toEqual([{ subject: id, before: { shortName: 'Egen Vej', cvr: null }, after: { shortName: 'EgenVej', cvr: '22223333' } }]);

      expect((await patch(HOST, id, { cvr: '12345678' })).status).toBe(409);
      expect((await patch(ANNA, id, { name: 'Overtaget' })).status).toBe(403);
      expect((await patch(VIEWER, id, { name: 'Overtaget' })).status).toBe(403);
      expect((await patch(OTHER_HOST, id, { name: 'Overtaget' })).status).toBe(403);
      expect((await patch(HOST, id, { name: CPR })).status).toBe(422);
      expect((await patch(HOST, 'no-such-provider', { name: 'X' })).status).toBe(404);
      expect((await patch(HOST, id, {})).status).toBe(422);
      expect((await listOf(HOST)).find((p) => p.id === id)).toMatchObject({ name: 'Egen Vej ApS', cvr: '22223333' });
    });

    it('a provider leaves after its last month and rejoins in a new period; the history keeps both; closed periods and early months are refused', async () => {
      clock('2031-03-10T10:00:00Z');
      const id = await add({ name: 'Skiftende ApS', shortName: 'Skiftende', fromMonth: '2031-01' });
      expect((await patch(HOST, id, { rejoinFromMonth: '2031-09' })).status).toBe(409); // it has not left
      expect((await patch(HOST, id, { lastMonth: '2031-02' })).status).toBe(422); // already past
      expect((await patch(HOST, id, { lastMonth: '2030-12' })).status).toBe(422); // before the first month too

      const leaving = await patch(HOST, id, { lastMonth: '2031-04' });
      expect(leaving.status, await leaving.clone().text()).toBe(200);
      expect((await leaving.json()) as Summary).toMatchObject({ status: 'leaving', periods: [{ fromMonth: '2031-01', lastMonth: '2031-04' }] });
      // Not yet past: the host may still change their mind.
      expect(((await (await patch(HOST, id, { lastMonth: null })).json()) as Summary).status).toBe('active');
      expect((await patch(HOST, id, { lastMonth: '2031-04' })).status).toBe(200);

      clock('2031-05-02T10:00:00Z');
      expect((await listOf(HOST)).find((p) => p.id === id)).toMatchObject({ status: 'left' });
      const before = await counts();
      expect((await patch(HOST, id, { lastMonth: null })).status).toBe(409); // the period is closed
      expect((await patch(HOST, id, { lastMonth: '2031-08' })).status).toBe(409);
      const early = await patch(HOST, id, { rejoinFromMonth: '2031-04' });
      expect(early.status).toBe(422);
      expect(((await early.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path)).toEqual(['rejoinFromMonth']);
      expect((await patch(ANNA, id, { rejoinFromMonth: '2031-06' })).status).toBe(403);
      expect(await counts()).toEqual(before);

      const back = await patch(HOST, id, { rejoinFromMonth: '2031-06' });
      expect(back.status, await back.clone().text()).toBe(200);
      expect((await back.json()) as Summary).toMatchObject({
        status: 'joining',
        periods: [
          { fromMonth: '2031-06', lastMonth: null },
          { fromMonth: '2031-01', lastMonth: '2031-04' },
        ],
      });
      expect((await auditOf('provider.leave')).filter((a) => a.subject === id).map((a) => [a.before, a.after])).toEqual([
        [{ lastMonth: null }, { lastMonth: '2031-04' }],
        [{ lastMonth: '2031-04' }, { lastMonth: null }],
        [{ lastMonth: null }, { lastMonth: '2031-04' }],
      ]);
      expect((await auditOf('provider.rejoin')).filter((a) => a.subject === id)).toEqual([
        { subject: id, before: { fromMonth: '2031-01', lastMonth: '2031-04' }, after: { fromMonth: '2031-06', lastMonth: null } },
      ]);
      realClock();
    });

    it('the joining checklist shows what is missing until the interview, references, a contract and a first visit by the start date are in', async () => {
      // Visits are logged once they have taken place, so the clock stands a few days into the first month.
      clock('2031-03-10T10:00:00Z');
      const start = '2031-03';
      const id = await add({ name: 'Ny Start ApS', shortName: 'Ny Start', fromMonth: start });
      const path = `${net()}/providers/${id}/checklist`;
      const first = (await (await call(HOST, path)).json()) as Checklist;
      expect(first).toMatchObject({ interviewOn: null, references: [], contractId: null, startDate: `${start}-01`, firstVisitOn: null, missing: ['interview', 'references', 'contract', 'firstVisit'] });

      const before = await counts();
      for (const body of [
        { interviewOn: '2026-11-20', interviewNotes: CPR, references: [] },
        { interviewOn: '2026-11-20', interviewNotes: 'Fint', references: [{ who: 'Jobcenter Vest', checkedOn: '2026-11-21', outcome: CPR }] },
        { interviewOn: '2026-11-31', interviewNotes: 'Fint', references: [] },
      ]) {
        expect((await call(HOST, path, { method: 'PUT', body })).status).toBe(422);
      }
      for (const email of [ANNA, VIEWER, OTHER_HOST]) {
        expect((await call(email, path)).status).toBe(403);
        expect((await call(email, path, { method: 'PUT', body: { interviewOn: null, interviewNotes: '', references: [] } })).status).toBe(403);
      }
      expect((await call(HOST, `${net()}/providers/no-such/checklist`)).status).toBe(404);
      expect(await counts()).toEqual(before);

      const body = {
        interviewOn: '2026-11-20',
        interviewNotes: 'Hvordan de løser opgaven, og hvad de gør, hvis noget ikke fungerer.',
        references: [{ who: 'Jobcenter Vest', checkedOn: '2026-11-21', outcome: 'Gode erfaringer' }],
      };
      const saved = await call(HOST, path, { method: 'PUT', body });
      expect(saved.status, await saved.clone().text()).toBe(200);
      expect((await saved.json()) as Checklist).toMatchObject({ ...body, missing: ['contract', 'firstVisit'] });
      expect((await auditOf('provider.checklist')).filter((a) => a.subject === id)).toEqual([{ subject: id, before: null, after: body }]);

      // The contract and the first visit come from their own records; a visit after the start does not count.
      const contract = await call(HOST, `${net()}/providers/${id}/contracts`, { method: 'POST', body: { periodStart: `${start}-01`, periodEnd: `${addMonths(start, 11)}-28`, terms: { model: 'fixed', priceOre: 100_000 } } });
      expect(contract.status, await contract.clone().text()).toBe(201);
      const late = await call(HOST, `${net()}/providers/${id}/supervision`, { method: 'POST', body: { visitDate: `${start}-05`, kind: 'startup', findings: 'Sent.' } });
      expect(late.status, await late.clone().text()).toBe(201);
      expect(((await (await call(HOST, path)).json()) as Checklist).missing).toEqual(['firstVisit']);
      await call(HOST, `${net()}/providers/${id}/supervision`, { method: 'POST', body: { visitDate: `${start}-01`, kind: 'startup', findings: 'Første dag.' } });
      const done = (await (await call(HOST, path)).json()) as Checklist;
      expect(done).toMatchObject({ contractId: expect.any(String), firstVisitOn: `${start}-01`, missing: [] });
      expect((await listOf(HOST)).find((p) => p.id === id)?.checklistMissing).toEqual([]);
      realClock();
    });
  });
}
