// Reads an uploaded CSV or XLSX file into rows of text cells keyed by column name (the writers are
// in documents/spreadsheet.ts). Numbers are read as the text people typed (Danish commas included).
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';
import { CSV_TYPE, XLSX_TYPE } from '../documents/spreadsheet.ts';

export interface TableRow {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  cells: Record<string, string>;
}

export interface Table {
  columns: string[];
  rows: TableRow[];
}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 20_000;

export function kindOf(contentType: string | undefined): 'csv' | 'xlsx' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === CSV_TYPE || type === 'application/csv' || type === 'text/plain') return 'csv';
  if (type === XLSX_TYPE) return 'xlsx';
  throw new AppError('bad_request', `Send the file as ${CSV_TYPE} or ${XLSX_TYPE} (got "${type || 'no content type'}").`);
}

const normaliseHeader = (h: string) => h.trim().replace(/^\uFEFF/, '');

export async function readTable(body: Uint8Array, kind: 'csv' | 'xlsx'): Promise<Table> {
  if (body.byteLength === 0) throw new AppError('bad_request', 'The file is empty.');
  if (body.byteLength > MAX_UPLOAD_BYTES) throw new AppError('bad_request', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it.`);
  const table = kind === 'csv' ? readCsv(body) : await readXlsx(body);
  if (table.rows.length > MAX_ROWS) throw new AppError('bad_request', `The file has more than ${MAX_ROWS} rows; split it.`);
  return table;
}

function readCsv(body: Uint8Array): Table {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  // Danish spreadsheets export with semicolons; detect from the header line.
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    throw new AppError('bad_request', `The CSV file could not be read: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('bad_request', 'The file has no header row.');
  const columns = records[0].map(normaliseHeader);
  const rows = records.slice(1).map((cells, i) => ({
    row: i + 2,
    cells: Object.fromEntries(columns.map((c, j) => [c, (cells[j] ?? '').trim()])),
  }));
  return { columns, rows };
}

async function readXlsx(body: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(body.buffer, body.byteOffset, body.byteLength) as unknown as ArrayBuffer);
  } catch (err) {
    throw new AppError('bad_request', `The XLSX file could not be read: ${(err as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('bad_request', 'The workbook has no sheets.');
  const text = (v: ExcelJS.CellValue): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if (typeof v === 'object') {
      if ('result' in v) return text(v.result as ExcelJS.CellValue);
      if ('richText' in v) return v.richText.map((t) => t.text).join('');
      if ('text' in v) return String(v.text);
      return '';
    }
    return String(v).trim();
  };
  const header = sheet.getRow(1);
  const columns: string[] = [];
  header.eachCell({ includeEmpty: true }, (cell, col) => (columns[col - 1] = normaliseHeader(text(cell.value))));
  if (columns.length === 0) throw new AppError('bad_request', 'The first sheet has no header row.');
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    columns.forEach((c, j) => (cells[c] = text(r.getCell(j + 1).value)));
    if (Object.values(cells).some((v) => v !== '')) rows.push({ row: rowNumber, cells });
  });
  return { columns, rows };
}

/** Reads a number as typed in Danish or English: "33,5" and "33.5" are both 33.5; anything else is NaN. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+[.,]\d+$/.test(t)) return Number(t.replace(',', '.'));
  return Number.NaN;
}

/**
 * Finds each field's column by its accepted names (case-insensitive); a missing required column is
 * an issue naming the names it may have.
 */
export function findColumns<F extends string>(
  table: Table,
  aliases: Record<F, string[]>,
  optional: ReadonlySet<string>,
): { columns: Map<F, string>; issues: Array<{ path: string; message: string }> } {
  const columns = new Map<F, string>();
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of Object.keys(aliases) as F[]) {
    const wanted = aliases[field].map((c) => c.toLowerCase());
    const found = table.columns.find((c) => wanted.includes(c.toLowerCase()));
    if (found) columns.set(field, found);
    else if (!optional.has(field)) issues.push({ path: `column ${aliases[field][0]}`, message: `missing column (also accepted: ${aliases[field].slice(1).join(', ')})` });
  }
  return { columns, issues };
}
