// Monthly reports through the API: entering, correcting as versions, who may do what, imports that
// are all-or-nothing, and exports — against the real server on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { copenhagenMonth } from '../../domain/time.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const month = (m: string) => ({ month: m, referred: 9, active: 41, jobStarts: 6, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 });

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`monthly reports on ${dialect}`, () => {
    let server: TestServer;
    let providers: string[];
    const as = (email: string) => server.as(email);
    const reportsUrl = (i: number) => `/api/networks/${server.networkId}/providers/${providers[i]}/reports`;

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      providers = await server.providerIds();
    });
    afterAll(async () => {
      await server?.close();
    });

    it("a provider's member reports a month; another provider and a viewer are refused; the host may", async () => {
      const now = copenhagenMonth(new Date());
      const created = await server.api(reportsUrl(0), { method: 'POST', cookie: await as('anna@provider1.example'), body: JSON.stringify(month(now)) });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ month: now, version: 1, activationPct: 33.5, reason: null, createdBy: { name: 'Anna Holm' } });
      expect((await server.api(reportsUrl(0), { method: 'POST', cookie: await as('bo@provider2.example'), body: JSON.stringify(month(now)) })).status).toBe(403);
      expect((await server.api(reportsUrl(0), { method: 'POST', cookie: await as('viewer@jobcenter.example'), body: JSON.stringify(month(now)) })).status).toBe(403);
      expect((await server.api(reportsUrl(1), { method: 'POST', cookie: await as('host@jobcenter.example'), body: JSON.stringify(month(now)) })).status).toBe(201);
    });

    it('a reported month is never changed in place: without a reason 409, with one a new version; the history keeps both', async () => {
      const anna = await as('anna@provider1.example');
      const m = copenhagenMonth(new Date());
      const again = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify({ ...month(m), jobStarts: 7 }) });
      expect(again.status).toBe(409);
      expect((await again.json()).error.message).toMatch(/correction needs a reason/);
      const corrected = await server.api(reportsUrl(0), { method: 'POST', cookie: await as('carl@provider1.example'), body: JSON.stringify({ ...month(m), jobStarts: 7, reason: 'En jobstart var registreret i forkert måned' }) });
      expect(corrected.status).toBe(201);
      expect(await corrected.json()).toMatchObject({ version: 2, jobStarts: 7, createdBy: { name: 'Carl Vestergaard' } });
      const history = await (await server.api(`${reportsUrl(0)}?from=${m}&to=${m}`, { cookie: anna })).json();
      expect(history.reports.map((r: { version: number; jobStarts: number }) => [r.version, r.jobStarts])).toEqual([[1, 6], [2, 7]]);
      const audit = await server.ctx.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('subject_id', '=', `${providers[0]}/${m}`).orderBy('at').execute();
      expect(audit.map((a) => a.action)).toEqual(['report.create', 'report.correct']);
      expect(JSON.parse(audit[1].before_json!).job_starts).toBe(6);
      // Only the provider and the host see the history.
      expect((await server.api(reportsUrl(0), { cookie: await as('bo@provider2.example') })).status).toBe(403);
    });

    it('invalid fields get 422 naming each field; a CPR number in the reason is refused', async () => {
      const anna = await as('anna@provider1.example');
      const bad = await server.api(reportsUrl(0), {
        method: 'POST',
        cookie: anna,
        body: JSON.stringify({ ...month('2026-13'), activationPct: 120, referred: -1, jobStarts: 1.5 }),
      });
      expect(bad.status).toBe(422);
      const paths = (await bad.json()).error.issues.map((i: { path: string }) => i.path).sort();
      expect(paths).toEqual(['activationPct', 'jobStarts', 'month', 'referred']);

      const crossField = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify({ ...month('2024-01'), retained13of26: 9 }) });
      expect(crossField.status).toBe(422);
      expect((await crossField.json()).error.issues).toEqual([{ path: 'retained13of26', message: 'Fastholdt 13 af 26 uger (9) kan ikke være større end jobstart (6).' }]);

      const future = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify(month('2099-01')) });
      expect(future.status).toBe(422);

      const cpr = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify({ ...month('2024-02'), reason: 'Rettet for borger 010190-1234' }) });
      expect(cpr.status).toBe(422);
      expect((await cpr.json()).error.issues[0]).toMatchObject({ path: 'reason', message: expect.stringContaining('CPR') });
      const stored = await server.ctx.db.selectFrom('monthly_reports').select('id').where('month', 'in', ['2024-01', '2024-02', '2099-01']).execute();
      expect(stored).toEqual([]);
    });

    it('an import with good and bad rows saves nothing and reports every bad row; a clean file saves every month', async () => {
      const emil = await as('emil@provider4.example');
      const csv = [
        'month,referred,active,jobStarts,retained13of26,activationPct,satisfactionMean,satisfactionResponses',
        '2024-01,10,40,5,2,31.5,4.1,12',
        '2024-02,abc,40,5,2,31.5,4.1,12',
        '2024-03,10,40,5,9,31.5,4.1,12',
        '2024-04,10,40,5,2,131,4.1,12',
        '2024-05,10,40,5,2,31.5,,12',
        '2024-01,10,40,5,2,31.5,4.1,12',
      ].join('\n');
      const refused = await server.api(`${reportsUrl(3)}/import`, { method: 'POST', cookie: emil, headers: { 'content-type': 'text/csv' }, body: csv });
      expect(refused.status).toBe(422);
      const body = await refused.json();
      expect(body.error.message).toMatch(/Intet blev importeret: 5 fejl/);
      expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual([
        'row 3, referred', 'row 4, retained13of26', 'row 5, activationPct', 'row 6, satisfactionMean', 'row 7, month',
      ]);
      const none = await server.ctx.db.selectFrom('monthly_reports').select('id').where('provider_id', '=', providers[3]).where('month', '<', '2025-01').execute();
      expect(none).toEqual([]);

      // Danish headers, semicolons and decimal commas, as Excel in Denmark writes them.
      const clean = ['måned;henviste;aktive;jobstart;fastholdt_13_af_26;aktivering_pct;tilfredshed;tilfredshed_svar',
        ...Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')};8;40;4;2;30,5;4,3;11`)].join('\n');
      const ok = await server.api(`${reportsUrl(3)}/import`, { method: 'POST', cookie: emil, headers: { 'content-type': 'text/csv' }, body: clean });
      expect(ok.status).toBe(201);
      const imported = await ok.json();
      expect(imported.imported).toBe(12);
      expect(imported.reports[0]).toMatchObject({ month: '2024-01', activationPct: 30.5, satisfactionMean: 4.3, version: 1 });

      // Importing the same months again without reasons conflicts, and again nothing is stored.
      const twice = await server.api(`${reportsUrl(3)}/import`, { method: 'POST', cookie: emil, headers: { 'content-type': 'text/csv' }, body: clean });
      expect(twice.status).toBe(422);
      expect((await twice.json()).error.issues).toHaveLength(12);
    });

    it('an XLSX file imports too, and a file with a CPR number in any cell is refused with row and column', async () => {
      const frida = await as('frida@provider5.example');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Ark1');
      sheet.addRow(['month', 'referred', 'active', 'jobStarts', 'retained13of26', 'activationPct', 'satisfactionMean', 'satisfactionResponses', 'reason']);
      sheet.addRow(['2023-05', 7, 35, 3, 1, 28.5, 3.9, 9, '']);
      sheet.addRow(['2023-06', 7, 35, 3, 1, 28.5, 3.9, 9, '']);
      const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
      const ok = await server.api(`${reportsUrl(4)}/import`, { method: 'POST', cookie: frida, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, body: xlsx });
      expect(ok.status).toBe(201);
      expect((await ok.json()).imported).toBe(2);

      sheet.addRow(['2023-07', 7, 35, 3, 1, 28.5, 3.9, 9, 'borger 0101901234 flyttet']);
      const withCpr = new Uint8Array(await workbook.xlsx.writeBuffer());
      const refused = await server.api(`${reportsUrl(4)}/import`, { method: 'POST', cookie: frida, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, body: withCpr });
      expect(refused.status).toBe(422);
      const issues = (await refused.json()).error.issues;
      expect(issues).toContainEqual(expect.objectContaining({ path: 'row 4, reason', message: expect.stringContaining('CPR') }));
      expect(JSON.stringify(issues)).not.toContain('0101901234');

      const garbage = await server.api(`${reportsUrl(4)}/import`, { method: 'POST', cookie: frida, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, body: 'not a zip' });
      expect(garbage.status).toBe(400);
      const wrongType = await server.api(`${reportsUrl(4)}/import`, { method: 'POST', cookie: frida, headers: { 'content-type': 'application/pdf' }, body: 'x' });
      expect(wrongType.status).toBe(400);
      expect((await server.api(`${reportsUrl(4)}/import`, { method: 'POST', cookie: await as('gustav@provider6.example'), headers: { 'content-type': 'text/csv' }, body: 'month\n' })).status).toBe(403);
    });

    it('exports: the host gets every provider, a provider only its own, a viewer nothing', async () => {
      const hostCsv = await server.api(`/api/networks/${server.networkId}/reports/export.csv`, { cookie: await as('host@jobcenter.example') });
      expect(hostCsv.status).toBe(200);
      expect(hostCsv.headers.get('content-type')).toContain('text/csv');
      const lines = (await hostCsv.text()).trim().split('\r\n');
      expect(lines[0]).toContain('provider;month;version');
      const providerNames = new Set(lines.slice(1).map((l) => l.split(';')[0]));
      expect(providerNames.size).toBe(6);

      const own = await server.api(`/api/networks/${server.networkId}/reports/export.xlsx?from=2025-01&to=2026-12`, { cookie: await as('bo@provider2.example') });
      expect(own.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await own.arrayBuffer());
      const rows = workbook.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
      const names = new Set(rows.slice(1).map((r) => r[1]));
      expect([...names]).toEqual(['Nordlys Job & Kompetence']);
      expect((await server.api(`/api/networks/${server.networkId}/reports/export.csv`, { cookie: await as('viewer@jobcenter.example') })).status).toBe(403);
    });
  });
}

