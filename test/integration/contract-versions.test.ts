// Effective-dated contracts through the API, on SQLite and PostgreSQL: a change governs from its
// month and never re-prices an earlier one; approved months are frozen and a change may not reach
// into them; one provider's contracts may not overlap (old overlaps warn on the statements); and
// If-Match keeps two hosts from overwriting each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { pdfToolsAvailable } from '../helpers/services.ts';
import { pdfText } from '../helpers/pdf.ts';
import { storedVersionRow } from '../helpers/contracts.ts';

const PDF_TOOLS = pdfToolsAvailable();
const aalborg = { model: 'performance', priceOre: 1_000_000, baseSharePct: 25, successSharePct: 75, successWeeks: 13, successWindowWeeks: 26, courseDays: 365 };
const contract = (extra: object = {}) => ({
  periodStart: '2019-01-01',
  periodEnd: '2020-12-31',
  terms: aalborg,
  activationRequirementPct: 30,
  documentationDeadlineDay: 10,
  commitments: [],
  ...extra,
});

// Referred in January: base in March 2019 (73 days → 500 kr at the first price), success in June.
// Referred in June and in July: 30 days each, base due in July.
const COURSES_CSV = [
  'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
  'V-JOB13,Virksomhedspraktik,2019-01-01,2019-03-15,2019-03-15,13,6-12 mdr,Sundhed,40+',
  'V-FIFTH,Individuel coaching,2019-01-01,2019-03-15,,,0-3 mdr,Teknik,under 30',
  'V-JUNE,Individuel coaching,2019-06-10,2019-07-10,,,0-3 mdr,Teknik,under 30',
  'V-JULY,Individuel coaching,2019-07-01,2019-07-31,,,0-3 mdr,Teknik,under 30',
].join('\n');

