// The contract, settlement-preview and correction forms: what people type (kroner with a decimal
// comma, percentages, whole weeks, dates) read into the API's inputs, checked first so most
// mistakes are explained in the page's language, field by field. The API checks everything again;
// its 422 issues map onto the same fields.
import type { Contract, ContractInput } from '$wire/contracts.ts';
import type { SettlementTermsInput } from '$wire/settlements.ts';
import type { Locale } from '$lib/i18n/index.ts';
import { parseCount, parseDecimal } from '$lib/results/reportForm.ts';
import { kronerField, parseKroner } from './kroner.ts';

export const TERMS_FIELDS = ['model', 'price', 'baseSharePct', 'successSharePct', 'successWeeks', 'successWindowWeeks', 'courseDays'] as const;
export type TermsField = (typeof TERMS_FIELDS)[number];
export type TermsValues = Record<TermsField, string>;

/** The Aalborg reading of DOMAIN.md: performance, 25/75, 13 of 26 weeks, a 365-day course. */
export const AALBORG_TERMS: TermsValues = { model: 'performance', price: '', baseSharePct: '25', successSharePct: '75', successWeeks: '13', successWindowWeeks: '26', courseDays: '365' };
export const DEFAULT_ACTIVATION_PCT = '30';
export const DEFAULT_DEADLINE_DAY = '10';

export interface CommitmentValues {
  id: string;
  text: string;
  measure: string;
}

export interface ContractValues extends TermsValues {
  providerId: string;
  name: string;
  /** The first month the terms govern ('YYYY-MM'); a change must name it. */
  effectiveFrom: string;
  /** The version a change was based on (sent as If-Match), '' for a new contract. */
  basedOnVersion: string;
  periodStart: string;
  periodEnd: string;
  endedOn: string;
  activationRequirementPct: string;
  documentationDeadlineDay: string;
  reason: string;
  commitments: CommitmentValues[];
}

export const COURSE_FIELDS = ['referralDate', 'endDate', 'jobStartDate', 'weeksEmployed'] as const;
export type PreviewValues = TermsValues & Record<(typeof COURSE_FIELDS)[number], string>;

export interface CorrectionValues {
  text: string;
  amount: string;
  reason: string;
}

export type ProblemKey =
  | 'required'
  | 'notNumber'
  | 'notWhole'
  | 'notKroner'
  | 'tooManyDecimals'
  | 'tooLarge'
  | 'negative'
  | 'pctRange'
  | 'sharesSum'
  | 'weeksRange'
  | 'weeksExceedWindow'
  | 'courseDaysRange'
  | 'deadlineRange'
  | 'dateFormat'
  | 'monthFormat'
  | 'approvedMonth'
  | 'overlap'
  | 'endBeforeStart'
  | 'endedBeforeStart'
  | 'endBeforeReferral'
  | 'jobBeforeReferral'
  | 'weeksWithoutJob'
  | 'commitmentIncomplete'
  | 'tooShort'
  | 'cpr'
  | 'server';

/**
 * `field` is a form field's name ('price', 'periodEnd', 'commitments.2.text'), or '' when the
 * API named something the form has no field for.
 */
export interface Problem {
  field: string;
  key: ProblemKey;
  /** The API's own words, for a problem the form did not foresee (key 'server'). */
  message?: string;
  /** What the rule names: the last approved month ('approvedMonth'), the other contract ('overlap'). */
  value?: string;
}

/** The element id of a form field: ids may not hold dots, so 'commitments.2.text' → 'contract-commitments-2-text'. */
export const fieldId = (prefix: string, field: string) => `${prefix}-${field.replaceAll('.', '-')}`;

const text = (form: FormData, name: string, max = 100) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

function termsValuesOf(form: FormData): TermsValues {
  return Object.fromEntries(TERMS_FIELDS.map((f) => [f, text(form, f, 40)])) as TermsValues;
}

