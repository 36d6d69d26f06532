// Commitments and documentation deadlines through the API, on SQLite and PostgreSQL: the host records
// each promise per month, the provider responds, a provider never sees another's, viewers are refused,
// every change is audited before → after; overdue reports per the contract's deadline day, also on the
// meeting preparation board.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copenhagenMonth } from '../../domain/time.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example'; // provider 1
const BO = 'bo@provider2.example'; // provider 2
const VIEWER = 'viewer@jobcenter.example';

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`commitments and deadlines on ${dialect}`, () => {
    let server: TestServer;
    let providers: string[];
    let month: string;
    let commitmentIds: string[];
    const base = () => `/api/networks/${server.networkId}/providers`;
    const call = async (who: string, path: string, method = 'GET', body?: unknown) =>
      server.api(path, { method, cookie: await server.as(who), body: body === undefined ? undefined : JSON.stringify(body) });

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      providers = await server.providerIds();
      month = previousMonth(copenhagenMonth(server.ctx.now()));
    });
    afterAll(async () => {
      await server?.close();
    });

    it("lists a month's commitments from the provider's contract, to the host and the provider itself", async () => {
      const res = await call(HOST, `${base()}/${providers[0]}/commitments?month=${month}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ providerId: providers[0], month, contract: { version: 1 } });
      expect(body.commitments).toHaveLength(3);
      expect(body.commitments.every((c: { record: unknown; inCurrentTerms: boolean }) => c.record === null && c.inCurrentTerms)).toBe(true);
      commitmentIds = body.commitments.map((c: { id: string }) => c.id);
      expect((await call(ANNA, `${base()}/${providers[0]}/commitments?month=${month}`)).status).toBe(200);
    });

    it('the host records met / partly / not met with a note; a change rewrites the record and both are audited', async () => {
      const url = (i: number) => `${base()}/${providers[0]}/commitments/${commitmentIds[i]}/${month}`;
      const met = await call(HOST, url(0), 'PUT', { status: 'met' });
      expect(met.status).toBe(200);
      expect(await met.json()).toMatchObject({ status: 'met', note: '', recordedBy: { name: 'Helle Jobcenter' }, response: null });
      // Partly or not met needs a note saying what was missing.
      const noNote = await call(HOST, url(1), 'PUT', { status: 'partly' });
      expect(noNote.status).toBe(422);
      expect((await noNote.json()).error.issues.map((i: { path: string }) => i.path)).toContain('note');
      expect((await call(HOST, url(1), 'PUT', { status: 'partly', note: 'Kun 7 af 10 stikprøver havde samtale inden 5 hverdage' })).status).toBe(200);
      expect((await call(HOST, url(2), 'PUT', { status: 'not_met', note: 'Ingen opgørelse modtaget' })).status).toBe(200);
      const changed = await call(HOST, url(0), 'PUT', { status: 'partly', note: 'Aktiveringsandelen var 28 %' });
      expect(await changed.json()).toMatchObject({ status: 'partly', note: 'Aktiveringsandelen var 28 %' });

      const body = await (await call(HOST, `${base()}/${providers[0]}/commitments?month=${month}`)).json();
      expect(body.commitments.map((c: { record: { status: string } }) => c.record.status)).toEqual(['partly', 'partly', 'not_met']);

      const audit = await server.ctx.db.selectFrom('audit_log').select(['action', 'subject_type', 'actor_user_id', 'before_json', 'after_json']).where('subject_type', '=', 'commitment').orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['commitment.record', 'commitment.record', 'commitment.record', 'commitment.change']);
      const change = audit[3];
      expect(JSON.parse(change.before_json!)).toMatchObject({ status: 'met', note: '' });
      expect(JSON.parse(change.after_json!)).toMatchObject({ status: 'partly', note: 'Aktiveringsandelen var 28 %' });
      expect(audit[0].before_json).toBeNull();
    });

    it('only the host records; the month must have begun; the commitment must be in the contract; no CPR numbers', async () => {
      const url = `${base()}/${providers[0]}/commitments/${commitmentIds[0]}/${month}`;
      for (const who of [ANNA, BO, VIEWER]) expect((await call(who, url, 'PUT', { status: 'met' })).status, who).toBe(403);
      const future = `${base()}/${providers[0]}/commitments/${commitmentIds[0]}/2999-01`;
      expect((await call(HOST, future, 'PUT', { status: 'met' })).status).toBe(422);
      expect((await call(HOST, `${base()}/${providers[0]}/commitments/no-such-promise/${month}`, 'PUT', { status: 'met' })).status).toBe(404);
      // Provider 2's commitment is not provider 1's.
      const bosCommitment = (await (await call(HOST, `${base()}/${providers[1]}/commitments?month=${month}`)).json()).commitments[0].id;
      expect((await call(HOST, `${base()}/${providers[0]}/commitments/${bosCommitment}/${month}`, 'PUT', { status: 'met' })).status).toBe(404);
      const cpr = await call(HOST, url, 'PUT', { status: 'not_met', note: 'Borger 010190-1234 fik ingen samtale' });
      expect(cpr.status).toBe(422);
      expect((await cpr.json()).error.issues[0].path).toBe('note');
      expect((await call(HOST, `${base()}/${providers[0]}/commitments/${commitmentIds[0]}/2026-13`, 'PUT', { status: 'met' })).status).toBe(422);
    });

    it('the provider responds to its own record; the host and other providers cannot; a response is audited', async () => {
      const url = `${base()}/${providers[0]}/commitments/${commitmentIds[1]}/${month}/response`;
      const response = { response: 'Tre samtaler blev flyttet på borgerens ønske; se vores log.' };
      for (const who of [HOST, BO, VIEWER]) expect((await call(who, url, 'POST', response)).status, who).toBe(403);
      expect((await call(ANNA, url, 'POST', { response: 'Se CPR 0101901234' })).status).toBe(422);
      const res = await call(ANNA, url, 'POST', response);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'partly', response: { text: response.response, by: { name: 'Anna Holm' } } });
      // Nothing recorded yet for the month before: nothing to respond to.
      const earlier = previousMonth(month);
      expect((await call(ANNA, `${base()}/${providers[0]}/commitments/${commitmentIds[1]}/${earlier}/response`, 'POST', response)).status).toBe(409);

      const host = await (await call(HOST, `${base()}/${providers[0]}/commitments?month=${month}`)).json();
      expect(host.commitments[1].record.response.text).toBe(response.response);
      const audit = await server.ctx.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'commitment.respond').execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].before_json!).response).toBeNull();
      expect(JSON.parse(audit[0].after_json!).response).toBe(response.response);
    });

    it("a provider never sees another provider's commitments, and viewers see none", async () => {
      expect((await call(BO, `${base()}/${providers[0]}/commitments?month=${month}`)).status).toBe(403);
      expect((await call(VIEWER, `${base()}/${providers[0]}/commitments?month=${month}`)).status).toBe(403);
      const own = await (await call(BO, `${base()}/${providers[1]}/commitments?month=${month}`)).json();
      expect(own.commitments.every((c: { record: unknown }) => c.record === null)).toBe(true);
      expect((await call(HOST, `${base()}/no-such-provider/commitments?month=${month}`)).status).toBe(404);
      expect((await server.api(`${base()}/${providers[0]}/commitments?month=${month}`)).status).toBe(401);
    });

    it('a missing monthly report is overdue after the deadline day: the host sees all, a provider its own, a viewer none', async () => {
      // Provider 2's report two months back is gone; the seeded contracts' deadline day is the 10th, long past.
      const gone = previousMonth(month);
      await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', providers[1]).where('month', '=', gone).execute();
      const [y, m] = gone.split('-').map(Number);
      const dueDate = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-10`;
      const deadlines = async (who: string) => call(who, `/api/networks/${server.networkId}/deadlines`);
      const host = await (await deadlines(HOST)).json();
      expect(host.overdue).toEqual([expect.objectContaining({ providerId: providers[1], providerName: 'Nordlys Job & Kompetence', month: gone, dueDate })]);
      expect(host.overdue[0].daysLeft).toBeLessThan(0);
      expect((await (await deadlines(BO)).json()).overdue.map((d: { month: string }) => d.month)).toEqual([gone]);
      expect((await (await deadlines(ANNA)).json()).overdue).toEqual([]);
      expect((await deadlines(VIEWER)).status).toBe(403);
      // The meeting preparation board shows it too: to the host in the provider's row, to the provider in its own.
      const planned = await server.ctx.db.selectFrom('meetings').select('id').where('network_id', '=', server.networkId).where('status', '=', 'planned').executeTakeFirstOrThrow();
      const board = await (await call(HOST, `/api/meetings/${planned.id}/preparation`)).json();
      const rowOf = (b: { rows: Array<{ providerId: string; overdueReports: unknown[] }> }, id: string) => b.rows.find((r) => r.providerId === id)!;
      expect(rowOf(board, providers[1]).overdueReports).toEqual([{ month: gone, dueDate }]);
      expect(rowOf(board, providers[0]).overdueReports).toEqual([]);
      const own = await (await call(BO, `/api/meetings/${planned.id}/preparation`)).json();
      expect(own.rows.map((r: { providerId: string }) => r.providerId)).toEqual([providers[1]]);
      expect(rowOf(own, providers[1]).overdueReports).toHaveLength(1);
      // Once the report is in, it is no longer overdue.
      const report = { month: gone, referred: 8, active: 40, jobStarts: 3, retained13of26: 1, activationPct: 31, satisfactionMean: 4.1, satisfactionResponses: 10 };
      expect((await call(BO, `${base()}/${providers[1]}/reports`, 'POST', report)).status).toBe(201);
      expect((await (await deadlines(HOST)).json()).overdue).toEqual([]);
    });
  });
}
