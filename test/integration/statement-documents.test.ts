// The statement as documents to send ("afregningsbilag"), read back as a reader would, on SQLite and
// PostgreSQL: the PDF through poppler (fonts, Danish/English text, page numbers, no code names), the
// CSV as Danish Excel parses it (';', decimal comma, escaped formulas) and the XLSX's numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { pdfToolsAvailable } from '../helpers/services.ts';
import { pdfFonts, pdfInfo, pdfText } from '../helpers/pdf.ts';

const PDF_TOOLS = pdfToolsAvailable();
const PROVIDER = 'Łukasz & Ærø Jobhus ApS';
const CODE_NAMES = ['success_undecided', 'course_running', 'caseKey', 'amountOre', 'totalOre', 'approvedAt'];

const COURSES_CSV = [
  'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
  'D-FULLYEAR,Jobsøgningskursus,2019-01-01,,,,3-6 mdr,Humaniora,30-39',
  'D-FIFTH,Individuel coaching,2019-01-01,2019-03-15,,,0-3 mdr,Teknik,under 30',
  'D-JOB13,Virksomhedspraktik,2019-01-01,2019-03-15,2019-03-15,13,6-12 mdr,Sundhed,40+',
].join('\n');

const contract = {
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  terms: { model: 'performance', priceOre: 1_000_000, baseSharePct: 25, successSharePct: 75, successWeeks: 13, successWindowWeeks: 26, courseDays: 365 },
  activationRequirementPct: 30,
  documentationDeadlineDay: 10,
  commitments: [{ text: 'Første samtale inden 5 hverdage', measure: 'Stikprøve ved tilsyn' }],
};

// A correction whose words would run as formulas in a spreadsheet, and a negative amount.
const CORRECTION = { text: '=HYPERLINK("http://evil.example","klik")', amountOre: -12_345, reason: '@SUM(1+1) forkert slutdato' };

