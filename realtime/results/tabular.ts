// Reads an uploaded CSV or XLSX file into rows of text cells keyed by column name (the writers are
// in documents/spreadsheet.ts). Numbers are read as the text people typed (Danish commas included);
// CSV in UTF-8 or Windows-1252, separated by ";", tab or ",".
import { parse } from 'csv-parse/sync';
import { readSheet, type SheetData } from 'read-excel-file/node';
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

/**
 * A header as compared with the accepted names: case, accents' composition, punctuation, "_" and a
 * unit in brackets do not matter, so "Aktivering (%)", "aktivering_pct" and "AKTIVERING" all match.
 */
export function headerKey(h: string): string {
  return normaliseHeader(h)
    .normalize('NFC')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The text of a CSV file: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode
 * text"), else Windows-1252 — what Excel on a Danish Windows saves as "CSV (semikolonsepareret)" —
 * recognised by its bytes not being valid UTF-8, so æ, ø and å survive either way.
 */
export function decodeText(body: Uint8Array): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return new TextDecoder('utf-8').decode(body.subarray(3));
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1252').decode(body);
  }
}

/** The separator of the header line, outside quotes: ";" (Danish Excel), tab or ",". */
function delimiterOf(text: string): string {
  const counts = new Map([[';', 0], ['\t', 0], [',', 0]]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts].reduce((best, next) => (next[1] > best[1] ? next : best), [',', 0])[0];
}

export async function readTable(body: Uint8Array, kind: 'csv' | 'xlsx'): Promise<Table> {
  if (body.byteLength === 0) throw new AppError('bad_request', 'The file is empty.');
  if (body.byteLength > MAX_UPLOAD_BYTES) throw new AppError('bad_request', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it.`);
  const table = kind === 'csv' ? readCsv(body) : await readXlsx(body);
  if (table.rows.length > MAX_ROWS) throw new AppError('bad_request', `The file has more than ${MAX_ROWS} rows; split it.`);
  return table;
}

function readCsv(body: Uint8Array): Table {
  const text = decodeText(body);
  const delimiter = delimiterOf(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    throw new AppError('bad_request', `The CSV file could not be read: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new AppError('bad_request', 'The file has no header row.');
  const columns = records[0].map(normaliseHeader);
  const rows = records
    .slice(1)
    .map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(columns.map((c, j) => [c, (cells[j] ?? '').trim()])) }))
    // A row of separators only (";;;;" as Excel writes below the data) is empty, not a row with errors.
    .filter((r) => Object.values(r.cells).some((v) => v !== ''));
  return { columns, rows };
}

/** What a workbook may unpack to: a 5 MB upload of repeated cells could otherwise unpack to gigabytes. */
export const MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024;

/**
 * The total unpacked size a zip file declares in its central directory, read before anything is
 * unpacked; null when it is not a zip this check can read (the reader then refuses it), Infinity
 * for a zip64 archive (no workbook people upload needs one).
 */
export function declaredUnpackedBytes(body: Uint8Array): number | null {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  // The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KB.
  for (let at = body.byteLength - 22; at >= Math.max(0, body.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    const entries = view.getUint16(at + 10, true);
    let entry = view.getUint32(at + 16, true);
    if (entries === 0xffff || entry === 0xffffffff) return Infinity;
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (entry + 46 > body.byteLength || view.getUint32(entry, true) !== 0x02014b50) return null;
      const size = view.getUint32(entry + 24, true);
      if (size === 0xffffffff) return Infinity;
      total += size;
      entry += 46 + view.getUint16(entry + 28, true) + view.getUint16(entry + 30, true) + view.getUint16(entry + 32, true);
    }
    return total;
  }
  return null;
}

/** The first sheet of a workbook, read with read-excel-file (exceljs is no longer maintained; see the closing note of issue 17). */
async function readXlsx(body: Uint8Array): Promise<Table> {
  const unpacked = declaredUnpackedBytes(body);
  if (unpacked !== null && unpacked > MAX_XLSX_UNPACKED_BYTES) {
    throw new AppError('bad_request', `The XLSX file unpacks to more than ${MAX_XLSX_UNPACKED_BYTES / 1024 / 1024} MB; split it.`);
  }
  let data: SheetData;
  try {
    data = await readSheet(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 1);
  } catch (err) {
    throw new AppError('bad_request', `The XLSX file could not be read: ${(err as Error).message}`);
  }
  const text = (v: SheetData[number][number]): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v).trim();
  };
  const header = data[0] ?? [];
  const columns = header.map((v) => normaliseHeader(text(v)));
  if (columns.every((c) => c === '')) throw new AppError('bad_request', 'The first sheet has no header row.');
  const rows: TableRow[] = [];
  data.slice(1).forEach((r, i) => {
    const cells: Record<string, string> = {};
    columns.forEach((c, j) => (cells[c] = text(r[j] ?? null)));
    // Row numbers as the spreadsheet shows them: empty rows are kept by the reader, so i + 2.
    if (Object.values(cells).some((v) => v !== '')) rows.push({ row: i + 2, cells });
  });
  return { columns, rows };
}

/**
 * Reads a number as typed in Danish or English: "33,5" and "33.5" are both 33.5, and a thousands
 * separator is allowed where it cannot be a decimal ("1.234,5", "1,234.5"); anything else is NaN.
 */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/[\s\u00a0]/g, '').replace(/^\u2212/, '-');
  if (t === '') return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+[.,]\d+$/.test(t)) return Number(t.replace(',', '.'));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  return Number.NaN;
}

/**
 * Finds each field's column by its accepted names, compared by headerKey; a missing required
 * column is an issue naming the names it may have, in the user's language.
 */
export function findColumns<F extends string>(
  table: Table,
  aliases: Record<F, string[]>,
  optional: ReadonlySet<string>,
  locale: 'da' | 'en' = 'da',
): { columns: Map<F, string>; issues: Array<{ path: string; message: string }> } {
  const columns = new Map<F, string>();
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of Object.keys(aliases) as F[]) {
    const wanted = new Set(aliases[field].map(headerKey));
    const found = table.columns.find((c) => wanted.has(headerKey(c)));
    if (found) columns.set(field, found);
    else if (!optional.has(field)) {
      const names = aliases[field].map((a) => `"${a}"`).join(', ');
      issues.push({ path: `column ${aliases[field][0]}`, message: locale === 'en' ? `missing column; accepted names: ${names}` : `kolonnen mangler; disse navne kan bruges: ${names}` });
    }
  }
  return { columns, issues };
}