interface Line {
  kind: string;
  text: string;
  amountOre: number;
}
interface Statement {
  status: string;
  totalOre: number;
  courses: Array<{ caseKey: string; amountOre: number; contractVersion: number; lines: Line[] }>;
  pending: Array<{ caseKey: string; pendingOre: number }>;
  warnings: Array<{ kind: string; text: string; contractIds: string[] }>;
  letter: { contracts: Array<{ id: string; number: string; version: number; effectiveFrom: string }>; sender: { name: string }; recipient: { name: string } };
  recomputedTotalOre: number;
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`effective-dated contracts on ${dialect}`, () => {
    let server: TestServer;
    let providerId: string;
    let providerBase: string;
    let contractId: string;
    const host = () => server.as('host@jobcenter.example');
    const post = async (path: string, body: unknown, type = 'application/json') =>
      server.api(`${providerBase}/${path}`, { method: 'POST', cookie: await host(), headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const put = async (body: unknown, basedOn: number) =>
      server.api(`/api/networks/${server.networkId}/contracts/${contractId}`, { method: 'PUT', cookie: await host(), headers: { 'if-match': `"${basedOn}"` }, body: JSON.stringify(body) });
    const statement = async (month: string): Promise<Statement> => (await server.api(`${providerBase}/settlements?month=${month}&locale=en`, { cookie: await host() })).json();
    const amounts = (s: Statement) => s.courses.map((c) => [c.caseKey, c.amountOre]);

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      // The third provider: its seeded contract covers recent years, so 2019–2020 is free.
      providerId = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').orderBy('position').offset(2).limit(1).executeTakeFirstOrThrow()).organisation_id;
      providerBase = `/api/networks/${server.networkId}/providers/${providerId}`;
      expect((await post('courses/import', COURSES_CSV, 'text/csv')).status).toBe(201);
      const created = await post('contracts', contract({ name: 'Fjordhuset 2019–2020' }));
      expect(created.status).toBe(201);
      const body = await created.json();
      contractId = body.id;
      expect(body).toMatchObject({ version: 1, effectiveFrom: '2019-01', name: 'Fjordhuset 2019–2020', number: expect.stringMatching(/^K-\d{4}-\d{3}$/) });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('a price raised from a month prices the courses referred from then on and never re-prices an earlier one', async () => {
      const marchBefore = await statement('2019-03');
      const juneBefore = await statement('2019-06');
      expect(amounts(marchBefore)).toEqual([
        ['V-FIFTH', 50_000],
        ['V-JOB13', 50_000],
      ]);
      expect(amounts(juneBefore)).toEqual([
        ['V-JOB13', 950_000],
        ['V-JUNE', 0], // running: nothing due yet
      ]);
      expect(amounts(await statement('2019-07'))).toEqual([
        ['V-JUNE', 20_548], // 1,000,000 × 25 % × 30/365 = 20,547.95
        ['V-JULY', 20_548],
      ]);

      const changed = await put({ ...contract({ terms: { ...aalborg, priceOre: 2_000_000 } }), effectiveFrom: '2019-06', reason: 'Ny pris fra juni' }, 1);
      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({ version: 2, effectiveFrom: '2019-06', terms: { priceOre: 2_000_000 } });

      // March is as before; in June the January course is still paid at the first price, the June referral waits at the new one.
      expect(await statement('2019-03')).toEqual(marchBefore);
      const june = await statement('2019-06');
      const job13 = (x: Statement) => x.courses.find((c) => c.caseKey === 'V-JOB13');
      expect(job13(june)).toEqual(job13(juneBefore));
      expect(june.courses.find((c) => c.caseKey === 'V-JUNE')?.contractVersion).toBe(2);
      expect(june.pending.find((p) => p.caseKey === 'V-JUNE')?.pendingOre).toBe(2_000_000);
      const july = await statement('2019-07');
      expect(july.courses.map((c) => [c.caseKey, c.amountOre, c.contractVersion])).toEqual([
        ['V-JUNE', 41_096, 2], // 2,000,000 × 25 % × 30/365 = 41,095.89
        ['V-JULY', 41_096, 2],
      ]);
      expect(july.courses[0].lines[0].text).toContain('20.000,00 kr');
      expect(july.letter.contracts).toEqual([expect.objectContaining({ id: contractId, version: 2, effectiveFrom: '2019-06' })]);
      expect((await statement('2019-03')).letter.contracts).toEqual([expect.objectContaining({ version: 1, effectiveFrom: '2019-01' })]);
    });

    it('an approved month is frozen: screen and PDF stay the same through later changes, and no change may reach into it', async () => {
      expect((await post('settlements/2019-06/approve', {})).status).toBe(200);
      const approved = await statement('2019-06');
      const pdf = async () => new Uint8Array(await (await server.api(`${providerBase}/settlements/2019-06/statement.pdf?locale=da`, { cookie: await host() })).arrayBuffer());
      const pdfBefore = PDF_TOOLS ? pdfText(await pdf()) : '';

      // A change from an approved month is refused, naming the last approved month.
      const tooEarly = await put({ ...contract({ terms: { ...aalborg, priceOre: 3_000_000 } }), effectiveFrom: '2019-06', reason: 'Tilbage i tiden' }, 2);
      expect(tooEarly.status).toBe(409);
      const refusal = await tooEarly.json();
      expect(refusal.error.message).toContain('2019-06');
      expect(refusal.error.issues).toEqual([expect.objectContaining({ path: 'effectiveFrom', value: '2019-06' })]);

      // A change from the next month is accepted; the course records change too; the approved month does not move.
      expect((await put({ ...contract({ terms: { ...aalborg, priceOre: 3_000_000 } }), effectiveFrom: '2019-07', reason: 'Ny pris fra juli' }, 2)).status).toBe(200);
      await server.ctx.db.updateTable('organisations').set({ name: 'Omdøbt Udbyder ApS' }).where('id', '=', providerId).execute();
      await server.ctx.db.updateTable('course_records').set({ weeks_employed_of_26: 12 }).where('case_key', '=', 'V-JOB13').execute();
      const after = await statement('2019-06');
      expect({ ...after, recomputedTotalOre: 0 }).toEqual({ ...approved, recomputedTotalOre: 0 });
      expect(after.recomputedTotalOre).not.toBe(after.totalOre);
      if (PDF_TOOLS) expect(pdfText(await pdf())).toBe(pdfBefore);
      // July's draft prices July's referral at the newest price; June's referral keeps the June price.
      expect((await statement('2019-07')).courses.map((c) => [c.caseKey, c.amountOre, c.contractVersion])).toEqual([
        ['V-JUNE', 41_096, 2],
        ['V-JULY', 61_644, 3], // 3,000,000 × 25 % × 30/365 = 61,643.84
      ]);
    });

    it('a change based on a stale version is refused with the current one; of two at once, one wins', async () => {
      const stale = await put({ ...contract(), effectiveFrom: '2019-08', reason: 'Forældet udgangspunkt' }, 2);
      expect(stale.status).toBe(412);
      expect((await stale.json()).error).toMatchObject({ code: 'precondition_failed', currentVersion: 3 });
      const both = await Promise.all([1, 2].map((n) => put({ ...contract(), effectiveFrom: '2019-08', reason: `Samtidig ændring ${n}` }, 3)));
      expect(both.map((r) => r.status).sort()).toEqual([200, 412]);
      const versions = await (await server.api(`/api/networks/${server.networkId}/contracts/${contractId}/versions`, { cookie: await host() })).json();
      expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
    });

    it("one provider's contracts may not overlap; an overlap stored before the rule warns on the statements", async () => {
      const overlapping = await post('contracts', contract({ periodStart: '2020-06-01', periodEnd: '2021-05-31' }));
      expect(overlapping.status).toBe(409);
      const refusal = await overlapping.json();
      expect(refusal.error.message).toContain('Fjordhuset 2019–2020');
      expect(refusal.error.issues[0]).toMatchObject({ path: 'periodStart' });
      expect((await post('contracts', contract({ periodStart: '2021-01-01', periodEnd: '2021-12-31' }))).status).toBe(201);

      // As a migration would find it: a second contract over 2019, written straight into the tables.
      const at = new Date().toISOString();
      const hostId = (await server.ctx.db.selectFrom('users').select('id').where('email', '=', 'host@jobcenter.example').executeTakeFirstOrThrow()).id;
      await server.ctx.db.insertInto('contracts').values({ id: 'legacy-overlap', network_id: server.networkId, provider_id: providerId, name: 'Gammel aftale', number: 'K-2018-999', created_by: hostId, created_at: at }).execute();
      await server.ctx.db.insertInto('contract_versions').values({ ...storedVersionRow('legacy-overlap', hostId, at), effective_from: '2019-01' }).execute();
      const march = await statement('2019-03');
      expect(march.warnings).toEqual([expect.objectContaining({ kind: 'overlapping_contracts', contractIds: expect.arrayContaining([contractId, 'legacy-overlap']) })]);
      expect(march.warnings[0].text).toContain('K-2018-999');
      // Each course is paid once, under the contract registered first.
      expect(amounts(march)).toEqual([
        ['V-FIFTH', 50_000],
        ['V-JOB13', 50_000],
      ]);
      const listed = (await (await server.api(`/api/networks/${server.networkId}/contracts`, { cookie: await host() })).json()).contracts;
      expect(listed.find((c: { id: string }) => c.id === contractId).overlaps).toEqual([expect.objectContaining({ contractId: 'legacy-overlap', from: '2019-01-01', to: '2019-12-31' })]);
      // Outside the overlap there is no warning.
      expect((await statement('2020-03')).warnings).toEqual([]);
    });
  });
}
