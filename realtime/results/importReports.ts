// Importing many months of one provider's reports from CSV or XLSX: every row is checked first and
// every problem reported with row, column and reason; nothing is saved unless the whole file is clean.
import { findCprNumbers } from '../../domain/cpr.ts';
import type { MonthlyReportRow } from '../../db/tables/results.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, fieldIssues, type FieldIssue } from '../errors.ts';
import { MonthlyReportInput } from '../wire/reports.ts';
import { assertMayWriteReports, assertProviderInNetwork, isUniqueViolation, monthsTakenPartIn, reportIssues, storeReportVersion } from './reports.ts';
import { findColumns, parseNumber, readTable, type Table } from './tabular.ts';
import type { Actor } from '../../domain/access.ts';

/** Column names accepted for each field: the API's names and the Danish ones people use. */
export const REPORT_COLUMNS: Record<keyof MonthlyReportInput, string[]> = {
  month: ['month', 'måned'],
  referred: ['referred', 'henviste'],
  active: ['active', 'aktive'],
  jobStarts: ['jobStarts', 'jobstart'],
  retained13of26: ['retained13of26', 'fastholdt_13_af_26'],
  activationPct: ['activationPct', 'aktivering_pct'],
  satisfactionMean: ['satisfactionMean', 'tilfredshed'],
  satisfactionResponses: ['satisfactionResponses', 'tilfredshed_svar'],
  reason: ['reason', 'begrundelse'],
};

const NUMERIC = new Set(['referred', 'active', 'jobStarts', 'retained13of26', 'activationPct', 'satisfactionMean', 'satisfactionResponses']);
const OPTIONAL = new Set(['satisfactionMean', 'reason']);

export type ImportProgress = (done: number, total: number, phase: 'checking' | 'saving') => void;

/** One provider's uploaded file, as both imports (reports, courses) take it. */
export interface ProviderFile {
  networkId: string;
  providerId: string;
  body: Uint8Array;
  kind: 'csv' | 'xlsx';
}

/** Checks the caller may write this provider's results, then reads the file as a table. */
export async function readProviderFile(ctx: AppContext, actor: Actor, file: ProviderFile): Promise<Table> {
  await assertProviderInNetwork(ctx.db, file.networkId, file.providerId);
  assertMayWriteReports(actor, file.networkId, file.providerId);
  return readTable(file.body, file.kind);
}

/** The answer to a file with problems: nothing is stored, and every problem is listed. */
export const refuseImport = (issues: FieldIssue[]) =>
  new AppError('validation_failed', `Nothing was imported: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the file. Fix every row listed and import again.`, issues);

const rowIssue = (row: number, column: string, message: string): FieldIssue => ({ path: `row ${row}, ${column}`, message });

/** Any cell that looks like a CPR number refuses the whole file: personal data must not come in. */
export function cprIssues(table: Table): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { row, cells } of table.rows) {
    for (const [column, value] of Object.entries(cells)) {
      if (findCprNumbers(value).length) issues.push(rowIssue(row, column, 'looks like a CPR number; personal ID numbers must not be imported — use a pseudonymous case key'));
    }
  }
  return issues;
}

/** Turns a table into report inputs, or the complete list of what is wrong with it. */
export function checkReportTable(table: Table, now: Date, onProgress?: ImportProgress): { inputs: Array<{ row: number; input: MonthlyReportInput }>; issues: FieldIssue[] } {
  const found = findColumns(table, REPORT_COLUMNS, OPTIONAL);
  const columns = found.columns;
  const issues: FieldIssue[] = [...cprIssues(table), ...found.issues];
  if (issues.some((i) => i.path.startsWith('column'))) return { inputs: [], issues };
  if (table.rows.length === 0) return { inputs: [], issues: [...issues, { path: 'file', message: 'has no data rows' }] };

  const inputs: Array<{ row: number; input: MonthlyReportInput }> = [];
  const seenMonths = new Map<string, number>();
  table.rows.forEach(({ row, cells }, index) => {
    const raw: Record<string, unknown> = {};
    for (const [field, column] of columns) {
      const text = cells[column] ?? '';
      if (text === '') continue;
      raw[field] = NUMERIC.has(field) ? parseNumber(text) : text;
    }
    const parsed = MonthlyReportInput.safeParse(raw);
    if (!parsed.success) {
      for (const i of fieldIssues(parsed.error.issues)) issues.push(rowIssue(row, columns.get(i.path as keyof MonthlyReportInput) ?? i.path, i.message));
      return;
    }
    for (const i of reportIssues(parsed.data, now)) issues.push(rowIssue(row, columns.get(i.path as keyof MonthlyReportInput) ?? i.path, i.message));
    const first = seenMonths.get(parsed.data.month);
    if (first !== undefined) issues.push(rowIssue(row, columns.get('month')!, `${parsed.data.month} appears twice in the file (also row ${first})`));
    seenMonths.set(parsed.data.month, row);
    inputs.push({ row, input: parsed.data });
    if (index % 500 === 0) onProgress?.(index, table.rows.length, 'checking');
  });
  return { inputs, issues };
}

/** The whole import: read, check every row, then store every month in one transaction. */
export async function importReports(ctx: AppContext, who: { userId: string; actor: Actor }, file: ProviderFile, onProgress?: ImportProgress): Promise<MonthlyReportRow[]> {
  const { networkId, providerId } = file;
  const table = await readProviderFile(ctx, who.actor, file);
  const { inputs, issues } = checkReportTable(table, ctx.now(), onProgress);
  const outsidePeriods = await monthsTakenPartIn(ctx.db, networkId, providerId);
  for (const { row, input } of inputs) {
    const issue = outsidePeriods(input.month);
    if (issue) issues.push(rowIssue(row, 'month', issue.message));
  }
  if (issues.length) throw refuseImport(issues);

  const conflicts: FieldIssue[] = [];
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const stored: MonthlyReportRow[] = [];
      for (const [i, { row, input }] of inputs.entries()) {
        try {
          stored.push(await storeReportVersion(trx, ctx, who, networkId, providerId, input));
        } catch (err) {
          if (err instanceof AppError && err.code === 'conflict') conflicts.push(rowIssue(row, 'month', err.message));
          else throw err;
        }
        if (i % 200 === 0) onProgress?.(i, inputs.length, 'saving');
      }
      // Conflicts roll the whole transaction back: all or nothing.
      if (conflicts.length) throw refuseImport(conflicts);
      onProgress?.(inputs.length, inputs.length, 'saving');
      return stored;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'Someone saved one of these months at the same moment; nothing was imported. Try again.');
    throw err;
  }
}
