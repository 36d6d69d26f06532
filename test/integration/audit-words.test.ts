// The audit log in words through the API: each entry is a sentence naming who did what to which
// object (with a link), the fields changed before → after and the reason, in Danish or English;
// filters by person, action and period, refused with 422 naming the field; the CSV carries the
// sentence — against the real server on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../realtime/wire/audit.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const CARL = 'carl@provider1.example';
const report = { month: '2019-10', referred: 9, active: 41, jobStarts: 3, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 };
const terms = { model: 'performance', priceOre: 1_000_000, baseSharePct: 25, successSharePct: 75, successWeeks: 13, successWindowWeeks: 26, courseDays: 365 };
const contract = (extra: object = {}) => ({ periodStart: '2019-01-01', periodEnd: '2019-12-31', terms, activationRequirementPct: 30, documentationDeadlineDay: 10, commitments: [], ...extra });

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`the audit log in words on ${dialect}`, () => {
    let server: TestServer;
    let net: string;
    let provider: string;
    const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await server.api(path, { method, cookie: await server.as(HOST), body: body === undefined ? undefined : JSON.stringify(body), headers });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res.json();
    };
    const audit = async (query = '') => {
      const res = await server.api(`/api/networks/${net}/audit${query}`, { cookie: await server.as(HOST) });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as AuditPage;
    };
    const byAction = (page: AuditPage, action: string) => page.entries.find((e) => e.action === action)!;
    let meetingId: string;
    let contractId: string;
    let carlId: string;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      net = server.networkId;
      provider = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', net).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
      carlId = (await server.ctx.db.selectFrom('users').select('id').where('email', '=', CARL).executeTakeFirstOrThrow()).id;

      const reports = `/api/networks/${net}/providers/${provider}/reports`;
      await send('POST', reports, report);
      await send('POST', reports, { ...report, jobStarts: 4, reason: 'En jobstart var registreret i forkert måned' });
      const meeting = await send('POST', `/api/networks/${net}/meetings`, { title: 'Netværksmøde november', startsAt: new Date(Date.now() + 7 * 86400_000).toISOString() });
      meetingId = meeting.id;
      await send('POST', `/api/meetings/${meetingId}/start`, { confirmEarly: true });
      await send('POST', `/api/meetings/${meetingId}/close`);
      const created = await send('POST', `/api/networks/${net}/providers/${provider}/contracts`, contract());
      contractId = created.id;
      await send('PUT', `/api/networks/${net}/contracts/${contractId}`, { ...contract({ terms: { ...terms, priceOre: 1_200_000 } }), reason: 'Ny pris efter genforhandling', effectiveFrom: '2019-01' }, { 'if-match': '"1"' });
      await send('PATCH', `/api/networks/${net}/members/${carlId}`, { role: 'viewer' });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('a report correction reads as a Danish sentence with the month, version, before → after and reason, linking to the reports', async () => {
      const page = await audit();
      const corrected = byAction(page, 'report.correct');
      expect(corrected.words.text).toBe("Helle Jobcenter rettede Karrierebroen ApS' rapport for oktober 2019 (version 2): jobstart 3 → 4. Begrundelse: En jobstart var registreret i forkert måned");
      expect(corrected.words.object).toMatchObject({ kind: 'monthlyReport', label: "Karrierebroen ApS' rapport for oktober 2019 (version 2)", href: `/networks/${net}/reports` });
      expect(corrected.words.changes).toEqual([{ field: 'job_starts', label: 'jobstart', before: '3', after: '4' }]);
      expect(corrected.words.sentence.filter((s) => s.href)).toEqual([{ text: corrected.words.object.label, href: `/networks/${net}/reports` }]);
      expect(byAction(page, 'report.create').words.text).toBe("Helle Jobcenter indberettede Karrierebroen ApS' rapport for oktober 2019 (version 1).");
    });

    it('meeting close, contract change and member role change are named in words, never as codes or ids', async () => {
      const page = await audit();
      const closed = byAction(page, 'meeting.close').words;
      expect(closed.text).toBe('Helle Jobcenter afsluttede mødet »Netværksmøde november«.');
      expect(closed.object.href).toBe(`/meetings/${meetingId}`);
      const changed = byAction(page, 'contract.change').words;
      expect(changed.object.label).toMatch(/^kontrakt K-\S+ ».+«$/);
      expect(changed.changes).toEqual([{ field: 'price_ore', label: 'pris', before: '10.000,00\u00a0kr.', after: '12.000,00\u00a0kr.' }]);
      expect(changed.reason).toBe('Ny pris efter genforhandling');
      expect(changed.text).toContain(': pris 10.000,00\u00a0kr. → 12.000,00\u00a0kr. Begrundelse: Ny pris efter genforhandling');
      const role = byAction(page, 'member.update').words;
      expect(role.text).toBe('Helle Jobcenter ændrede medlemskabet for Carl Vestergaard: rolle udbyder → læser, organisation Karrierebroen ApS → (tom).');
      expect(role.object.href).toBe(`/networks/${net}/members`);
      for (const e of page.entries) {
        expect(e.words.known, e.action).toBe(true);
        expect(e.words.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\{"/);
      }
    });

    it('the sentences come in English when asked for; an unknown action still reads as a sentence', async () => {
      const page = await audit('?locale=en');
      expect(byAction(page, 'report.correct').words.text).toBe('Helle Jobcenter corrected Karrierebroen ApS’s report for October 2019 (version 2): job starts 3 → 4. Reason: En jobstart var registreret i forkert måned');
      expect(byAction(page, 'meeting.close').words.text).toBe('Helle Jobcenter closed the meeting “Netværksmøde november”.');
      await server.ctx.db.insertInto('audit_log').values({ id: 'zz-unknown', network_id: net, actor_user_id: null, action: 'robot.dance', subject_type: 'robot', subject_id: 'r2', before_json: null, after_json: '{"x":1}', at: new Date().toISOString() }).execute();
      const unknown = byAction(await audit('?action=robot.dance'), 'robot.dance').words;
      expect(unknown).toMatchObject({ known: false, text: 'Systemet udførte »robot.dance« på et element af typen »robot«.' });
    });

    it('filters by person, action and period; the choices list people and actions in words', async () => {
      const page = await audit();
      expect(page.actors.map((a) => a.name)).toContain('Helle Jobcenter');
      expect(page.actions).toContainEqual({ action: 'report.correct', label: 'rettede …' });
      const hostId = page.actors.find((a) => a.name === 'Helle Jobcenter')!.id;
      const mine = await audit(`?actor=${hostId}&action=meeting.close`);
      expect(mine.entries.map((e) => e.action)).toEqual(['meeting.close']);
      expect((await audit(`?actor=${carlId}`)).entries).toEqual([]);
      expect((await audit('?from=2000-01-01&to=2000-01-31')).entries).toEqual([]);
      for (const [query, field] of [['?action=DROP%20TABLE', 'action'], ['?from=yesterday', 'from'], ['?locale=sv', 'locale'], ['?from=2026-12-05&to=2026-12-01', 'to']]) {
        const res = await server.api(`/api/networks/${net}/audit${query}`, { cookie: await server.as(HOST) });
        expect(res.status, query).toBe(422);
        expect((await res.json()).error.issues.map((i: { path: string }) => i.path), query).toContain(field);
      }
    });

    it('the CSV export has the sentence as a column, Danish Excel style, with the same filters; others are still refused', async () => {
      const res = await server.api(`/api/networks/${net}/audit/export.csv?action=report.correct`, { cookie: await server.as(HOST) });
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
      expect(lines[0]).toBe('at;actor;action;sentence;subjectType;subjectId;before;after');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(";Helle Jobcenter;report.correct;Helle Jobcenter rettede Karrierebroen ApS' rapport for oktober 2019 (version 2): jobstart 3 → 4. Begrundelse: En jobstart var registreret i forkert måned;");
      for (const who of ['anna@provider1.example', 'viewer@jobcenter.example']) {
        expect((await server.api(`/api/networks/${net}/audit`, { cookie: await server.as(who) })).status).toBe(403);
        expect((await server.api(`/api/networks/${net}/audit/export.csv`, { cookie: await server.as(who) })).status).toBe(403);
      }
    });
  });
}
