// The report invariants: whatever the API or the import accepts, the metrics compute without
// throwing; whatever is stored, the boards' partition leaves out exactly what they cannot compute.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { latestVersions, providerMetrics, type MonthlyReport } from '../../domain/metrics.ts';
import { monthViolations, partitionReports, violationMessage } from '../../domain/reportInvariants.ts';
import { addMonths } from '../../domain/time.ts';
import { checkReportTable } from '../../realtime/results/importReports.ts';
import { reportIssues } from '../../realtime/results/reports.ts';
import { declaredUnpackedBytes, decodeText, headerKey, MAX_XLSX_UNPACKED_BYTES, parseNumber, readTable } from '../../realtime/results/tabular.ts';
import { MonthlyReportInput } from '../../realtime/wire/reports.ts';

const SEED = { seed: 20261207, numRuns: 300 };
const NOW = new Date('2026-12-07T12:00:00Z');

/** Figures anywhere near the rules' edges, and some far off them. */
const count = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(0, 1, 1.5, 100_001));
const rawMonth = fc.record({
  month: fc.integer({ min: 0, max: 30 }).map((back) => addMonths('2026-12', -back)),
  referred: count,
  active: count,
  jobStarts: count,
  retained13of26: count,
  activationPct: fc.oneof(fc.double({ min: -10, max: 110, noNaN: true }), fc.constantFrom(0, 100)),
  satisfactionMean: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 6, noNaN: true })),
  satisfactionResponses: count,
});

const asReport = (input: MonthlyReportInput, providerId = 'A'): MonthlyReport => ({
  providerId, version: 1, month: input.month, referred: input.referred, active: input.active, jobStarts: input.jobStarts, retained13of26: input.retained13of26,
  activationPct: input.activationPct, satisfactionMean: input.satisfactionMean ?? null, satisfactionResponses: input.satisfactionResponses,
});

/** One month as the API takes it: the schema, then the cross-field rules. */
function acceptedByApi(raw: unknown): MonthlyReportInput | null {
  const parsed = MonthlyReportInput.safeParse(raw);
  return parsed.success && reportIssues(parsed.data, NOW).length === 0 ? parsed.data : null;
}

const cell = (v: number | null) => (v === null ? '' : String(v).replace('.', ','));

describe('report invariants', () => {
  it('every month the API accepts, in any combination, the metrics compute without throwing', () => {
    fc.assert(
      fc.property(fc.array(rawMonth, { maxLength: 14 }), (raws) => {
        const accepted = raws.map(acceptedByApi).filter((x): x is MonthlyReportInput => x !== null);
        const byMonth = new Map(accepted.map((a) => [a.month, a]));
        const m = providerMetrics([...byMonth.values()].map((a) => asReport(a)));
        if (m.jobRate) expect(m.jobRate.count).toBeLessThanOrEqual(m.jobRate.n);
        if (m.retention) expect(m.retention.count).toBeLessThanOrEqual(m.retention.n);
      }),
      SEED,
    );
  });

  it('every file the import accepts computes too (Danish headers, ";" and decimal commas)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(rawMonth, { maxLength: 10, selector: (r) => r.month }), (raws) => {
        const columns = ['Måned', 'Henviste borgere', 'Aktive borgere', 'Jobstart', 'Fastholdt 13 af 26 uger', 'Aktivering (%)', 'Tilfredshed, gennemsnit', 'Tilfredshed, antal svar'];
        const rows = raws.map((r, i) => ({
          row: i + 2,
          cells: Object.fromEntries(
            [r.month, r.referred, r.active, r.jobStarts, r.retained13of26, r.activationPct, r.satisfactionMean, r.satisfactionResponses].map((v, j) => [
              columns[j],
              typeof v === 'string' ? v : cell(v),
            ]),
          ),
        }));
        const { inputs, issues } = checkReportTable({ columns, rows }, NOW);
        if (issues.length === 0) expect(() => providerMetrics(inputs.map((i) => asReport(i.input)))).not.toThrow();
        // Every input that passed on its own keeps the invariants, even when other rows failed.
        for (const { input } of inputs) expect(monthViolations(asReport(input))).toEqual([]);
      }),
      SEED,
    );
  });

  it('whatever is stored, the months the partition keeps always compute', () => {
    const stored = fc.record({ raw: rawMonth, providerId: fc.constantFrom('A', 'B'), version: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.array(stored, { maxLength: 20 }), (rows) => {
        const reports = rows.map(({ raw, providerId, version }) => ({ ...raw, providerId, version, satisfactionMean: raw.satisfactionMean }) as MonthlyReport);
        const unique = [...new Map(reports.map((r) => [JSON.stringify([r.providerId, r.month, r.version]), r])).values()];
        for (const providerId of ['A', 'B']) {
          const { valid, flagged } = partitionReports(latestVersions(unique.filter((r) => r.providerId === providerId)));
          expect(() => providerMetrics(valid)).not.toThrow();
          for (const f of flagged) expect(f.violations.length).toBeGreaterThan(0);
        }
      }),
      SEED,
    );
  });

  it('names the field, the rule and the values, in Danish by default and in English', () => {
    const [v] = monthViolations({ providerId: 'A', month: '2026-10', referred: 5, active: 20, jobStarts: 30, retained13of26: 0, activationPct: 30, satisfactionMean: null, satisfactionResponses: 0 });
    expect(v).toMatchObject({ rule: 'job_starts_exceed_active', field: 'jobStarts' });
    expect(violationMessage(v, 'da')).toBe('Jobstart (30) kan ikke være større end aktive borgere (20): jobraten er jobstart pr. aktiv borger.');
    expect(violationMessage(v, 'en')).toBe('Job starts (30) cannot exceed citizens active (20): the job rate is job starts per active citizen.');
  });
});