export function contractValuesOf(form: FormData): ContractValues {
  const ids = form.getAll('commitmentId');
  const texts = form.getAll('commitmentText');
  const measures = form.getAll('commitmentMeasure');
  const commitments: CommitmentValues[] = [];
  for (let i = 0; i < Math.min(texts.length, 60); i++) {
    const row = { id: String(ids[i] ?? '').slice(0, 100), text: String(texts[i] ?? '').slice(0, 1000), measure: String(measures[i] ?? '').slice(0, 1000) };
    // A row left empty is no commitment (clearing a row removes that commitment).
    if (row.text.trim() !== '' || row.measure.trim() !== '') commitments.push(row);
  }
  return {
    ...termsValuesOf(form),
    providerId: text(form, 'providerId'),
    name: text(form, 'name', 200),
    effectiveFrom: text(form, 'effectiveFrom', 20),
    basedOnVersion: text(form, 'basedOnVersion', 12),
    periodStart: text(form, 'periodStart', 20),
    periodEnd: text(form, 'periodEnd', 20),
    endedOn: text(form, 'endedOn', 20),
    activationRequirementPct: text(form, 'activationRequirementPct', 20),
    documentationDeadlineDay: text(form, 'documentationDeadlineDay', 20),
    reason: text(form, 'reason', 2000),
    commitments,
  };
}

export function previewValuesOf(form: FormData): PreviewValues {
  return { ...termsValuesOf(form), ...(Object.fromEntries(COURSE_FIELDS.map((f) => [f, text(form, f, 20)])) as Record<(typeof COURSE_FIELDS)[number], string>) };
}

export function correctionValuesOf(form: FormData): CorrectionValues {
  return { text: text(form, 'text', 1000), amount: text(form, 'amount', 40), reason: text(form, 'reason', 2000) };
}

/** A percentage written the way the page's language writes it: "22,5" in Danish. */
const decimalField = (x: number, locale: Locale) => (locale === 'da' ? String(x).replace('.', ',') : String(x));

/** A stored contract as form values, for a change (the reason starts empty). */
export function valuesFromContract(c: Contract, locale: Locale): ContractValues {
  return {
    model: c.terms.model,
    price: kronerField(c.terms.priceOre, locale),
    baseSharePct: decimalField(c.terms.baseSharePct, locale),
    successSharePct: decimalField(c.terms.successSharePct, locale),
    successWeeks: String(c.terms.successWeeks),
    successWindowWeeks: String(c.terms.successWindowWeeks),
    courseDays: String(c.terms.courseDays),
    providerId: c.providerId,
    name: c.name,
    effectiveFrom: '',
    basedOnVersion: String(c.version),
    periodStart: c.periodStart,
    periodEnd: c.periodEnd,
    endedOn: c.endedOn ?? '',
    activationRequirementPct: decimalField(c.activationRequirementPct, locale),
    documentationDeadlineDay: String(c.documentationDeadlineDay),
    reason: '',
    commitments: c.commitments.map((m) => ({ ...m })),
  };
}

export function termsValuesFromContract(c: Contract, locale: Locale): TermsValues {
  const { model, price, baseSharePct, successSharePct, successWeeks, successWindowWeeks, courseDays } = valuesFromContract(c, locale);
  return { model, price, baseSharePct, successSharePct, successWeeks, successWindowWeeks, courseDays };
}

/** A new contract's fields: the Aalborg terms, this calendar year, no commitments yet. */
export function newContractValues(providerId: string, year: number): ContractValues {
  return {
    ...AALBORG_TERMS,
    providerId,
    name: '',
    effectiveFrom: '',
    basedOnVersion: '',
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    endedOn: '',
    activationRequirementPct: DEFAULT_ACTIVATION_PCT,
    documentationDeadlineDay: DEFAULT_DEADLINE_DAY,
    reason: '',
    commitments: [],
  };
}

// ---------------------------------------------------------------- reading

type Push = (field: string, key: ProblemKey) => void;

const isCalendarDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

function readDate(value: string, field: string, push: Push, required = true): string | null {
  const d = value.trim();
  if (d === '') {
    if (required) push(field, 'required');
    return null;
  }
  if (!isCalendarDate(d)) {
    push(field, 'dateFormat');
    return null;
  }
  return d;
}

function readPct(value: string, field: string, push: Push): number | null {
  if (value.trim() === '') return push(field, 'required'), null;
  const x = parseDecimal(value);
  if (x === 'notNumber') return push(field, 'notNumber'), null;
  if (x < 0 || x > 100) return push(field, 'pctRange'), null;
  return x;
}

function readWhole(value: string, field: string, push: Push, range: [number, number], rangeKey: ProblemKey): number | null {
  if (value.trim() === '') return push(field, 'required'), null;
  const n = parseCount(value);
  if (typeof n === 'string') return push(field, n), null;
  if (n < range[0] || n > range[1]) return push(field, rangeKey), null;
  return n;
}

