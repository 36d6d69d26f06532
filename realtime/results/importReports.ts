// Importing many months of one provider's reports from CSV or XLSX: every row is checked first and
// every problem reported with row, column and reason; nothing is saved unless the whole file is clean.
import { findCprNumbers } from '../../domain/cpr.ts';
import { fieldName, type Locale, type ReportField } from '../../domain/reportInvariants.ts';
import type { MonthlyReportRow } from '../../db/tables/results.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import { MonthlyReportInput } from '../wire/reports.ts';
import { assertMayWriteReports, assertProviderInNetwork, isUniqueViolation, monthsTakenPartIn, reportIssues, storeReportVersion } from './reports.ts';
import { findColumns, parseNumber, readTable, type Table } from './tabular.ts';
import type { Actor } from '../../domain/access.ts';

const REASON_NAMES = { da: 'Begrundelse', en: 'Reason' } as const;
const label = (field: keyof MonthlyReportInput, locale: Locale) => (field === 'reason' ? REASON_NAMES[locale] : fieldName(field as ReportField, locale));

/**
 * Column names accepted for each field: the Danish headers of the template (the form's labels),
 * the English ones, the API's names and the older short Danish names. Compared by headerKey, so
 * "Aktivering (%)" is "Aktivering".
 */
export const REPORT_COLUMNS: Record<keyof MonthlyReportInput, string[]> = Object.fromEntries(
  Object.entries({
    month: ['month', 'måned'],
    referred: ['referred', 'henviste'],
    active: ['active', 'aktive'],
    jobStarts: ['jobStarts', 'jobstart', 'jobstarter'],
    retained13of26: ['retained13of26', 'fastholdt_13_af_26', 'fastholdt'],
    activationPct: ['activationPct', 'aktivering_pct'],
    satisfactionMean: ['satisfactionMean', 'tilfredshed'],
    satisfactionResponses: ['satisfactionResponses', 'tilfredshed_svar'],
    reason: ['reason', 'begrundelse', 'Begrundelse for rettelsen', 'Reason for the correction'],
  }).map(([field, names]) => [field, [label(field as keyof MonthlyReportInput, 'da'), label(field as keyof MonthlyReportInput, 'en'), ...names]]),
) as Record<keyof MonthlyReportInput, string[]>;

/** The downloadable template: the headers in the user's language, as Danish Excel opens it (UTF-8 with BOM, ";"). */
export function reportTemplateCsv(locale: Locale): Uint8Array {
  const headers = (Object.keys(REPORT_COLUMNS) as Array<keyof MonthlyReportInput>).map((f) => (f === 'activationPct' ? `${label(f, locale)} (%)` : label(f, locale)));
  return new TextEncoder().encode(`\uFEFF${headers.join(';')}\r\n`);
}

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
export const refuseImport = (issues: FieldIssue[], locale: Locale = 'da') =>
  new AppError(
    'validation_failed',
    locale === 'en'
      ? `Nothing was imported: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the file. Fix every row listed and import again.`
      : `Intet blev importeret: ${issues.length} ${issues.length === 1 ? 'fejl' : 'fejl'} i filen. Ret alle de viste rækker, og importér igen.`,
    issues,
  );

/** A problem in one cell: row number, column and value travel beside the message, for the page's table. */
export const rowIssue = (row: number, column: string, message: string, value?: string): FieldIssue => ({
  path: `row ${row}, ${column}`,
  message,
  row,
  column,
  // A CPR number is never echoed back, not even in a refusal.
  ...(value === undefined || findCprNumbers(value).length ? {} : { value }),
});

/** Why a cell's text is not a value of its field, in the user's language. */
function cellMessage(field: keyof MonthlyReportInput, text: string, locale: Locale): string {
  const da = locale === 'da';
  const name = label(field, locale);
  if (field === 'month') return da ? `${name} skal skrives ÅÅÅÅ-MM, fx 2026-10 (fik "${text}").` : `${name} must be written YYYY-MM, e.g. 2026-10 (got "${text}").`;
  if (field === 'reason') return da ? `${name} skal være 3 til 2000 tegn.` : `${name} must be 3 to 2000 characters.`;
  if (text === '') return da ? `${name} mangler.` : `${name} is missing.`;
  const n = parseNumber(text);
  if (n === null || Number.isNaN(n)) return da ? `${name} skal være et tal (fik "${text}").` : `${name} must be a number (got "${text}").`;
  if (field === 'activationPct') return da ? `${name} er en procent fra 0 til 100 (fik ${text}).` : `${name} is a percentage from 0 to 100 (got ${text}).`;
  if (field === 'satisfactionMean') return da ? `${name} er et gennemsnit fra 1 til 5 (fik ${text}).` : `${name} is a mean from 1 to 5 (got ${text}).`;
  if (n > 100_000) return da ? `${name} er urealistisk stor (højst 100.000; fik ${text}).` : `${name} is implausibly large (at most 100,000; got ${text}).`;
  return da ? `${name} skal være et helt tal på 0 eller mere (fik ${text}).` : `${name} must be a whole number of 0 or more (got ${text}).`;
}

