// The one set of rules a monthly report must keep for the figures to be computable: the API, the
// imports and the metrics all ask this module, so what is accepted is exactly what can be computed.
import { isMonth } from './time.ts';

/** The figures of one provider's month, as the metrics read them. */
export interface ReportFigures {
  providerId: string;
  month: string;
  referred: number;
  active: number;
  jobStarts: number;
  retained13of26: number;
  activationPct: number;
  satisfactionMean: number | null;
  satisfactionResponses: number;
}

export type ReportField = Exclude<keyof ReportFigures, 'providerId'>;

/**
 * Each rule and why the figures need it:
 * - job rate = Σ job starts / Σ citizens active (a share: count ≤ n, for every period, so every month);
 * - retention = Σ held 13 of 26 weeks / Σ job starts (the same; the form defines "held" as of the month's job starts);
 * - satisfaction is a mean weighted by answers; the answers come from citizens in course, so ≤ active;
 * - activation is a share of the active citizens in percent.
 */
export const REPORT_RULES = [
  'month_format', 'whole_number', 'activation_range', 'satisfaction_range', 'satisfaction_missing',
  'job_starts_exceed_active', 'retained_exceeds_job_starts', 'answers_exceed_active', 'duplicate_month',
] as const;
export type ReportRule = (typeof REPORT_RULES)[number];

export interface ReportViolation {
  rule: ReportRule;
  /** The field to correct. */
  field: ReportField;
  providerId: string;
  month: string;
  /** The values the rule compared, for the message. */
  values: Partial<Record<ReportField, number | string | null>>;
}

export type Locale = 'da' | 'en';

const COUNTS = ['referred', 'active', 'jobStarts', 'retained13of26', 'satisfactionResponses'] as const;

/** What is wrong with one month on its own; empty when the figures can use it. */
export function monthViolations(r: ReportFigures): ReportViolation[] {
  const found: ReportViolation[] = [];
  const add = (rule: ReportRule, field: ReportField, values: ReportViolation['values']) =>
    found.push({ rule, field, providerId: r.providerId, month: r.month, values });
  if (!isMonth(r.month)) add('month_format', 'month', { month: r.month });
  for (const field of COUNTS) {
    if (!Number.isInteger(r[field]) || r[field] < 0) add('whole_number', field, { [field]: r[field] });
  }
  if (!(r.activationPct >= 0 && r.activationPct <= 100)) add('activation_range', 'activationPct', { activationPct: r.activationPct });
  if (r.satisfactionMean !== null && !(r.satisfactionMean >= 1 && r.satisfactionMean <= 5)) add('satisfaction_range', 'satisfactionMean', { satisfactionMean: r.satisfactionMean });
  if (r.satisfactionMean === null && r.satisfactionResponses > 0) add('satisfaction_missing', 'satisfactionMean', { satisfactionResponses: r.satisfactionResponses });
  if (r.jobStarts > r.active) add('job_starts_exceed_active', 'jobStarts', { jobStarts: r.jobStarts, active: r.active });
  if (r.retained13of26 > r.jobStarts) add('retained_exceeds_job_starts', 'retained13of26', { retained13of26: r.retained13of26, jobStarts: r.jobStarts });
  if (r.satisfactionResponses > r.active) add('answers_exceed_active', 'satisfactionResponses', { satisfactionResponses: r.satisfactionResponses, active: r.active });
  return found;
}

/**
 * What is wrong with a window of months (one provider's period): each month's own rules, and each
 * month at most once. The window's sums (Σ job starts ≤ Σ active, Σ held ≤ Σ job starts) follow
 * from the months' rules, which is why a board over any period, down to one month, can compute.
 */
export function windowViolations(reports: readonly ReportFigures[]): ReportViolation[] {
  const found = reports.flatMap(monthViolations);
  const seen = new Set<string>();
  for (const r of reports) {
    const key = JSON.stringify([r.providerId, r.month]);
    if (seen.has(key)) found.push({ rule: 'duplicate_month', field: 'month', providerId: r.providerId, month: r.month, values: { month: r.month } });
    seen.add(key);
  }
  return found;
}

/**
 * Splits stored months into those the figures use and those they leave out: a stored month that
 * breaks a rule (saved before the rule was enforced) is set aside with its reasons, never thrown.
 */