function readTerms(v: TermsValues, push: Push): SettlementTermsInput | null {
  const model = v.model === 'performance' || v.model === 'fixed' ? v.model : null;
  if (!model) push('model', 'required');
  let priceOre: number | null = null;
  if (v.price.trim() === '') push('price', 'required');
  else {
    const p = parseKroner(v.price);
    if (typeof p === 'string') push('price', p);
    else priceOre = p;
  }
  // The fixed model ignores the performance parameters; blank ones take the Aalborg defaults.
  const orDefault = (field: Exclude<TermsField, 'model' | 'price'>) => (model === 'fixed' && v[field].trim() === '' ? AALBORG_TERMS[field] : v[field]);
  const baseSharePct = readPct(orDefault('baseSharePct'), 'baseSharePct', push);
  const successSharePct = readPct(orDefault('successSharePct'), 'successSharePct', push);
  const successWeeks = readWhole(orDefault('successWeeks'), 'successWeeks', push, [1, 104], 'weeksRange');
  const successWindowWeeks = readWhole(orDefault('successWindowWeeks'), 'successWindowWeeks', push, [1, 104], 'weeksRange');
  const courseDays = readWhole(orDefault('courseDays'), 'courseDays', push, [1, 1096], 'courseDaysRange');
  if (model === 'performance' && baseSharePct !== null && successSharePct !== null && Math.round(baseSharePct * 100) + Math.round(successSharePct * 100) !== 10_000) {
    push('successSharePct', 'sharesSum');
  }
  if (successWeeks !== null && successWindowWeeks !== null && successWeeks > successWindowWeeks) push('successWeeks', 'weeksExceedWindow');
  if (!model || priceOre === null || baseSharePct === null || successSharePct === null || successWeeks === null || successWindowWeeks === null || courseDays === null) return null;
  return { model, priceOre, baseSharePct, successSharePct, successWeeks, successWindowWeeks, courseDays };
}

