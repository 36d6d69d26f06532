// The statement letter's head (sender, recipient, contract reference, warnings) read back from the PDF,
// and the spreadsheet writer's cells: decimal commas, numbers kept numbers, formulas neutralised.
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { renderPdf } from '../../realtime/documents/pdf.ts';
import { neutraliseFormula, oreToDecimalComma, writeCsv } from '../../realtime/documents/spreadsheet.ts';
import { attachment } from '../../realtime/documents/attachment.ts';
import { statementFilename, statementLetter } from '../../realtime/contracts/statementDocuments.ts';
import type { SettlementStatement } from '../../realtime/wire/settlements.ts';
import { pdfToolsAvailable } from '../helpers/services.ts';
import { pdfText } from '../helpers/pdf.ts';

const statement: SettlementStatement = {
  networkId: 'n1',
  providerId: 'p1',
  providerName: 'Jobhus Ærø',
  month: '2026-10',
  status: 'draft',
  courses: Array.from({ length: 30 }, (_, i) => ({
    caseKey: `K-${i}`,
    programme: 'Virksomhedspraktik',
    referralDate: '2026-01-05',
    endDate: '2026-10-02',
    jobStartDate: null,
    weeksEmployed: null,
    contractId: 'c1',
    amountOre: 125_050,
    lines: [{ kind: 'base', text: '25 % af 5.002,00 kr = 1.250,50 kr', amountOre: 125_050 }],
  })),
  pending: [],
  letter: {
    networkName: 'Netværk Nord',
    sender: { name: 'Jobcenter Aalborg', cvr: '29189420' },
    recipient: { name: 'Jobhus Ærø', cvr: '12345678' },
    contracts: [{ id: 'c1', name: 'Praktikforløb 2026', number: 'K-2026-003', version: 2, effectiveFrom: '2026-07', periodStart: '2026-01-01', periodEnd: '2026-12-31' }],
  },
  warnings: [{ kind: 'overlapping_contracts', text: 'Kontrakt K-2026-003 og K-2026-004 dækker begge oktober 2026.', contractIds: ['c1', 'c2'] }],
  totalOre: 30 * 125_050,
  pendingOre: 0,
  approvedAt: null,
  approvedBy: null,
  corrections: [],
  totalWithCorrectionsOre: 30 * 125_050,
  recomputedTotalOre: 30 * 125_050,
};

describe.skipIf(!pdfToolsAvailable())('the statement letter', () => {
  it('names sender and recipient with CVR, the contract with number and version, boxes the warning and numbers every page', async () => {
    const pdf = await renderPdf(statementLetter(statement, 'da', '2026-11-03'));
    // Tagged for assistive technology as far as pdfkit goes: PDF/UA claim, language, title shown.
    const raw = Buffer.from(pdf).toString('latin1');
    for (const marker of ['<pdfuaid:part>1</pdfuaid:part>', '/Lang (da-DK)', '/DisplayDocTitle true', '/StructTreeRoot', '/S /Table', '/S /TH', '/S /H1']) expect(raw).toContain(marker);
    const text = pdfText(pdf);
    for (const expected of ['Afsender', 'Jobcenter Aalborg', 'CVR 29189420', 'Modtager', 'CVR 12345678', 'Netværk Nord', 'K-2026-003', 'version 2', 'gældende fra juli 2026', 'Oktober 2026', '3. nov. 2026']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Kontrakt K-2026-003 og K-2026-004 dækker begge oktober 2026.');
    // 30 course tables do not fit one page: every page says which of how many it is.
    const pages = [...text.matchAll(/side (\d+) af (\d+)/g)];
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.map((m) => Number(m[1]))).toEqual(pages.map((_, i) => i + 1));
    expect(new Set(pages.map((m) => m[2]))).toEqual(new Set([String(pages.length)]));
    expect(text).toContain('37.515,00 kr');
  });
});

describe.skipIf(!pdfToolsAvailable())('the PDF writer', () => {
  it('repeats a long table’s header on every page it runs over, with English page numbers', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => [`Line ${i}`, `${i},00 kr`]);
    const pdf = await renderPdf({ locale: 'en', title: 'Long', blocks: [{ type: 'table', columns: [{ label: 'Item' }, { label: 'Amount', align: 'right' }], rows }] });
    const pages = pdfText(pdf).split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      expect(page).toContain('Item');
      expect(page).toContain('Amount');
      expect(page).toContain(`page ${i + 1} of ${pages.length}`);
    });
    expect(pages.join('')).toContain('Line 89');
  });
});

describe('the spreadsheet writer', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    for (const good of ['Jobcenter', '1 - 2', "'already"]) expect(neutraliseFormula(good)).toBe(good);
  });

  it('writes øre as kroner with a decimal comma, exactly', () => {
    expect([0, 5, -5, 100, -123_456, 100_000_000_00].map(oreToDecimalComma)).toEqual(['0,00', '0,05', '-0,05', '1,00', '-1234,56', '100000000,00']);
  });

  it('keeps numbers numbers and quotes what needs quoting', () => {
    const csv = writeCsv({
      name: 'x',
      columns: [{ label: 'Tekst' }, { label: 'Beløb', kind: 'kroner' }, { label: 'Andel' }],
      rows: [
        ['-minus; "citat"', -1050, -0.25],
        [null, 7, 12],
      ],
    });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv);
    expect(text).toBe('\uFEFFTekst;Beløb;Andel\r\n"\'-minus; ""citat""";-10,50;-0,25\r\n;0,07;12\r\n');
    expect(parse(text, { delimiter: ';', bom: true })).toEqual([
      ['Tekst', 'Beløb', 'Andel'],
      ['\'-minus; "citat"', '-10,50', '-0,25'],
      ['', '0,07', '12'],
    ]);
  });

  it('names files in Danish with an RFC 6266 header', () => {
    expect(statementFilename(statement, 'pdf')).toBe('afregningsbilag-jobhus-aeroe-2026-10.pdf');
    expect(attachment('afregningsbilag-æ.csv')).toBe(`attachment; filename="afregningsbilag-_.csv"; filename*=UTF-8''afregningsbilag-%C3%A6.csv`);
  });
});
