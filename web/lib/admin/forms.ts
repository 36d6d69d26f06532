// The forms for running a network (its settings, its providers, a provider's period and checklist):
// reads what the host typed, checks it first so most mistakes are explained in the page's language,
// and maps the API's field issues back onto the same fields.
import type { NetworkSettings } from '$wire/networks.ts';
import type { AddProviderRequest, ChecklistRequest } from '$wire/providers.ts';
import { containsCpr } from '$domain/cpr.ts';
import type { MessageKey } from '$lib/i18n/index.ts';

export type ProblemKey = 'required' | 'number' | 'percent' | 'range' | 'month' | 'date' | 'cvr' | 'cpr' | 'tooLong' | 'lastMonthPast' | 'rejoinTooEarly' | 'server';

export interface Problem {
  /** The id of the field it is about, so the error summary links to it. */
  fieldId: string;
  /** Catalogue key of that field's label. */
  label: MessageKey;
  key: ProblemKey;
  values?: Record<string, string | number>;
}

/** What became of a form: saved, or why not. */
export type Outcome = 'saved' | 'invalid' | 'forbidden' | 'gone' | 'failed' | 'duplicate' | 'shared' | 'cvrTaken' | 'closed' | 'notLeft';

export interface FormResult<Form extends string, Values> {
  form: Form;
  ok: boolean;
  outcome: Outcome;
  problems: Problem[];
  /** What was typed, to show again when it was not saved. */
  values: Values | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isMonth = (m: string) => MONTH.test(m);
export const isDate = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export const text = (form: FormData, name: string, max = 200) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

function nameProblems(value: string, fieldId: string, label: MessageKey, max: number): Problem[] {
  const v = value.trim();
  if (v === '') return [{ fieldId, label, key: 'required' }];
  if (v.length > max) return [{ fieldId, label, key: 'tooLong' }];
  if (containsCpr(v)) return [{ fieldId, label, key: 'cpr' }];
  return [];
}

// ---------------------------------------------------------------- network settings

export interface SettingsValues {
  name: string;
  targetGroup: string;
  activationRequirementPct: string;
  meetingCadenceMonths: string;
  minCitizensToRate: string;
}

export const SETTINGS_FIELDS = {
  name: { id: 'network-name', label: 'admin.network.name' },
  targetGroup: { id: 'network-target-group', label: 'admin.network.targetGroup' },
  activationRequirementPct: { id: 'network-activation', label: 'admin.network.activation' },
  meetingCadenceMonths: { id: 'network-cadence', label: 'admin.network.cadence' },
  minCitizensToRate: { id: 'network-min-citizens', label: 'admin.network.minCitizens' },
} as const satisfies Record<keyof SettingsValues, { id: string; label: MessageKey }>;

export const settingsValuesOf = (s: NetworkSettings): SettingsValues => ({
  name: s.name,
  targetGroup: s.targetGroup,
  activationRequirementPct: String(s.activationRequirementPct),
  meetingCadenceMonths: String(s.meetingCadenceMonths),
  minCitizensToRate: String(s.minCitizensToRate),
});

export const readSettings = (form: FormData): SettingsValues => ({
  name: text(form, 'name'),
  targetGroup: text(form, 'targetGroup'),
  activationRequirementPct: text(form, 'activationRequirementPct', 20).trim(),
  meetingCadenceMonths: text(form, 'meetingCadenceMonths', 20).trim(),
  minCitizensToRate: text(form, 'minCitizensToRate', 20).trim(),
});

function wholeNumber(value: string, field: keyof typeof SETTINGS_FIELDS, min: number, max: number): { n: number | null; problems: Problem[] } {
  const { id, label } = SETTINGS_FIELDS[field];
  if (value === '') return { n: null, problems: [{ fieldId: id, label, key: 'required' }] };
  if (!/^\d+$/.test(value)) return { n: null, problems: [{ fieldId: id, label, key: 'number' }] };
  const n = Number(value);
  if (n < min || n > max) return { n: null, problems: [{ fieldId: id, label, key: 'range', values: { min, max } }] };
  return { n, problems: [] };
}

export function checkSettings(v: SettingsValues): { input: NetworkSettings | null; problems: Problem[] } {
  const problems = [
    ...nameProblems(v.name, SETTINGS_FIELDS.name.id, SETTINGS_FIELDS.name.label, 200),
    ...nameProblems(v.targetGroup, SETTINGS_FIELDS.targetGroup.id, SETTINGS_FIELDS.targetGroup.label, 200),
  ];
  const pctText = v.activationRequirementPct.replace(',', '.');
  const pct = Number(pctText);
  if (pctText === '') problems.push({ fieldId: SETTINGS_FIELDS.activationRequirementPct.id, label: SETTINGS_FIELDS.activationRequirementPct.label, key: 'required' });
  else if (!/^\d+(\.\d{1,2})?$/.test(pctText) || pct > 100) problems.push({ fieldId: SETTINGS_FIELDS.activationRequirementPct.id, label: SETTINGS_FIELDS.activationRequirementPct.label, key: 'percent' });
  const cadence = wholeNumber(v.meetingCadenceMonths, 'meetingCadenceMonths', 1, 12);
  const minCitizens = wholeNumber(v.minCitizensToRate, 'minCitizensToRate', 1, 1000);
  problems.push(...cadence.problems, ...minCitizens.problems);
  if (problems.length) return { input: null, problems };
  return {
    input: { name: v.name.trim(), targetGroup: v.targetGroup.trim(), activationRequirementPct: pct, meetingCadenceMonths: cadence.n!, minCitizensToRate: minCitizens.n! },
    problems,
  };
}

// ---------------------------------------------------------------- providers

export interface ProviderValues {
  name: string;
  shortName: string;
  cvr: string;
  fromMonth: string;
}

export const PROVIDER_FIELDS = {
  name: { id: 'provider-name', label: 'admin.providers.name' },
  shortName: { id: 'provider-short-name', label: 'admin.providers.shortName' },
  cvr: { id: 'provider-cvr', label: 'admin.providers.cvr' },
  fromMonth: { id: 'provider-from-month', label: 'admin.providers.fromMonth' },
  lastMonth: { id: 'provider-last-month', label: 'admin.provider.lastMonth' },
  rejoinFromMonth: { id: 'provider-rejoin-month', label: 'admin.provider.rejoinMonth' },
} as const satisfies Record<string, { id: string; label: MessageKey }>;

export const readProvider = (form: FormData): ProviderValues => ({
  name: text(form, 'name'),
  shortName: text(form, 'shortName'),
  cvr: text(form, 'cvr', 40).trim(),
  fromMonth: text(form, 'fromMonth', 20).trim(),
});

export const cvrOf = (typed: string) => typed.replace(/\s+/g, '');

/** The organisation's fields (and, when adding, the first month). */
export function checkProvider(v: ProviderValues, adding: boolean): { input: AddProviderRequest | null; problems: Problem[] } {
  const problems = [
    ...nameProblems(v.name, PROVIDER_FIELDS.name.id, PROVIDER_FIELDS.name.label, 200),
    ...nameProblems(v.shortName, PROVIDER_FIELDS.shortName.id, PROVIDER_FIELDS.shortName.label, 40),
  ];
  const cvr = cvrOf(v.cvr);
  if (cvr !== '' && !/^\d{8}$/.test(cvr)) problems.push({ fieldId: PROVIDER_FIELDS.cvr.id, label: PROVIDER_FIELDS.cvr.label, key: 'cvr' });
  if (adding && v.fromMonth !== '' && !isMonth(v.fromMonth)) problems.push({ fieldId: PROVIDER_FIELDS.fromMonth.id, label: PROVIDER_FIELDS.fromMonth.label, key: 'month' });
  if (problems.length) return { input: null, problems };
  return {
    input: { name: v.name.trim(), shortName: v.shortName.trim(), ...(cvr && { cvr }), ...(adding && v.fromMonth && { fromMonth: v.fromMonth }) },
    problems,
  };
}

// ---------------------------------------------------------------- checklist

/** Reference rows the form offers (it works without JavaScript, so the number is fixed per page). */
export const referenceRows = (saved: number) => Math.max(3, saved + 1);

export interface ChecklistValues {
  interviewOn: string;
  interviewNotes: string;
  references: Array<{ who: string; checkedOn: string; outcome: string }>;
}

export const referenceFieldId = (row: number, field: 'who' | 'on' | 'outcome') => `reference-${row}-${field}`;

export function readChecklist(form: FormData): ChecklistValues {
  const rows = Math.min(20, Number(text(form, 'referenceRows', 3)) || 3);
  return {
    interviewOn: text(form, 'interviewOn', 20).trim(),
    interviewNotes: text(form, 'interviewNotes', 20_000),
    references: Array.from({ length: rows }, (_, i) => ({
      who: text(form, `reference${i}Who`),
      checkedOn: text(form, `reference${i}On`, 20).trim(),
      outcome: text(form, `reference${i}Outcome`, 2000),
    })),
  };
}

export function checkChecklist(v: ChecklistValues): { input: ChecklistRequest | null; problems: Problem[] } {
  const problems: Problem[] = [];
  if (v.interviewOn !== '' && !isDate(v.interviewOn)) problems.push({ fieldId: 'checklist-interview-on', label: 'admin.provider.interviewOn', key: 'date' });
  if (containsCpr(v.interviewNotes)) problems.push({ fieldId: 'checklist-interview-notes', label: 'admin.provider.interviewNotes', key: 'cpr' });
  const references: ChecklistRequest['references'] = [];
  v.references.forEach((r, i) => {
    if (r.who.trim() === '' && r.checkedOn === '' && r.outcome.trim() === '') return;
    problems.push(...nameProblems(r.who, referenceFieldId(i, 'who'), 'admin.provider.referenceWho', 200));
    if (!isDate(r.checkedOn)) problems.push({ fieldId: referenceFieldId(i, 'on'), label: 'admin.provider.referenceOn', key: r.checkedOn === '' ? 'required' : 'date' });
    if (containsCpr(r.outcome)) problems.push({ fieldId: referenceFieldId(i, 'outcome'), label: 'admin.provider.referenceOutcome', key: 'cpr' });
    references.push({ who: r.who.trim(), checkedOn: r.checkedOn, outcome: r.outcome.trim() });
  });
  if (problems.length) return { input: null, problems };
  return { input: { interviewOn: v.interviewOn || null, interviewNotes: v.interviewNotes.trim(), references }, problems };
}

/** The API's field issues on this form's fields (unknown paths land on the first field). */
export function problemsFromIssues(issues: ReadonlyArray<{ path: string; message: string }>, fields: Record<string, { id: string; label: MessageKey }>, fallback: { id: string; label: MessageKey }): Problem[] {
  return issues.map((i) => {
    const field = fields[i.path] ?? fallback;
    return { fieldId: field.id, label: field.label, key: 'server', values: { message: i.message } };
  });
}