describe('reading imported files', () => {
  it('tells UTF-8 (with or without BOM) from Windows-1252, keeping æøå', () => {
    const text = 'Måned;Begrundelse\n2026-10;Fejl i æøå\n';
    const utf8 = new TextEncoder().encode(text);
    const cp1252 = Uint8Array.from([...text].map((ch) => ({ å: 0xe5, æ: 0xe6, ø: 0xf8 })[ch] ?? ch.charCodeAt(0)));
    expect(decodeText(utf8)).toBe(text);
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toBe(text);
    expect(decodeText(cp1252)).toBe(text);
  });

  it('finds the separator of the header line, and skips rows of separators only', async () => {
    const semicolons = await readTable(new TextEncoder().encode('Måned;Aktivering (%)\n2026-10;"33,5"\n;\n'), 'csv');
    expect(semicolons).toEqual({ columns: ['Måned', 'Aktivering (%)'], rows: [{ row: 2, cells: { Måned: '2026-10', 'Aktivering (%)': '33,5' } }] });
    const commas = await readTable(new TextEncoder().encode('month,activationPct\n2026-10,"33,5"\n'), 'csv');
    expect(commas.rows[0].cells).toEqual({ month: '2026-10', activationPct: '33,5' });
  });

  it('reads the first sheet of a workbook with the row numbers Excel shows, dates as YYYY-MM-DD', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ark1');
    sheet.addRow(['Måned', 'Aktivering (%)', 'Henvist']);
    sheet.addRow(['2026-10', 33.5, new Date('2026-01-05T00:00:00Z')]);
    sheet.getRow(4).values = ['2026-11', 30, 'Århus'];
    const table = await readTable(new Uint8Array(await workbook.xlsx.writeBuffer()), 'xlsx');
    expect(table).toEqual({
      columns: ['Måned', 'Aktivering (%)', 'Henvist'],
      rows: [
        { row: 2, cells: { Måned: '2026-10', 'Aktivering (%)': '33.5', Henvist: '2026-01-05' } },
        { row: 4, cells: { Måned: '2026-11', 'Aktivering (%)': '30', Henvist: 'Århus' } },
      ],
    });
    await expect(readTable(new TextEncoder().encode('not a zip'), 'xlsx')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('refuses a workbook that would unpack to more than the limit, before unpacking it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Ark1').addRow(['Måned']);
    const real = new Uint8Array(await workbook.xlsx.writeBuffer());
    const declared = declaredUnpackedBytes(real)!;
    expect(declared).toBeGreaterThan(0);
    expect(declared).toBeLessThan(MAX_XLSX_UNPACKED_BYTES);
    // A zip whose central directory declares one entry of 1 GB: only the directory is read.
    const name = new TextEncoder().encode('xl/worksheets/sheet1.xml');
    const bomb = new Uint8Array(46 + name.length + 22);
    const view = new DataView(bomb.buffer);
    view.setUint32(0, 0x02014b50, true);
    view.setUint32(24, 1024 ** 3, true);
    view.setUint16(28, name.length, true);
    bomb.set(name, 46);
    const end = 46 + name.length;
    view.setUint32(end, 0x06054b50, true);
    view.setUint16(end + 8, 1, true);
    view.setUint16(end + 10, 1, true);
    view.setUint32(end + 12, end, true);
    view.setUint32(end + 16, 0, true);
    expect(declaredUnpackedBytes(bomb)).toBe(1024 ** 3);
    await expect(readTable(bomb, 'xlsx')).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('unpacks to more than') });
  });

  it('compares headers without case, punctuation or a unit in brackets', () => {
    expect(headerKey('Aktivering (%)')).toBe(headerKey('aktivering'));
    expect(headerKey('Tilfredshed, antal svar')).toBe('tilfredshed antal svar');
    expect(headerKey('\uFEFFfastholdt_13_af_26')).toBe('fastholdt 13 af 26');
  });

  it('reads decimal commas and points, and thousands separators where they cannot be decimals', () => {
    expect([parseNumber('33,5'), parseNumber('33.5'), parseNumber('1.234,5'), parseNumber('1,234.5'), parseNumber(' 12 '), parseNumber('')]).toEqual([33.5, 33.5, 1234.5, 1234.5, 12, null]);
    expect(parseNumber('tre')).toBeNaN();
  });
});