/** Any cell that looks like a CPR number refuses the whole file: personal data must not come in. */
const CPR_CELL = {
  da: 'ligner et CPR-nummer; personnumre må ikke importeres – brug en pseudonym sagsnøgle',
  en: 'looks like a CPR number; personal ID numbers must not be imported — use a pseudonymous case key',
} as const;

export function cprIssues(table: Table, locale: Locale = 'da'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const { row, cells } of table.rows) {
    for (const [column, value] of Object.entries(cells)) {
      if (findCprNumbers(value).length) issues.push(rowIssue(row, column, CPR_CELL[locale]));
    }
  }
  return issues;
}

/** Turns a table into report inputs, or the complete list of what is wrong with it, in the user's language. */
export function checkReportTable(table: Table, now: Date, locale: Locale = 'da', onProgress?: ImportProgress): { inputs: Array<{ row: number; input: MonthlyReportInput }>; issues: FieldIssue[] } {
  const found = findColumns(table, REPORT_COLUMNS, OPTIONAL, locale);
  const columns = found.columns;
  const issues: FieldIssue[] = [...cprIssues(table, locale), ...found.issues];
  if (issues.some((i) => i.path.startsWith('column'))) return { inputs: [], issues };
  if (table.rows.length === 0) return { inputs: [], issues: [...issues, { path: 'file', message: locale === 'da' ? 'filen har ingen rækker med data' : 'has no data rows' }] };

  const inputs: Array<{ row: number; input: MonthlyReportInput }> = [];
  const seenMonths = new Map<string, number>();
  table.rows.forEach(({ row, cells }, index) => {
    const raw: Record<string, unknown> = {};
    for (const [field, column] of columns) {
      const text = cells[column] ?? '';
      if (text === '') continue;
      raw[field] = NUMERIC.has(field) ? parseNumber(text) : text;
    }
    const cellOf = (field: string) => {
      const column = columns.get(field as keyof MonthlyReportInput) ?? label(field as keyof MonthlyReportInput, locale);
      return { column, value: cells[column] ?? '' };
    };
    const parsed = MonthlyReportInput.safeParse(raw);
    if (!parsed.success) {
      const fields = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
      for (const field of fields) {
        const { column, value } = cellOf(field);
        issues.push(rowIssue(row, column, cellMessage(field as keyof MonthlyReportInput, value, locale), value));
      }
      return;
    }
    const rowIssues = reportIssues(parsed.data, now, locale);
    for (const i of rowIssues) {
      const { column, value } = cellOf(i.path);
      issues.push(rowIssue(row, column, i.message, value));
    }
    const first = seenMonths.get(parsed.data.month);
    if (first !== undefined) {
      const { column, value } = cellOf('month');
      issues.push(rowIssue(row, column, locale === 'da' ? `${value} står to gange i filen (også række ${first}).` : `${value} appears twice in the file (also row ${first}).`, value));
    }
    seenMonths.set(parsed.data.month, row);
    // Only a row that keeps every rule is an input: nothing the metrics cannot compute gets further.
    if (rowIssues.length === 0) inputs.push({ row, input: parsed.data });
    if (index % 500 === 0) onProgress?.(index, table.rows.length, 'checking');
  });
  return { inputs, issues };
}

/** The whole import: read, check every row, then store every month in one transaction. */
export async function importReports(
  ctx: AppContext,
  who: { userId: string; actor: Actor; locale?: Locale },
  file: ProviderFile,
  onProgress?: ImportProgress,
): Promise<MonthlyReportRow[]> {
  const { networkId, providerId } = file;
  const locale = who.locale ?? 'da';
  const da = locale === 'da';
  const table = await readProviderFile(ctx, who.actor, file);
  const { inputs, issues } = checkReportTable(table, ctx.now(), locale, onProgress);
  const outsidePeriods = await monthsTakenPartIn(ctx.db, networkId, providerId);
  const monthColumn = findColumns(table, REPORT_COLUMNS, OPTIONAL).columns.get('month') ?? 'month';
  for (const { row, input } of inputs) {
    if (!outsidePeriods(input.month)) continue;
    const message = da ? `Udbyderen deltager ikke i netværket i ${input.month}.` : `The provider does not take part in the network in ${input.month}.`;
    issues.push(rowIssue(row, monthColumn, message, input.month));
  }
  if (issues.length) throw refuseImport(issues, locale);

  const conflicts: FieldIssue[] = [];
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const stored: MonthlyReportRow[] = [];
      for (const [i, { row, input }] of inputs.entries()) {
        try {
          stored.push(await storeReportVersion(trx, ctx, who, networkId, providerId, input));
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'conflict')) throw err;
          const message = da
            ? `${input.month} er allerede indberettet; en rettelse kræver en begrundelse i kolonnen ${REASON_NAMES.da}.`
            : `${input.month} is already reported; a correction needs a reason in the ${REASON_NAMES.en} column.`;
          conflicts.push(rowIssue(row, monthColumn, message, input.month));
        }
        if (i % 200 === 0) onProgress?.(i, inputs.length, 'saving');
      }
      // Conflicts roll the whole transaction back: all or nothing.
      if (conflicts.length) throw refuseImport(conflicts, locale);
      onProgress?.(inputs.length, inputs.length, 'saving');
      return stored;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'Someone saved one of these months at the same moment; nothing was imported. Try again.');
    throw err;
  }
}