describe('course records import', () => {
  let server: TestServer;
  let providers: string[];
  beforeAll(async () => {
    server = await startTestServer();
    providers = await server.providerIds();
  });
  afterAll(async () => {
    await server?.close();
  });
  const header = 'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand';

  it('stores clean pseudonymous courses, updates a course imported again, and refuses bad rows and CPR-like keys', async () => {
    const cookie = await server.login('bo@provider2.example');
    const url = `/api/networks/${server.networkId}/providers/${providers[1]}/courses/import`;
    const clean = [header, 'X-1001,Virksomhedspraktik,2026-01-05,,,,3-6 mdr,Humaniora,30-39', 'X-1002,Individuel coaching,2026-02-02,2026-05-04,2026-05-04,,0-3 mdr,Teknik,under 30'].join('\n');
    const ok = await server.api(url, { method: 'POST', cookie, headers: { 'content-type': 'text/csv' }, body: clean });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ created: 2, updated: 0 });
    const later = [header, 'X-1001,Virksomhedspraktik,2026-01-05,2026-06-01,2026-06-01,,3-6 mdr,Humaniora,30-39'].join('\n');
    expect(await (await server.api(url, { method: 'POST', cookie, headers: { 'content-type': 'text/csv' }, body: later })).json()).toEqual({ created: 0, updated: 1 });
    const stored = await server.ctx.db.selectFrom('course_records').select(['first_job_date']).where('case_key', '=', 'X-1001').executeTakeFirstOrThrow();
    expect(stored.first_job_date).toBe('2026-06-01');

    const bad = [header, '1503841234,Virksomhedspraktik,2026-01-05,,,,3-6 mdr,Humaniora,30-39', 'X-2,Coaching,2026-02-30,,,,3-6 mdr,Humaniora,30-39', 'X-3,Coaching,2026-03-01,2026-02-01,,,3-6 mdr,Humaniora,30-39'].join('\n');
    const refused = await server.api(url, { method: 'POST', cookie, headers: { 'content-type': 'text/csv' }, body: bad });
    expect(refused.status).toBe(422);
    const refusal = (await refused.json()).error.issues as Array<{ path: string; message: string; row: number; column: string }>;
    expect(refusal.map((i) => i.path)).toEqual(expect.arrayContaining(['row 2, caseKey', 'row 3, referralDate', 'row 4, endDate']));
    // Each row's rule in the importer's language (Danish by default, English when chosen).
    expect(refusal.find((i) => i.row === 3)).toMatchObject({ column: 'referralDate', message: 'Henvisningsdatoen er ikke en rigtig dato' });
    expect(refusal.find((i) => i.row === 4)).toMatchObject({ column: 'endDate', message: 'slutter før henvisningen' });
    await server.ctx.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'bo@provider2.example').execute();
    const english = (await (await server.api(url, { method: 'POST', cookie, headers: { 'content-type': 'text/csv' }, body: bad })).json()).error.issues;
    expect(english.find((i: { row: number }) => i.row === 4).message).toBe('ends before the referral');
    await server.ctx.db.updateTable('users').set({ locale: 'da' }).where('email', '=', 'bo@provider2.example').execute();
    expect((await server.api(url, { method: 'POST', cookie: await server.login('anna@provider1.example'), headers: { 'content-type': 'text/csv' }, body: clean })).status).toBe(403);
  });
});
