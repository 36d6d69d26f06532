// Supervision visits and the audit log through the API: the host logs visits and follow-ups, the
// visited provider sees and answers its own, no one else sees them, overdue follow-ups follow
// Copenhagen's calendar, and every change lands in an audit log only the host reads — against the
// real server on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_IMMUTABLE_MESSAGE } from '../../db/migrations/20261206T0000_audit_immutable.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example'; // provider 1
const BO = 'bo@provider2.example'; // provider 2
const VIEWER = 'viewer@jobcenter.example';

interface FollowUp {
  id: string;
  visitId: string;
  text: string;
  owner: string;
  dueDate: string;
  status: string;
  overdue: boolean;
}
interface Visit {
  id: string;
  providerId: string;
  status: string;
  findings: string;
  actions: FollowUp[];
  response: { text: string; by: { name: string } } | null;
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`supervision and the audit log on ${dialect}`, () => {
    let server: TestServer;
    let providers: string[];
    const net = () => `/api/networks/${server.networkId}`;
    // Sessions expire by the server's clock, so each setting of the clock signs people in afresh.
    let cookies = new Map<string, Promise<string>>();
    /** Sets the server's clock; the API reads ctx.now on every request. */
    const clock = (iso: string) => {
      server.ctx.now = () => new Date(iso);
      cookies = new Map();
    };
    const cookieOf = (email: string) => {
      if (!cookies.has(email)) cookies.set(email, server.login(email));
      return cookies.get(email)!;
    };
    const call = async (email: string, path: string, init: { method?: string; body?: unknown } = {}) =>
      server.api(net() + path, { method: init.method ?? 'GET', cookie: await cookieOf(email), body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const logVisit = async (providerIndex: number, body: unknown) => {
      const res = await call(HOST, `/providers/${providers[providerIndex]}/supervision`, { method: 'POST', body });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as Visit;
    };
    const visitsOf = async (email: string) => ((await (await call(email, '/supervision')).json()) as { visits: Visit[] }).visits;
    const overdueOf = async (email: string) => ((await (await call(email, '/supervision/overdue')).json()) as { followUps: Array<FollowUp & { providerName: string }> }).followUps;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      providers = await server.providerIds();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('the host logs a visit with follow-ups; the visited provider sees it, answers and closes its own follow-up; another provider, a viewer and providers writing are refused', async () => {
      clock('2026-03-10T10:00:00Z');
      const visit = await logVisit(0, {
        visitDate: '2026-03-02',
        kind: 'startup',
        findings: 'Opstartstilsyn på første dag: lokaler og forløbsplaner i orden.',
        actions: [
          { text: 'Send forløbsplan-skabelon til jobcentret', owner: 'provider', dueDate: '2026-03-31' },
          { text: 'Jobcentret sender kontaktliste', owner: 'host', dueDate: '2026-04-15' },
        ],
      });
      expect(visit).toMatchObject({ providerId: providers[0], kind: 'startup', status: 'open', response: null, createdBy: { name: 'Helle Jobcenter' } });
      expect(visit.actions.map((a) => [a.owner, a.dueDate, a.status, a.overdue])).toEqual([
        ['provider', '2026-03-31', 'open', false],
        ['host', '2026-04-15', 'open', false],
      ]);
      const [providerTask, hostTask] = visit.actions;

      // Provider 1 sees its visit; provider 2 sees none of it and may not touch it; a viewer is refused.
      expect((await visitsOf(ANNA)).map((v) => v.id)).toContain(visit.id);
      expect((await visitsOf(HOST)).map((v) => v.id)).toContain(visit.id);
      expect((await visitsOf(BO)).map((v) => v.id)).not.toContain(visit.id);
      expect((await call(VIEWER, '/supervision')).status).toBe(403);
      expect((await call(VIEWER, '/supervision/overdue')).status).toBe(403);
      expect((await call(BO, `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Ikke vores besøg' } })).status).toBe(403);
      expect((await call(BO, `/supervision/${visit.id}/actions/${providerTask.id}`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(403);
      expect((await call(ANNA, `/providers/${providers[0]}/supervision`, { method: 'POST', body: { visitDate: '2026-03-02', kind: 'announced', findings: 'Selvrapporteret' } })).status).toBe(403);
      expect((await call(ANNA, `/supervision/${visit.id}`, { method: 'PATCH', body: { status: 'closed' } })).status).toBe(403);
      expect((await call(VIEWER, `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Hej' } })).status).toBe(403);
      // The host does not answer for the provider.
      expect((await call(HOST, `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Svar' } })).status).toBe(403);

      const answered = await call(ANNA, `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Skabelonen er sendt; vi følger op på forløbsplanerne.' } });
      expect(answered.status).toBe(200);
      expect(((await answered.json()) as Visit).response).toMatchObject({ text: 'Skabelonen er sendt; vi følger op på forløbsplanerne.', by: { name: 'Anna Holm' } });

      // The provider closes its own follow-up, never the jobcenter's.
      const done = await call(ANNA, `/supervision/${visit.id}/actions/${providerTask.id}`, { method: 'PATCH', body: { status: 'done' } });
      expect(done.status).toBe(200);
      expect(((await done.json()) as Visit).actions.find((a) => a.id === providerTask.id)).toMatchObject({ status: 'done' });
      expect((await call(ANNA, `/supervision/${visit.id}/actions/${hostTask.id}`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(403);

      const changed = await call(HOST, `/supervision/${visit.id}`, {
        method: 'PATCH',
        body: { status: 'closed', addActions: [{ text: 'Opfølgende tilsyn efter tre måneder', owner: 'host', dueDate: '2026-06-02' }] },
      });
      expect(changed.status).toBe(200);
      const closed = (await changed.json()) as Visit;
      expect(closed.status).toBe('closed');
      expect(closed.actions).toHaveLength(3);
      expect((await visitsOf(ANNA)).find((v) => v.id === visit.id)?.status).toBe('closed');
    });

    it('bad input gets 422 naming the field, a CPR number in any text is refused, unknown ids get 404', async () => {
      clock('2026-03-10T10:00:00Z');
      const post = (providerIndex: number, body: unknown) => call(HOST, `/providers/${providers[providerIndex]}/supervision`, { method: 'POST', body });
      const paths = async (res: Response) => [...new Set(((await res.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path))].sort();

      const bad = await post(1, { visitDate: '2026-02-30', kind: 'surprise', findings: '', actions: [{ text: 'x', owner: 'someone', dueDate: 'soon' }] });
      expect(bad.status).toBe(422);
      expect(await paths(bad)).toEqual(['actions.0.dueDate', 'actions.0.owner', 'actions.0.text', 'findings', 'kind', 'visitDate']);

      const future = await post(1, { visitDate: '2026-03-11', kind: 'announced', findings: 'Planlagt besøg' });
      expect(future.status).toBe(422);
      expect(await paths(future)).toEqual(['visitDate']);
      const dueBeforeVisit = await post(1, { visitDate: '2026-03-05', kind: 'announced', findings: 'Besøg', actions: [{ text: 'Ret op', owner: 'provider', dueDate: '2026-03-01' }] });
      expect(await paths(dueBeforeVisit)).toEqual(['actions.0.dueDate']);

      const cpr = await post(1, {
        visitDate: '2026-03-05',
        kind: 'unannounced',
        findings: 'Sag for borger 010190-1234 manglede plan',
        actions: [{ text: 'Ring til cpr 0101901234', owner: 'provider', dueDate: '2026-03-20' }],
      });
      expect(cpr.status).toBe(422);
      const cprIssues = ((await cpr.json()) as { error: { issues: Array<{ path: string; message: string }> } }).error.issues;
      expect(cprIssues.map((i) => i.path)).toEqual(['findings', 'actions.0.text']);
      expect(cprIssues[0].message).toMatch(/CPR/);
      const stored = await server.ctx.db.selectFrom('supervision_visits').select('id').where('provider_id', '=', providers[1]).execute();
      expect(stored).toEqual([]);

      const visit = await logVisit(1, { visitDate: '2026-03-05', kind: 'unannounced', findings: 'Uanmeldt tilsyn: fremmøde registreret korrekt.' });
      const cprAnswer = await call(BO, `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Borgeren 150384-1234 var syg' } });
      expect(cprAnswer.status).toBe(422);
      expect(await paths(cprAnswer)).toEqual(['response']);
      expect((await call(HOST, `/supervision/${visit.id}`, { method: 'PATCH', body: {} })).status).toBe(422);
      expect(await paths(await call(HOST, `/supervision/${visit.id}`, { method: 'PATCH', body: { status: 'finished' } }))).toEqual(['status']);

      expect((await post(1, { visitDate: '2026-03-05', kind: 'announced', findings: 'Besøg', extra: true })).status).toBe(422);
      expect((await call(HOST, '/providers/no-such-provider/supervision', { method: 'POST', body: { visitDate: '2026-03-05', kind: 'announced', findings: 'Besøg' } })).status).toBe(404);
      expect((await call(HOST, '/supervision/no-such-visit', { method: 'PATCH', body: { status: 'closed' } })).status).toBe(404);
      expect((await call(HOST, `/supervision/${visit.id}/actions/no-such-action`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(404);
    });

    it('a follow-up due on the last day of a month is overdue from midnight in Copenhagen, in winter and in summer; done ones never are', async () => {
      clock('2026-01-31T09:00:00Z');
      const winter = await logVisit(2, {
        visitDate: '2026-01-31',
        kind: 'announced',
        findings: 'Tilsyn med aktiveringsgraden.',
        actions: [
          { text: 'Aktiveringsplan for januar', owner: 'provider', dueDate: '2026-01-31' },
          { text: 'Allerede løst', owner: 'provider', dueDate: '2026-01-31' },
        ],
      });
      const [due, solved] = winter.actions;
      expect((await call(HOST, `/supervision/${winter.id}/actions/${solved.id}`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(200);

      // 23:59 on 31 January in Copenhagen (UTC+1) is still the due day.
      clock('2026-01-31T22:59:59Z');
      expect((await overdueOf(HOST)).map((f) => f.id)).not.toContain(due.id);
      // Midnight in Copenhagen: 1 February, a new month, while UTC still says 31 January.
      clock('2026-01-31T23:00:00Z');
      const overdue = await overdueOf(HOST);
      expect(overdue.filter((f) => f.visitId === winter.id)).toEqual([
        expect.objectContaining({ id: due.id, providerName: 'Fjordhuset Rekruttering', dueDate: '2026-01-31', overdue: true }),
      ]);
      expect((await visitsOf(HOST)).find((v) => v.id === winter.id)?.actions.map((a) => a.overdue)).toEqual([true, false]);
      // The provider sees its own overdue follow-up; another provider does not.
      expect((await overdueOf('dorthe@provider3.example')).map((f) => f.id)).toEqual([due.id]);
      expect((await overdueOf(BO)).map((f) => f.id)).not.toContain(due.id);

      // Summer time (UTC+2): the last day of June ends at 22:00 UTC.
      clock('2026-06-30T08:00:00Z');
      const summer = await logVisit(2, { visitDate: '2026-06-30', kind: 'unannounced', findings: 'Sommertilsyn.', actions: [{ text: 'Halvårsstatus', owner: 'host', dueDate: '2026-06-30' }] });
      clock('2026-06-30T21:59:59Z');
      expect((await overdueOf(HOST)).map((f) => f.visitId)).not.toContain(summer.id);
      clock('2026-06-30T22:00:00Z');
      expect((await overdueOf(HOST)).map((f) => f.visitId)).toContain(summer.id);

      // Done is done: it leaves the overdue list at once.
      expect((await call(HOST, `/supervision/${summer.id}/actions/${summer.actions[0].id}`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(200);
      expect((await overdueOf(HOST)).map((f) => f.visitId)).not.toContain(summer.id);
    });

    it('every change is audited before → after; the host browses newest first page by page, filters and exports CSV; no one else reads it and no route changes it', async () => {
      clock('2026-04-01T08:00:00Z');
      const visit = await logVisit(3, { visitDate: '2026-03-31', kind: 'announced', findings: 'Første fund.', actions: [{ text: 'Ret journalføring', owner: 'provider', dueDate: '2026-04-30' }] });
      clock('2026-04-02T08:00:00Z');
      expect((await call(HOST, `/supervision/${visit.id}`, { method: 'PATCH', body: { findings: 'Rettede fund.' } })).status).toBe(200);
      clock('2026-04-03T08:00:00Z');
      expect((await call('emil@provider4.example', `/supervision/${visit.id}/response`, { method: 'POST', body: { response: 'Vi retter journalføringen.' } })).status).toBe(200);
      clock('2026-04-04T08:00:00Z');
      expect((await call('emil@provider4.example', `/supervision/${visit.id}/actions/${visit.actions[0].id}`, { method: 'PATCH', body: { status: 'done' } })).status).toBe(200);

      const log = await server.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where((eb) => eb.or([eb('subject_id', '=', visit.id), eb('subject_id', '=', visit.actions[0].id)]))
        .orderBy('at')
        .execute();
      expect(log.map((e) => e.action)).toEqual(['supervision.create', 'supervision.update', 'supervision.respond', 'supervision.followUp']);
      expect(log[0].before_json).toBeNull();
      expect(JSON.parse(log[0].after_json!).actions).toHaveLength(1);
      expect(JSON.parse(log[1].before_json!).visit.findings).toBe('Første fund.');
      expect(JSON.parse(log[1].after_json!).visit.findings).toBe('Rettede fund.');
      expect(JSON.parse(log[2].before_json!).provider_response).toBeNull();
      expect(JSON.parse(log[2].after_json!).provider_response).toBe('Vi retter journalføringen.');
      expect([JSON.parse(log[3].before_json!).status, JSON.parse(log[3].after_json!).status]).toEqual(['open', 'done']);

      // Browsing: newest first, two at a time, the cursor leading on without repeats or gaps.
      type Page = { entries: Array<{ id: string; at: string; action: string; actor: { name: string } | null; before: unknown; after: unknown }>; nextCursor: string | null; subjectTypes: string[] };
      const filter = '?from=2026-04-01&to=2026-04-04&subjectType=';
      const page = async (query: string) => {
        const res = await call(HOST, `/audit${query}`);
        expect(res.status, await res.clone().text()).toBe(200);
        return (await res.json()) as Page;
      };
      const first = await page(`${filter}&limit=2`);
      expect(first.entries.map((e) => e.action)).toEqual(['supervision.followUp', 'supervision.respond']);
      expect(first.entries[0]).toMatchObject({ actor: { name: 'Emil Sørensen' }, before: { status: 'open' }, after: { status: 'done' } });
      expect(first.subjectTypes).toEqual(expect.arrayContaining(['supervisionFollowUp', 'supervisionVisit']));
      const second = await page(`${filter}&limit=2&cursor=${first.nextCursor}`);
      expect(second.entries.map((e) => e.action)).toEqual(['supervision.update', 'supervision.create']);
      expect(second.nextCursor).toBeNull();
      // Days are Copenhagen days: 2 April alone holds only the change of findings.
      expect((await page('?from=2026-04-02&to=2026-04-02')).entries.map((e) => e.action)).toEqual(['supervision.update']);
      expect((await page('?from=2026-04-01&to=2026-04-04&subjectType=supervisionFollowUp')).entries.map((e) => e.action)).toEqual(['supervision.followUp']);
      expect((await call(HOST, '/audit?limit=0')).status).toBe(422);
      expect((await call(HOST, '/audit?cursor=nonsense')).status).toBe(422);
      expect((await call(HOST, '/audit?from=2026-04-05&to=2026-04-01')).status).toBe(422);

      const csv = await call(HOST, '/audit/export.csv?from=2026-04-01&to=2026-04-04');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      // Danish Excel's CSV: BOM, ';' between cells, CRLF between rows.
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
      expect(lines[0]).toBe('at;actor;action;sentence;subjectType;subjectId;before;after');
      expect(lines).toHaveLength(5);
      expect(lines[1]).toContain('Emil Sørensen;supervision.followUp;Emil Sørensen opdaterede opfølgningspunktet »');
      expect(lines[1]).toContain(': status åben → udført.;supervisionFollowUp;');
      expect(lines[4]).toContain('Helle Jobcenter;supervision.create;Helle Jobcenter registrerede tilsynsbesøget hos ');
      expect(lines[2]).toContain('Vi retter journalføringen.');

      for (const who of [ANNA, VIEWER, 'emil@provider4.example']) {
        expect((await call(who, '/audit')).status).toBe(403);
        expect((await call(who, '/audit/export.csv')).status).toBe(403);
      }
      const entryId = first.entries[0].id;
      for (const method of ['DELETE', 'PATCH', 'PUT', 'POST']) {
        expect((await call(HOST, `/audit/${entryId}`, { method, body: method === 'DELETE' ? undefined : {} })).status).toBe(404);
      }
      expect((await server.ctx.db.selectFrom('audit_log').select('id').where('id', '=', entryId).execute())).toHaveLength(1);
      // Nor does the database itself let anyone change an entry.
      await expect(server.ctx.db.updateTable('audit_log').set({ after_json: '{"forged":true}' }).where('id', '=', entryId).execute()).rejects.toThrow(AUDIT_IMMUTABLE_MESSAGE);
      const kept = await server.ctx.db.selectFrom('audit_log').select('after_json').where('id', '=', entryId).executeTakeFirstOrThrow();
      expect(kept.after_json).not.toContain('forged');
    });
  });
}