export function partitionReports<R extends ReportFigures>(reports: readonly R[]): { valid: R[]; flagged: Array<{ report: R; violations: ReportViolation[] }> } {
  const valid: R[] = [];
  const flagged: Array<{ report: R; violations: ReportViolation[] }> = [];
  for (const report of reports) {
    const violations = monthViolations(report);
    if (violations.length) flagged.push({ report, violations });
    else valid.push(report);
  }
  return { valid, flagged };
}

const FIELD_NAMES: Record<Locale, Record<ReportField, string>> = {
  da: {
    month: 'Måned', referred: 'Henviste borgere', active: 'Aktive borgere', jobStarts: 'Jobstart', retained13of26: 'Fastholdt 13 af 26 uger',
    activationPct: 'Aktivering', satisfactionMean: 'Tilfredshed, gennemsnit', satisfactionResponses: 'Tilfredshed, antal svar',
  },
  en: {
    month: 'Month', referred: 'Citizens referred', active: 'Citizens active', jobStarts: 'Job starts', retained13of26: 'Held 13 of 26 weeks',
    activationPct: 'Activation', satisfactionMean: 'Satisfaction, mean', satisfactionResponses: 'Satisfaction, answers',
  },
};

/** The field's name as the form and the import template show it. */
export const fieldName = (field: ReportField, locale: Locale): string => FIELD_NAMES[locale][field];

/** The rule in words, naming the field and the values it compared. */
export function violationMessage(v: ReportViolation, locale: Locale): string {
  const n = FIELD_NAMES[locale];
  const value = (f: ReportField) => String(v.values[f] ?? '');
  const da = locale === 'da';
  switch (v.rule) {
    case 'month_format':
      return da ? `${n.month} skal skrives ÅÅÅÅ-MM, fx 2026-10 (fik "${value('month')}").` : `${n.month} must be written YYYY-MM, e.g. 2026-10 (got "${value('month')}").`;
    case 'whole_number':
      return da ? `${n[v.field]} skal være et helt tal på 0 eller mere (fik ${value(v.field)}).` : `${n[v.field]} must be a whole number of 0 or more (got ${value(v.field)}).`;
    case 'activation_range':
      return da ? `${n.activationPct} er en procent fra 0 til 100 (fik ${value('activationPct')}).` : `${n.activationPct} is a percentage from 0 to 100 (got ${value('activationPct')}).`;
    case 'satisfaction_range':
      return da ? `${n.satisfactionMean} er et gennemsnit fra 1 til 5 (fik ${value('satisfactionMean')}).` : `${n.satisfactionMean} is a mean from 1 to 5 (got ${value('satisfactionMean')}).`;
    case 'satisfaction_missing':
      return da
        ? `${n.satisfactionMean} mangler: der er ${value('satisfactionResponses')} svar.`
        : `${n.satisfactionMean} is missing: there are ${value('satisfactionResponses')} answers.`;
    case 'job_starts_exceed_active':
      return da
        ? `${n.jobStarts} (${value('jobStarts')}) kan ikke være større end ${n.active.toLowerCase()} (${value('active')}): jobraten er jobstart pr. aktiv borger.`
        : `${n.jobStarts} (${value('jobStarts')}) cannot exceed ${n.active.toLowerCase()} (${value('active')}): the job rate is job starts per active citizen.`;
    case 'retained_exceeds_job_starts':
      return da
        ? `${n.retained13of26} (${value('retained13of26')}) kan ikke være større end ${n.jobStarts.toLowerCase()} (${value('jobStarts')}).`
        : `${n.retained13of26} (${value('retained13of26')}) cannot exceed ${n.jobStarts.toLowerCase()} (${value('jobStarts')}).`;
    case 'answers_exceed_active':
      return da
        ? `${n.satisfactionResponses} (${value('satisfactionResponses')}) kan ikke være større end ${n.active.toLowerCase()} (${value('active')}).`
        : `${n.satisfactionResponses} (${value('satisfactionResponses')}) cannot exceed ${n.active.toLowerCase()} (${value('active')}).`;
    case 'duplicate_month':
      return da ? `${v.month} optræder mere end én gang.` : `${v.month} appears more than once.`;
  }
}
