// The report invariants end to end, on SQLite and PostgreSQL: impossible reports are refused by the
// API and the import naming field, rule and value in the user's language; a bad row already stored
// never fails the board or its export; imports take the files people have (Danish template headers,
// ";", Windows-1252).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { up as flagReports } from '../../db/migrations/20261208T0000_report_flags.ts';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const month = (m: string) => ({ month: m, referred: 9, active: 41, jobStarts: 6, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 });
const csvType = { 'content-type': 'text/csv' };

/** A text as Excel on a Danish Windows saves it: one byte per character, Windows-1252. */
function windows1252(text: string): Uint8Array<ArrayBuffer> {
  const special: Record<string, number> = { æ: 0xe6, ø: 0xf8, å: 0xe5, Æ: 0xc6, Ø: 0xd8, Å: 0xc5 };
  return Uint8Array.from([...text].map((ch) => special[ch] ?? ch.charCodeAt(0)));
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`report invariants on ${dialect}`, () => {
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

    it('an impossible report is refused through the API, naming the field and the rule in Danish (English for an English user)', async () => {
      const anna = await as('anna@provider1.example');
      const refused = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify({ ...month('2024-03'), jobStarts: 30, active: 20, retained13of26: 3, satisfactionResponses: 25 }) });
      expect(refused.status).toBe(422);
      const { error } = await refused.json();
      expect(error.issues).toEqual([
        { path: 'jobStarts', message: 'Jobstart (30) kan ikke være større end aktive borgere (20): jobraten er jobstart pr. aktiv borger.' },
        { path: 'satisfactionResponses', message: 'Tilfredshed, antal svar (25) kan ikke være større end aktive borgere (20).' },
      ]);

      await server.ctx.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'carl@provider1.example').execute();
      const english = await server.api(reportsUrl(0), { method: 'POST', cookie: await as('carl@provider1.example'), body: JSON.stringify({ ...month('2024-03'), jobStarts: 30, active: 20 }) });
      expect((await english.json()).error.issues).toEqual([{ path: 'jobStarts', message: 'Job starts (30) cannot exceed citizens active (20): the job rate is job starts per active citizen.' }]);
      expect(await server.ctx.db.selectFrom('monthly_reports').select('id').where('month', '=', '2024-03').execute()).toEqual([]);
    });

    it('a correction that would make a stored month impossible is refused, naming that month', async () => {
      const anna = await as('anna@provider1.example');
      expect((await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify(month('2024-04')) })).status).toBe(201);
      const correction = { ...month('2024-04'), active: 4, reason: 'Aktive var talt forkert' };
      const refused = await server.api(reportsUrl(0), { method: 'POST', cookie: anna, body: JSON.stringify(correction) });
      expect(refused.status).toBe(422);
      const { error } = await refused.json();
      expect(error.message).toContain('2024-04');
      expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['jobStarts', 'satisfactionResponses']);
      const versions = await server.ctx.db.selectFrom('monthly_reports').select('version').where('provider_id', '=', providers[0]).where('month', '=', '2024-04').execute();
      expect(versions).toEqual([{ version: 1 }]);
    });

    it('an import flags "fastholdt 9 > jobstart 3" as a row error in Danish with row, column and value', async () => {
      const csv = ['Måned;Henviste borgere;Aktive borgere;Jobstart;Fastholdt 13 af 26 uger;Aktivering (%);Tilfredshed, gennemsnit;Tilfredshed, antal svar',
        '2023-01;8;40;3;9;30,5;4,1;12', '2023-02;8;40;tre;1;30,5;4,1;12'].join('\r\n');
      const refused = await server.api(`${reportsUrl(1)}/import`, { method: 'POST', cookie: await as('bo@provider2.example'), headers: csvType, body: csv });
      expect(refused.status).toBe(422);
      const { error } = await refused.json();
      expect(error.message).toBe('Intet blev importeret: 2 fejl i filen. Ret alle de viste rækker, og importér igen.');
      expect(error.issues).toEqual([
        { path: 'row 2, Fastholdt 13 af 26 uger', row: 2, column: 'Fastholdt 13 af 26 uger', value: '9', message: 'Fastholdt 13 af 26 uger (9) kan ikke være større end jobstart (3).' },
        { path: 'row 3, Jobstart', row: 3, column: 'Jobstart', value: 'tre', message: 'Jobstart skal være et tal (fik "tre").' },
      ]);
    });

    it('the template downloads in Danish Excel form, and a file filled in from it imports (";" and decimal commas)', async () => {
      const bo = await as('bo@provider2.example');
      const template = await server.api(`/api/networks/${server.networkId}/reports/template.csv`, { cookie: bo });
      expect(template.status).toBe(200);
      expect(template.headers.get('content-disposition')).toContain('.csv');
      const bytes = new Uint8Array(await template.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const header = new TextDecoder().decode(bytes.slice(3)).trim();
      expect(header).toBe('Måned;Henviste borgere;Aktive borgere;Jobstart;Fastholdt 13 af 26 uger;Aktivering (%);Tilfredshed, gennemsnit;Tilfredshed, antal svar;Begrundelse');
      const english = await (await server.api(`/api/networks/${server.networkId}/reports/template.csv?lang=en`, { cookie: bo })).text();
      expect(english.replace(/^\uFEFF/, '').trim()).toBe('Month;Citizens referred;Citizens active;Job starts;Held 13 of 26 weeks;Activation (%);Satisfaction, mean;Satisfaction, answers;Reason');

      const filled = `\uFEFF${header}\r\n2023-03;8;40;4;2;30,5;4,3;11;\r\n2023-04;9;41;5;3;31;;0;\r\n`;
      const ok = await server.api(`${reportsUrl(1)}/import`, { method: 'POST', cookie: bo, headers: csvType, body: filled });
      expect(ok.status).toBe(201);
      const { reports } = await ok.json();
      expect(reports.map((r: { month: string; activationPct: number; satisfactionMean: number | null }) => [r.month, r.activationPct, r.satisfactionMean])).toEqual([
        ['2023-03', 30.5, 4.3],
        ['2023-04', 31, null],
      ]);
    });

    it('a file saved by Excel in Windows-1252 keeps æøå', async () => {
      const text = 'Måned;Henviste borgere;Aktive borgere;Jobstart;Fastholdt 13 af 26 uger;Aktivering (%);Tilfredshed, gennemsnit;Tilfredshed, antal svar;Begrundelse\r\n' +
        '2023-05;8;40;4;2;30,5;4,3;11;Tal fra Århus-afdelingen, ført ind af Søren Kæmpe\r\n';
      const ok = await server.api(`${reportsUrl(1)}/import`, { method: 'POST', cookie: await as('bo@provider2.example'), headers: csvType, body: windows1252(text) });
      expect(ok.status).toBe(201);
      const stored = await server.ctx.db.selectFrom('monthly_reports').select('reason').where('provider_id', '=', providers[1]).where('month', '=', '2023-05').executeTakeFirstOrThrow();
      expect(stored.reason).toBe('Tal fra Århus-afdelingen, ført ind af Søren Kæmpe');
    });

    it('a bad row stored before the rules leaves the board and its CSV at 200, left out with a note naming provider and month; the migration flags it', async () => {
      const host = await as('host@jobcenter.example');
      const lastMonth = addMonths(copenhagenMonth(server.ctx.now()), -1);
      const seeded = await server.ctx.db.selectFrom('monthly_reports').selectAll().where('provider_id', '=', providers[2]).where('month', '=', lastMonth).executeTakeFirstOrThrow();
      // As a row saved before the invariants were enforced: 30 job starts among 20 active citizens.
      await server.ctx.db.insertInto('monthly_reports').values({ ...seeded, id: 'bad-row-1', version: seeded.version + 1, active: 20, job_starts: 30, retained_13_of_26: 3, satisfaction_responses: 5, reason: 'gammel række' }).execute();

      const response = await server.api(`/api/networks/${server.networkId}/leaderboard`, { cookie: host });
      expect(response.status).toBe(200);
      const board: Leaderboard = await response.json();
      const name = board.rows.find((r) => r.providerId === providers[2])!.name;
      expect(board.excludedReports).toEqual([{ providerId: providers[2], name, month: lastMonth, version: seeded.version + 1, rules: ['job_starts_exceed_active'] }]);
      // The provider is still on the board, on its other eleven months.
      expect(board.rows.find((r) => r.providerId === providers[2])!.figures!.months).toBe(11);
      const csv = await server.api(`/api/networks/${server.networkId}/leaderboard/export.csv`, { cookie: host });
      expect(csv.status).toBe(200);
      const month1 = await server.api(`/api/networks/${server.networkId}/leaderboard?from=${lastMonth}&to=${lastMonth}`, { cookie: host });
      expect(month1.status).toBe(200);

      await server.ctx.db.schema.dropTable('report_flags').execute();
      await flagReports(server.ctx.db);
      const flags = await server.ctx.db.selectFrom('report_flags').select(['report_id', 'provider_id', 'month', 'rules']).execute();
      expect(flags).toEqual([{ report_id: 'bad-row-1', provider_id: providers[2], month: lastMonth, rules: 'job_starts_exceed_active' }]);

      // A valid correction brings the month back.
      const fixed = await server.api(reportsUrl(2), { method: 'POST', cookie: host, body: JSON.stringify({ ...month(lastMonth), reason: 'Rettet efter gennemgang' }) });
      expect(fixed.status).toBe(201);
      const after: Leaderboard = await (await server.api(`/api/networks/${server.networkId}/leaderboard`, { cookie: host })).json();
      expect(after.excludedReports).toEqual([]);
      expect(after.rows.find((r) => r.providerId === providers[2])!.figures!.months).toBe(12);
    });
  });
}