/** Problems in the order of the form, so the error summary reads top to bottom like the fields. */
function inOrder(problems: Problem[], order: readonly string[]): Problem[] {
  const rank = (p: Problem) => {
    const base = p.field.startsWith('commitments.') ? 'commitments' : p.field;
    const i = order.indexOf(base);
    return i === -1 ? order.length : i;
  };
  return problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

const CONTRACT_ORDER = ['providerId', 'name', 'effectiveFrom', 'periodStart', 'periodEnd', ...TERMS_FIELDS, 'activationRequirementPct', 'documentationDeadlineDay', 'endedOn', 'commitments', 'reason'] as const;

/** The contract for the API, or every problem found; `change` makes the reason required. */
export function readContractForm(v: ContractValues, options: { change: boolean }): { input: ContractInput | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const push: Push = (field, key) => problems.push({ field, key });
  const name = v.name.trim();
  if (name !== '' && name.length < 3) push('name', 'tooShort');
  const effectiveFrom = v.effectiveFrom.trim();
  if (effectiveFrom === '' && options.change) push('effectiveFrom', 'required');
  else if (effectiveFrom !== '' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(effectiveFrom)) push('effectiveFrom', 'monthFormat');
  const periodStart = readDate(v.periodStart, 'periodStart', push);
  const periodEnd = readDate(v.periodEnd, 'periodEnd', push);
  if (periodStart && periodEnd && periodEnd < periodStart) push('periodEnd', 'endBeforeStart');
  const terms = readTerms(v, push);
  const activationRequirementPct = readPct(v.activationRequirementPct, 'activationRequirementPct', push);
  const documentationDeadlineDay = readWhole(v.documentationDeadlineDay, 'documentationDeadlineDay', push, [1, 28], 'deadlineRange');
  const endedOn = readDate(v.endedOn, 'endedOn', push, false);
  if (endedOn && periodStart && endedOn < periodStart) push('endedOn', 'endedBeforeStart');
  v.commitments.forEach((c, i) => {
    for (const part of ['text', 'measure'] as const) {
      const value = c[part].trim();
      if (value === '') push(`commitments.${i}.${part}`, 'commitmentIncomplete');
      else if (value.length < 3) push(`commitments.${i}.${part}`, 'tooShort');
    }
  });
  const reason = v.reason.trim();
  if (options.change && reason === '') push('reason', 'required');
  else if (reason !== '' && reason.length < 3) push('reason', 'tooShort');

  if (problems.length || !terms || !periodStart || !periodEnd || activationRequirementPct === null || documentationDeadlineDay === null) {
    return { input: null, problems: inOrder(problems, CONTRACT_ORDER) };
  }
  return {
    input: {
      ...(name ? { name } : {}),
      ...(effectiveFrom ? { effectiveFrom } : {}),
      periodStart,
      periodEnd,
      terms,
      activationRequirementPct,
      documentationDeadlineDay,
      commitments: v.commitments.map((c) => ({ ...(c.id ? { id: c.id } : {}), text: c.text.trim(), measure: c.measure.trim() })),
      endedOn: endedOn ?? null,
      ...(options.change ? { reason } : {}),
    },
    problems: [],
  };
}

export interface PreviewInput {
  terms: SettlementTermsInput;
  course: { referralDate: string; endDate: string; jobStartDate?: string; weeksEmployed?: number };
}

const PREVIEW_ORDER = [...TERMS_FIELDS, ...COURSE_FIELDS] as const;

export function readPreviewForm(v: PreviewValues): { input: PreviewInput | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const push: Push = (field, key) => problems.push({ field, key });
  const terms = readTerms(v, push);
  const referralDate = readDate(v.referralDate, 'referralDate', push);
  const endDate = readDate(v.endDate, 'endDate', push);
  const jobStartDate = readDate(v.jobStartDate, 'jobStartDate', push, false);
  let weeksEmployed: number | null = null;
  if (v.weeksEmployed.trim() !== '') weeksEmployed = readWhole(v.weeksEmployed, 'weeksEmployed', push, [0, 104], 'weeksRange');
  if (referralDate && endDate && endDate < referralDate) push('endDate', 'endBeforeReferral');
  if (referralDate && jobStartDate && jobStartDate < referralDate) push('jobStartDate', 'jobBeforeReferral');
  if (weeksEmployed !== null && v.jobStartDate.trim() === '') push('weeksEmployed', 'weeksWithoutJob');
  if (problems.length || !terms || !referralDate || !endDate) return { input: null, problems: inOrder(problems, PREVIEW_ORDER) };
  return {
    input: { terms, course: { referralDate, endDate, ...(jobStartDate ? { jobStartDate } : {}), ...(weeksEmployed !== null ? { weeksEmployed } : {}) } },
    problems: [],
  };
}

export interface CorrectionInput {
  text: string;
  amountOre: number;
  reason: string;
}

export function readCorrectionForm(v: CorrectionValues): { input: CorrectionInput | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const push: Push = (field, key) => problems.push({ field, key });
  const description = v.text.trim();
  if (description === '') push('text', 'required');
  else if (description.length < 3) push('text', 'tooShort');
  let amountOre: number | null = null;
  if (v.amount.trim() === '') push('amount', 'required');
  else {
    const a = parseKroner(v.amount, { signed: true });
    if (typeof a === 'string') push('amount', a);
    else amountOre = a;
  }
  const reason = v.reason.trim();
  if (reason === '') push('reason', 'required');
  else if (reason.length < 3) push('reason', 'tooShort');
  if (problems.length || amountOre === null) return { input: null, problems };
  return { input: { text: description, amountOre, reason }, problems: [] };
}

// ---------------------------------------------------------------- the API's answers

/**
 * The API's 422 issues as field problems: 'terms.priceOre' is the price field, 'course.endDate'
 * the end date, 'amountOre' the amount; a CPR number is recognised; `fields` are the form's names.
 */
export function problemsFromIssues(issues: ReadonlyArray<{ path: string; message: string; value?: string }>, fields: readonly string[]): Problem[] {
  return issues.map((issue) => {
    let field = issue.path.replace(/^(terms|course)\./, '');
    if (field === 'priceOre') field = 'price';
    if (field === 'amountOre') field = 'amount';
    const base = field.startsWith('commitments.') ? 'commitments' : field;
    if (!fields.includes(base)) field = '';
    if (/CPR/.test(issue.message)) return { field, key: 'cpr' };
    return { field, key: 'server', message: issue.message };
  });
}

export const CONTRACT_FIELDS: readonly string[] = CONTRACT_ORDER;
export const PREVIEW_FIELDS: readonly string[] = PREVIEW_ORDER;
export const CORRECTION_FIELDS: readonly string[] = ['text', 'amount', 'reason'];
