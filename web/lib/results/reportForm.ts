// The monthly report form: reads what people type (Danish decimal commas, thousands points) into
// the API's MonthlyReportInput, and checks it first so most mistakes are explained in the page's
// language, field by field. The API checks everything again; its issues map onto the same fields.
import type { MonthlyReportInput } from '$wire/reports.ts';
import { isMonth } from '$domain/time.ts';

export const REPORT_FIELDS = ['month', 'referred', 'active', 'jobStarts', 'retained13of26', 'activationPct', 'satisfactionMean', 'satisfactionResponses', 'reason'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];
export type ReportValues = Record<ReportField, string>;

const COUNTS = ['referred', 'active', 'jobStarts', 'retained13of26', 'satisfactionResponses'] as const;

export type ProblemKey =
  | 'required'
  | 'notNumber'
  | 'notWhole'
  | 'negative'
  | 'tooLarge'
  | 'monthFormat'
  | 'monthFuture'
  | 'pctRange'
  | 'satisfactionRange'
  | 'retainedExceeds'
  | 'jobStartsExceed'
  | 'answersExceed'
  | 'meanWithoutAnswers'
  | 'answersWithoutMean'
  | 'reasonRequired'
  | 'reasonShort'
  | 'reasonCpr'
  | 'server';

export interface FieldProblem {
  field: ReportField;
  key: ProblemKey;
  /** The API's own words, for a problem this form did not foresee (key 'server'). */
  message?: string;
}

export const emptyValues = (): ReportValues => Object.fromEntries(REPORT_FIELDS.map((f) => [f, ''])) as ReportValues;

/** The form's fields from a submitted form (missing ones empty, long ones cut). */
export function valuesOf(form: FormData): ReportValues {
  const values = emptyValues();
  for (const field of REPORT_FIELDS) {
    const value = form.get(field);
    values[field] = typeof value === 'string' ? value.slice(0, field === 'reason' ? 2000 : 40) : '';
  }
  return values;
}

/** A stored version's figures as form values, written the way the page's language writes them. */
export function valuesFromVersion(v: Omit<MonthlyReportInput, 'reason'>, decimalComma: boolean): ReportValues {
  const decimal = (x: number) => (decimalComma ? String(x).replace('.', ',') : String(x));
  return {
    month: v.month,
    referred: String(v.referred),
    active: String(v.active),
    jobStarts: String(v.jobStarts),
    retained13of26: String(v.retained13of26),
    activationPct: decimal(v.activationPct),
    satisfactionMean: v.satisfactionMean === null || v.satisfactionMean === undefined ? '' : decimal(v.satisfactionMean),
    satisfactionResponses: String(v.satisfactionResponses),
    reason: '',
  };
}

const squeeze = (text: string) => text.replace(/[\s\u00a0\u202f]/g, '');

/** A whole number as typed: "1234", "1.234", "1 234" or "1,234" (grouped in threes). */
export function parseCount(text: string): number | 'notNumber' | 'notWhole' {
  const t = squeeze(text).replace(/^\+/, '');
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^\d{1,3}([.,]\d{3})+$/.test(t)) return Number(t.replace(/[.,]/g, ''));
  if (/^-?\d*[.,]\d+$/.test(t)) return 'notWhole';
  return 'notNumber';
}

/** A decimal as typed, with a comma or a point: "33,5" or "33.5". */
export function parseDecimal(text: string): number | 'notNumber' {
  const t = squeeze(text).replace(/^\+/, '');
  return /^-?(\d+([.,]\d*)?|[.,]\d+)$/.test(t) ? Number(t.replace(',', '.')) : 'notNumber';
}

/**
 * The input for the API, or every problem found. `correction` says the reason field was shown
 * (the month exists), so a reason is required.
 */
export function readReportForm(values: ReportValues, options: { currentMonth: string; correction: boolean }): { input: MonthlyReportInput | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const problem = (field: ReportField, key: ProblemKey) => problems.push({ field, key });

  const month = values.month.trim();
  if (month === '') problem('month', 'required');
  else if (!isMonth(month)) problem('month', 'monthFormat');
  else if (month > options.currentMonth) problem('month', 'monthFuture');

  const counts: Partial<Record<(typeof COUNTS)[number], number>> = {};
  for (const field of COUNTS) {
    if (values[field].trim() === '') {
      problem(field, 'required');
      continue;
    }
    const n = parseCount(values[field]);
    if (typeof n === 'string') problem(field, n);
    else if (n < 0) problem(field, 'negative');
    else if (n > 100_000) problem(field, 'tooLarge');
    else counts[field] = n;
  }

  let activationPct: number | null = null;
  if (values.activationPct.trim() === '') problem('activationPct', 'required');
  else {
    const x = parseDecimal(values.activationPct);
    if (x === 'notNumber') problem('activationPct', 'notNumber');
    else if (x < 0 || x > 100) problem('activationPct', 'pctRange');
    else activationPct = x;
  }

  let satisfactionMean: number | null = null;
  let meanOk = true;
  if (values.satisfactionMean.trim() !== '') {
    const x = parseDecimal(values.satisfactionMean);
    meanOk = false;
    if (x === 'notNumber') problem('satisfactionMean', 'notNumber');
    else if (x < 1 || x > 5) problem('satisfactionMean', 'satisfactionRange');
    else {
      satisfactionMean = x;
      meanOk = true;
    }
  }

  // The report invariants (domain/reportInvariants.ts), checked here too so the form says it at once.
  if (counts.jobStarts !== undefined && counts.active !== undefined && counts.jobStarts > counts.active) problem('jobStarts', 'jobStartsExceed');
  if (counts.retained13of26 !== undefined && counts.jobStarts !== undefined && counts.retained13of26 > counts.jobStarts) problem('retained13of26', 'retainedExceeds');
  if (counts.satisfactionResponses !== undefined && counts.active !== undefined && counts.satisfactionResponses > counts.active) problem('satisfactionResponses', 'answersExceed');
  if (meanOk && counts.satisfactionResponses !== undefined) {
    if (counts.satisfactionResponses > 0 && satisfactionMean === null) problem('satisfactionMean', 'answersWithoutMean');
    if (counts.satisfactionResponses === 0 && satisfactionMean !== null) problem('satisfactionResponses', 'meanWithoutAnswers');
  }

  const reason = values.reason.trim();
  if (options.correction && reason === '') problem('reason', 'reasonRequired');
  else if (reason !== '' && reason.length < 3) problem('reason', 'reasonShort');

  // In the order of the form, so the error summary reads top to bottom like the fields.
  const order = (p: FieldProblem) => REPORT_FIELDS.indexOf(p.field);
  if (problems.length) return { input: null, problems: problems.sort((a, b) => order(a) - order(b)) };
  return {
    input: {
      month,
      referred: counts.referred!,
      active: counts.active!,
      jobStarts: counts.jobStarts!,
      retained13of26: counts.retained13of26!,
      activationPct: activationPct!,
      satisfactionMean,
      satisfactionResponses: counts.satisfactionResponses!,
      ...(reason ? { reason } : {}),
    },
    problems: [],
  };
}

/** The API's 422 issues as field problems (paths are field names); CPR in the reason is recognised. */
export function problemsFromIssues(issues: Array<{ path: string; message: string }>): FieldProblem[] {
  return issues.map((issue) => {
    const field = (REPORT_FIELDS as readonly string[]).includes(issue.path) ? (issue.path as ReportField) : 'month';
    if (field === 'reason' && /CPR/.test(issue.message)) return { field, key: 'reasonCpr' };
    return { field, key: 'server', message: issue.message };
  });
}
