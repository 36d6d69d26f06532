// Writes tables people open in Excel: CSV as Danish Excel reads it (BOM, ';', decimal comma) and
// XLSX with real numbers. Cells are typed by their column, so numbers stay numbers and text stays text.
import writeXlsxFile, { type Cell as XlsxCell } from 'write-excel-file/node';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `kroner` cells hold whole øre and are shown as kroner; `number` cells any number; `text` cells
 * anything else. A column without a kind takes each cell's own type.
 */
export type CellKind = 'text' | 'number' | 'kroner';

export interface SheetColumn {
  label: string;
  kind?: CellKind;
  /** Width in characters for XLSX. */
  width?: number;
}

export type Cell = string | number | null;

export interface Sheet {
  /** The worksheet's name (Excel allows 31 characters). */
  name: string;
  columns: SheetColumn[];
  rows: Cell[][];
}

/** The kroner format Excel shows for a `kroner` cell: "1.234,56 kr." in a Danish Excel. */
export const KRONER_FORMAT = '#,##0.00 "kr."';

/** Text a spreadsheet would run as a formula (or that starts one after a tab/CR) gets a leading quote. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Øre as a kroner amount with a decimal comma and no grouping, e.g. -123456 → "-1234,56". */
export function oreToDecimalComma(ore: number): string {
  if (!Number.isInteger(ore)) throw new RangeError(`${ore} is not whole øre`);
  const abs = Math.abs(ore);
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

function kindOf(column: SheetColumn, value: Exclude<Cell, null>): CellKind {
  if (column.kind === 'kroner' && typeof value === 'number') return 'kroner';
  if (column.kind === 'text') return 'text';
  return typeof value === 'number' ? 'number' : 'text';
}

function csvCell(column: SheetColumn, value: Cell): string {
  if (value === null) return '';
  let text: string;
  switch (kindOf(column, value)) {
    case 'kroner':
      text = oreToDecimalComma(value as number);
      break;
    case 'number':
      // Numbers are never escaped: "-12,5" must stay a number for Excel.
      text = Number.isFinite(value) ? String(value).replace('.', ',') : '';
      break;
    case 'text':
      text = neutraliseFormula(String(value));
      break;
  }
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with BOM, ';' between cells, CRLF between rows: what Danish Excel opens in columns. */
export function writeCsv(sheet: Sheet): Uint8Array {
  const lines = [sheet.columns.map((c) => csvCell({ label: c.label, kind: 'text' }, c.label)), ...sheet.rows.map((row) => sheet.columns.map((c, i) => csvCell(c, row[i] ?? null)))];
  return new TextEncoder().encode('\uFEFF' + lines.map((l) => l.join(';')).join('\r\n') + '\r\n');
}

function xlsxCell(column: SheetColumn, value: Cell): XlsxCell {
  if (value === null) return null;
  switch (kindOf(column, value)) {
    case 'kroner':
      return { value: (value as number) / 100, type: Number, format: KRONER_FORMAT };
    case 'number':
      return { value: value as number, type: Number };
    case 'text':
      return { value: String(value), type: String };
  }
}

/** One worksheet with a bold, frozen header row. */
export async function writeXlsx(sheet: Sheet): Promise<Uint8Array> {
  const data = [sheet.columns.map((c) => ({ value: c.label, type: String, fontWeight: 'bold' as const })), ...sheet.rows.map((row) => sheet.columns.map((c, i) => xlsxCell(c, row[i] ?? null)))];
  const buffer = await writeXlsxFile(data, {
    sheet: sheet.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31),
    columns: sheet.columns.map((c) => ({ width: c.width ?? Math.max(12, Math.min(40, c.label.length + 4)) })),
    stickyRowsCount: 1,
  }).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A sheet whose columns are typed by their cells (numbers stay numbers, text is text). */
export function plainSheet(name: string, labels: string[], rows: Cell[][]): Sheet {
  return { name, columns: labels.map((label) => ({ label })), rows };
}