/** Danish decimal comma to øre, exactly: "-123,45" → -12345. */
const oreOf = (text: string) => {
  expect(text).toMatch(/^-?\d+,\d\d$/);
  const [kroner, ore] = text.replace('-', '').split(',');
  return (text.startsWith('-') ? -1 : 1) * (Number(kroner) * 100 + Number(ore));
};

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`statement documents on ${dialect}`, () => {
    let server: TestServer;
    let base: string;
    const host = () => server.as('host@jobcenter.example');
    const get = async (path: string, who?: string) => server.api(`${base}/${path}`, { cookie: await (who ? server.as(who) : host()) });

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      const providerId = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').orderBy('position').executeTakeFirstOrThrow()).organisation_id;
      await server.ctx.db.updateTable('organisations').set({ name: PROVIDER }).where('id', '=', providerId).execute();
      const providerBase = `/api/networks/${server.networkId}/providers/${providerId}`;
      const post = async (path: string, body: unknown, type = 'application/json') =>
        server.api(`${providerBase}/${path}`, { method: 'POST', cookie: await host(), headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      expect((await post('courses/import', COURSES_CSV, 'text/csv')).status).toBe(201);
      expect((await post('contracts', contract)).status).toBe(201);
      expect((await post('settlements/2019-03/approve', {})).status).toBe(200);
      expect((await post('settlements/2019-03/corrections', CORRECTION)).status).toBe(201);
      base = `${providerBase}/settlements`;
    });
    afterAll(async () => {
      await server?.close();
    });

    describe.skipIf(!PDF_TOOLS)('the PDF', () => {
      it('is a Danish letter in embedded IBM Plex with page numbers, the provider, the minus sign and no code names', async () => {
        const res = await get('2019-03/statement.pdf?locale=da');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename="afregningsbilag-lukasz-aeroe-jobhus-aps-2019-03.pdf"; filename*=UTF-8''afregningsbilag-lukasz-aeroe-jobhus-aps-2019-03.pdf`,
        );
        const pdf = new Uint8Array(await res.arrayBuffer());
        const fonts = pdfFonts(pdf);
        expect(fonts.length).toBeGreaterThan(0);
        for (const font of fonts) {
          expect(font.name).toMatch(/IBMPlex/);
          expect(font.embedded, font.name).toBe(true);
        }
        const info = pdfInfo(pdf);
        expect(info.Tagged).toBe('yes');
        expect(info.Title).toBe(`Afregningsbilag – ${PROVIDER}`);

        const text = pdfText(pdf);
        const pages = Number(info.Pages);
        for (let n = 1; n <= pages; n++) expect(text).toContain(`side ${n} af ${pages}`);
        for (const label of ['Afregningsbilag', 'Marts 2019', 'Modtager', 'Periode', 'Forløb', 'I alt for forløbet', 'Afventer', 'Rettelser efter godkendelse', 'I alt med rettelser', 'Godkendt af']) {
          expect(text).toContain(label);
        }
        expect(text).toContain(PROVIDER);
        expect(text).toContain('Forløbet er ikke afsluttet endnu'); // D-FULLYEAR, in words
        expect(text).toContain('Resultatbetalingen afgøres'); // D-JOB13, in words
        expect(text).toContain('−123,45 kr'); // U+2212, not garbled
        expect(text).toContain('876,55 kr'); // 1.000,00 − 123,45
        for (const code of CODE_NAMES) expect(text).not.toContain(code);
      });

      it('is in English for an English reader, and a draft says so', async () => {
        const text = pdfText(new Uint8Array(await (await get('2019-03/statement.pdf?locale=en')).arrayBuffer()));
        expect(text).toMatch(/page 1 of \d/);
        for (const label of ['Settlement statement', 'March 2019', 'Total for the course', 'The course has not ended yet', 'Corrections after approval', 'Total with corrections']) {
          expect(text).toContain(label);
        }
        for (const code of CODE_NAMES) expect(text).not.toContain(code);
        const draft = pdfText(new Uint8Array(await (await get('2019-06/statement.pdf?locale=da')).arrayBuffer()));
        expect(draft).toContain('Kladde');
        expect(draft).toContain('Juni 2019');
      });
    });

    it('the CSV opens in Danish Excel: BOM, semicolons, Danish headers, decimal commas that add up exactly', async () => {
      const res = await get('2019-03/statement.csv?locale=da');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''afregningsbilag-lukasz-aeroe-jobhus-aps-2019-03.csv");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records: string[][] = parse(new TextDecoder().decode(bytes), { delimiter: ';', bom: true });
      const [header, ...rows] = records;
      expect(header).toEqual(['Type', 'Sag', 'Indsats', 'Henvist', 'Afsluttet', 'Jobstart', 'Uger i job', 'Tekst', 'Begrundelse', 'Beløb (kr.)', 'Beløb (øre)']);
      const kr = header.indexOf('Beløb (kr.)');
      const ore = header.indexOf('Beløb (øre)');
      const of = (type: string) => rows.filter((r) => r[0] === type);
      const lines = of('Betaling');
      expect(new Set(lines.map((r) => r[1]))).toEqual(new Set(['D-FIFTH', 'D-JOB13']));
      const sum = lines.reduce((s, r) => s + oreOf(r[kr]), 0);
      expect(sum).toBe(oreOf(of('I alt')[0][kr]));
      expect(sum).toBe(100_000);
      for (const r of lines) expect(oreOf(r[kr])).toBe(Number(r[ore]));
      const correction = of('Rettelse')[0];
      expect(correction[kr]).toBe('-123,45'); // a number for Excel, not escaped text
      expect(Number(correction[ore])).toBe(-12_345);
      expect(oreOf(of('I alt med rettelser')[0][kr])).toBe(100_000 - 12_345);
      // Text that would run as a formula starts with a quote.
      expect(correction[header.indexOf('Tekst')]).toBe(`'${CORRECTION.text}`);
      expect(correction[header.indexOf('Begrundelse')]).toMatch(/^'@SUM/);
      expect(of('Afventer').map((r) => r[header.indexOf('Tekst')])).toEqual(expect.arrayContaining([expect.stringContaining('Forløbet er ikke afsluttet endnu')]));
      const all = records.flat().join('\n');
      for (const code of CODE_NAMES) expect(all).not.toContain(code);
    });

    it('the CSV has English headers for an English reader', async () => {
      const text = await (await get('2019-03/statement.csv?locale=en')).text();
      expect(text.split('\r\n')[0].replace(/^\uFEFF/, '')).toBe('Type;Case;Programme;Referred;Ended;Job start;Weeks employed;Text;Reason;Amount (DKK);Amount (øre)');
    });

    it('the XLSX holds real numbers in a kroner format, for the provider too', async () => {
      const res = await get('2019-03/statement.xlsx?locale=da', 'anna@provider1.example');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''afregningsbilag-lukasz-aeroe-jobhus-aps-2019-03.xlsx");
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(new Uint8Array(await res.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toContain('Beløb (kr.)');
      const kr = header.indexOf('Beløb (kr.)') + 1;
      let sum = 0;
      let total: number | null = null;
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const cell = row.getCell(kr);
        if (cell.value === null || cell.value === undefined) return;
        expect(typeof cell.value).toBe('number');
        expect(cell.numFmt).toBe('#,##0.00 "kr."');
        if (row.getCell(1).value === 'Betaling') sum += Math.round((cell.value as number) * 100);
        if (row.getCell(1).value === 'I alt') total = Math.round((cell.value as number) * 100);
        if (row.getCell(1).value === 'Rettelse') expect(cell.value).toBe(-123.45);
      });
      expect(sum).toBe(100_000);
      expect(total).toBe(sum);
      expect((await get('2019-03/statement.xlsx', 'bo@provider2.example')).status).toBe(403);
    });
  });
}
