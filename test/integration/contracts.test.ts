// Contracts and settlements through the API, on SQLite and PostgreSQL: the DOMAIN.md vectors via the
// preview, who may see and change what, versions and audit, monthly statements, approval locking,
// correction lines, and the exports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const aalborg = { model: 'performance', priceOre: 1_000_000, baseSharePct: 25, successSharePct: 75, successWeeks: 13, successWindowWeeks: 26, courseDays: 365 };
const contract = (extra: object = {}) => ({
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  terms: aalborg,
  activationRequirementPct: 30,
  documentationDeadlineDay: 10,
  commitments: [
    { text: 'Mindst 30 % af de aktive borgere i aktivering', measure: 'Månedsrapportens aktiveringsandel' },
    { text: 'Første samtale inden 5 hverdage', measure: 'Stikprøve ved tilsyn' },
  ],
  ...extra,
});

// 2019 courses for provider A, so the seeded (recent) courses never fall in these months.
const COURSES_CSV = [
  'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
  'T-FULLYEAR,Jobsøgningskursus,2019-01-01,,,,3-6 mdr,Humaniora,30-39', // no job: the course year ends 2020-01-01
  'T-FIFTH,Individuel coaching,2019-01-01,2019-03-15,,,0-3 mdr,Teknik,under 30', // 73 days → 500 kr in March
  'T-JOB13,Virksomhedspraktik,2019-01-01,2019-03-15,2019-03-15,13,6-12 mdr,Sundhed,40+', // base in March, the rest in June
  'T-JOB12,Jobsamtaletræning,2019-01-01,2019-03-15,2019-03-15,12,12+ mdr,Naturvidenskab,40+', // base only, decided in September
].join('\n');

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`contracts and settlements on ${dialect}`, () => {
    let server: TestServer;
    let providers: string[];
    let contractId: string;
    const as = (email: string) => server.as(email);
    const host = () => as('host@jobcenter.example');
    const post = async (path: string, body: unknown, who: string) =>
      server.api(path, { method: 'POST', cookie: await as(who), body: JSON.stringify(body) });
    const statement = async (month: string, who = 'host@jobcenter.example', providerIndex = 0, locale = 'en') =>
      server.api(`/api/networks/${server.networkId}/providers/${providers[providerIndex]}/settlements?month=${month}&locale=${locale}`, { cookie: await as(who) });

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      providers = await server.providerIds();
      const imported = await server.api(`/api/networks/${server.networkId}/providers/${providers[0]}/courses/import`, {
        method: 'POST',
        cookie: await host(),
        headers: { 'content-type': 'text/csv' },
        body: COURSES_CSV,
      });
      expect(imported.status).toBe(201);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('previews the DOMAIN.md vectors with their explanation lines (host only)', async () => {
      const course = { referralDate: '2026-01-01', endDate: '2026-03-15' };
      const fifth = await post('/api/settlements/preview', { terms: aalborg, course, locale: 'en' }, 'host@jobcenter.example');
      expect(fifth.status).toBe(200);
      expect(await fifth.json()).toEqual({
        totalOre: 50_000,
        lines: [
          { kind: 'base', text: '25 % of 10.000,00 kr × 73/365 days = 500,00 kr', amountOre: 50_000 },
          { kind: 'info', text: 'No ordinary job within the course year: no success share', amountOre: 0 },
        ],
        pending: null,
        pendingOre: 0,
      });
      const year = await (await post('/api/settlements/preview', { terms: aalborg, course: { referralDate: '2026-01-01', endDate: '2027-01-01' } }, 'host@jobcenter.example')).json();
      expect(year.totalOre).toBe(250_000);
      const job = await (await post('/api/settlements/preview', { terms: aalborg, course: { ...course, jobStartDate: '2026-03-15', weeksEmployed: 13 } }, 'host@jobcenter.example')).json();
      expect(job.totalOre).toBe(1_000_000);
      expect(job.lines.map((l: { amountOre: number }) => l.amountOre)).toEqual([250_000, 750_000]);
      const short = await (await post('/api/settlements/preview', { terms: aalborg, course: { ...course, jobStartDate: '2026-03-15', weeksEmployed: 12 } }, 'host@jobcenter.example')).json();
      expect(short.totalOre).toBe(50_000);
      // Defaults are the Aalborg reading; the fixed model never pays a bonus.
      const fixed = await (await post('/api/settlements/preview', { terms: { model: 'fixed', priceOre: 1_200_000 }, course: { ...course, jobStartDate: '2026-03-15', weeksEmployed: 26 } }, 'host@jobcenter.example')).json();
      expect(fixed).toMatchObject({ totalOre: 1_200_000, lines: [{ kind: 'fixed' }] });

      for (const who of ['anna@provider1.example', 'viewer@jobcenter.example']) {
        expect((await post('/api/settlements/preview', { terms: aalborg, course }, who)).status).toBe(403);
      }
      expect((await server.api('/api/settlements/preview', { method: 'POST', body: JSON.stringify({ terms: aalborg, course }) })).status).toBe(401);
    });

    it('invalid terms and courses get 422 naming the field', async () => {
      const course = { referralDate: '2026-01-01', endDate: '2026-03-15' };
      const cases: Array<[unknown, string]> = [
        [{ terms: { ...aalborg, successSharePct: 70 }, course }, 'terms.successSharePct'],
        [{ terms: { ...aalborg, priceOre: -100 }, course }, 'terms.priceOre'],
        [{ terms: { ...aalborg, priceOre: 10.5 }, course }, 'terms.priceOre'],
        [{ terms: { ...aalborg, model: 'bonus' }, course }, 'terms.model'],
        [{ terms: aalborg, course: { ...course, endDate: '2025-12-31' } }, 'course.endDate'],
        [{ terms: aalborg, course: { ...course, endDate: '2026-02-30' } }, 'course.endDate'],
        [{ terms: aalborg, course: { ...course, jobStartDate: '2025-06-01' } }, 'course.jobStartDate'],
      ];
      for (const [body, path] of cases) {
        const res = await post('/api/settlements/preview', body, 'host@jobcenter.example');
        expect(res.status, path).toBe(422);
        const issues = (await res.json()).error.issues.map((i: { path: string }) => i.path);
        expect(issues, JSON.stringify(body)).toContain(path);
      }
    });

    it('the host registers a contract; only its provider sees it; a change is a new, audited version with a reason', async () => {
      const url = `/api/networks/${server.networkId}/providers/${providers[0]}/contracts`;
      expect((await post(url, contract(), 'anna@provider1.example')).status).toBe(403);
      expect((await post(url, contract({ periodEnd: '2018-12-31' }), 'host@jobcenter.example')).status).toBe(422);
      const created = await post(url, contract(), 'host@jobcenter.example');
      expect(created.status).toBe(201);
      const body = await created.json();
      contractId = body.id;
      expect(body).toMatchObject({ version: 1, providerId: providers[0], terms: aalborg, documentationDeadlineDay: 10, activationRequirementPct: 30 });
      expect(body.commitments).toHaveLength(2);

      const list = async (who: string) => (await (await server.api(`/api/networks/${server.networkId}/contracts`, { cookie: await as(who) })).json()).contracts;
      // The demo seed gives every provider a contract: each provider sees its own, only.
      const annas = await list('anna@provider1.example');
      expect(annas.map((c: { id: string }) => c.id)).toContain(contractId);
      expect(new Set(annas.map((c: { providerId: string }) => c.providerId))).toEqual(new Set([providers[0]]));
      expect(new Set((await list('bo@provider2.example')).map((c: { providerId: string }) => c.providerId))).toEqual(new Set([providers[1]]));
      expect((await list('host@jobcenter.example')).length).toBe(providers.length + 1);
      expect(await list('viewer@jobcenter.example')).toEqual([]);
      expect((await server.api(`/api/networks/${server.networkId}/contracts/${contractId}/versions`, { cookie: await as('bo@provider2.example') })).status).toBe(404);

      const changeUrl = `/api/networks/${server.networkId}/contracts/${contractId}`;
      const put = async (b: unknown, who = 'host@jobcenter.example', basedOn: number | null = 1) =>
        server.api(changeUrl, { method: 'PUT', cookie: await as(who), body: JSON.stringify(b), headers: basedOn === null ? {} : { 'if-match': `"${basedOn}"` } });
      const noReason = await put(contract());
      expect(noReason.status).toBe(422);
      expect((await noReason.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['reason', 'effectiveFrom']);
      expect((await put({ ...contract(), reason: 'Provider wants more', effectiveFrom: '2019-06' }, 'anna@provider1.example')).status).toBe(403);
      expect((await put({ ...contract(), reason: 'No version named', effectiveFrom: '2019-06' }, 'host@jobcenter.example', null)).status).toBe(428);
      const keep = body.commitments[0];
      const changed = await put({ ...contract({ commitments: [keep, { text: 'Kandidattilfredshed mindst 4,0', measure: 'Spørgeskema' }] }), reason: 'Tilføjet krav om tilfredshed', effectiveFrom: '2019-01' });
      expect(changed.headers.get('etag')).toBe('"2"');
      expect(changed.status).toBe(200);
      const v2 = await changed.json();
      expect(v2).toMatchObject({ version: 2, reason: 'Tilføjet krav om tilfredshed' });
      expect(v2.commitments[0].id).toBe(keep.id); // a kept promise keeps its id
      const versions = await (await server.api(`${changeUrl}/versions`, { cookie: await as('anna@provider1.example') })).json();
      expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const audit = await server.ctx.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('subject_id', '=', contractId).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['contract.create', 'contract.change']);
      expect(JSON.parse(audit[1].before_json!).version).toBe(1);
      expect(JSON.parse(audit[1].after_json!).version).toBe(2);

      // A CPR number in a commitment is refused.
      const cpr = await put({ ...contract({ commitments: [{ text: 'Borger 010190-1234 følges op', measure: 'Stikprøve' }] }), reason: 'test', effectiveFrom: '2019-01' }, 'host@jobcenter.example', 2);
      expect(cpr.status).toBe(422);
      expect((await cpr.json()).error.issues[0].path).toBe('commitments.0.text');
    });

    it('monthly statements carry each change in its month, with pending money, and sum their lines', async () => {
      const march = await (await statement('2019-03')).json();
      expect(march.status).toBe('draft');
      expect(march.courses.map((c: { caseKey: string; amountOre: number }) => [c.caseKey, c.amountOre])).toEqual([
        ['T-FIFTH', 50_000],
        ['T-JOB12', 50_000],
        ['T-JOB13', 50_000],
      ]);
      expect(march.courses[0].lines[0].text).toBe('25 % of 10.000,00 kr × 73/365 days = 500,00 kr');
      expect(march.totalOre).toBe(150_000);
      expect(march.pending.map((p: { caseKey: string; reason: string }) => [p.caseKey, p.reason]).sort()).toEqual([
        ['T-FULLYEAR', 'course_running'],
        ['T-JOB12', 'success_undecided'],
        ['T-JOB13', 'success_undecided'],
      ]);
      const lineSum = march.courses.flatMap((c: { lines: Array<{ amountOre: number }> }) => c.lines).reduce((s: number, l: { amountOre: number }) => s + l.amountOre, 0);
      expect(lineSum).toBe(march.totalOre);

      const june = await (await statement('2019-06')).json(); // 2019-03-15 + 13 weeks = 2019-06-14
      expect(june.courses.map((c: { caseKey: string; amountOre: number }) => [c.caseKey, c.amountOre])).toEqual([['T-JOB13', 950_000]]);
      const january2020 = await (await statement('2020-01')).json(); // the course year ends 2020-01-01
      expect(january2020.courses.map((c: { caseKey: string; amountOre: number }) => [c.caseKey, c.amountOre])).toEqual([['T-FULLYEAR', 250_000]]);

      // Another provider and a viewer never see it; the provider sees its own.
      expect((await statement('2019-03', 'bo@provider2.example')).status).toBe(403);
      expect((await statement('2019-03', 'viewer@jobcenter.example')).status).toBe(403);
      expect((await statement('2019-03', 'anna@provider1.example')).status).toBe(200);
      expect((await statement('2019-03', 'anna@provider1.example', 1)).status).toBe(403);
    });

    it('approval locks a statement; later changes are attributed correction lines', async () => {
      const base = `/api/networks/${server.networkId}/providers/${providers[0]}/settlements/2019-03`;
      expect((await post(`${base}/approve`, {}, 'anna@provider1.example')).status).toBe(403);
      expect((await post(`${base}/corrections`, { text: 'Too early', amountOre: 1, reason: 'too early' }, 'host@jobcenter.example')).status).toBe(409);
      const approved = await post(`${base}/approve`, {}, 'host@jobcenter.example');
      expect(approved.status).toBe(200);
      expect(await approved.json()).toMatchObject({ status: 'approved', totalOre: 150_000, approvedBy: { name: expect.any(String) } });
      expect((await post(`${base}/approve`, {}, 'host@jobcenter.example')).status).toBe(409);

      // The course data changes after approval: the locked statement does not move; the recomputation shows the gap.
      await server.ctx.db.updateTable('course_records').set({ end_date: '2019-03-20' }).where('case_key', '=', 'T-FIFTH').execute();
      const locked = await (await statement('2019-03')).json();
      expect(locked.totalOre).toBe(150_000);
      expect(locked.courses.find((c: { caseKey: string }) => c.caseKey === 'T-FIFTH').amountOre).toBe(50_000);
      expect(locked.recomputedTotalOre).toBe(150_000 + 3_425); // 78 days: 1,000,000 × 25 % × 78/365 = 53,424.66 → 53,425
      const corrected = await post(`${base}/corrections`, { text: 'T-FIFTH sluttede 2019-03-20, ikke 03-15', amountOre: 3_425, reason: 'Forkert slutdato indberettet' }, 'host@jobcenter.example');
      expect(corrected.status).toBe(201);
      const withLine = await corrected.json();
      expect(withLine.corrections).toEqual([expect.objectContaining({ amountOre: 3_425, reason: 'Forkert slutdato indberettet', createdBy: expect.objectContaining({ name: expect.any(String) }) })]);
      expect(withLine.totalWithCorrectionsOre).toBe(153_425);
      const audit = await server.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', `${providers[0]}/2019-03`).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['settlement.approve', 'settlement.correct']);

      // This month is not over: it cannot be approved yet.
      const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(server.ctx.now()).slice(0, 7);
      expect((await post(`/api/networks/${server.networkId}/providers/${providers[0]}/settlements/${thisMonth}/approve`, {}, 'host@jobcenter.example')).status).toBe(409);
    });

    it('exports a statement as CSV, XLSX and PDF, to the host and the provider only', async () => {
      const base = `/api/networks/${server.networkId}/providers/${providers[0]}/settlements/2019-03`;
      const csv = await server.api(`${base}/statement.csv?locale=en`, { cookie: await host() });
      expect(csv.status).toBe(200);
      const text = await csv.text();
      expect(text).toContain('25 % of 10.000,00 kr × 73/365 days = 500,00 kr');
      expect(text).toContain('Forkert slutdato indberettet');
      expect(text.trim().split('\r\n').at(-1)).toBe('Total with corrections;;;;;;;;;1534,25;153425');
      const xlsx = await server.api(`${base}/statement.xlsx`, { cookie: await as('anna@provider1.example') });
      expect(xlsx.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(new Uint8Array(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(sheet.getRow(1).values).toContain('Beløb (øre)');
      expect(sheet.rowCount).toBeGreaterThan(5);
      const pdf = await server.api(`${base}/statement.pdf`, { cookie: await host() });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
      expect((await server.api(`${base}/statement.csv`, { cookie: await as('bo@provider2.example') })).status).toBe(403);
    });
  });
}
