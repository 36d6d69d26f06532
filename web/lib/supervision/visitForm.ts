// The supervision forms: reads what the host types about a visit (with a few follow-up rows) and
// what a provider answers, checks it first so most mistakes are explained in the page's language,
// and maps the API's field issues back onto the same form fields.
import type { SupervisionVisitInput } from '$wire/supervision.ts';
import { containsCpr } from '$domain/cpr.ts';

/** Blank follow-up rows the visit form offers (it works without JavaScript, so the number is fixed). */
export const FOLLOW_UP_ROWS = 3;
export const KINDS = ['announced', 'unannounced', 'startup'] as const;
export const OWNERS = ['provider', 'host'] as const;

export interface FollowUpValues {
  text: string;
  owner: string;
  dueDate: string;
}

export interface VisitValues {
  providerId: string;
  visitDate: string;
  kind: string;
  findings: string;
  followUps: FollowUpValues[];
}

export type ProblemKey = 'required' | 'date' | 'future' | 'dueBeforeVisit' | 'tooShort' | 'cpr' | 'server';

export interface Problem {
  /** The id of the field the problem is about, so the error summary can link to it. */
  fieldId: string;
  /** Catalogue key of the field's label; none for a problem no field explains. */
  label?: 'provider' | 'visitDate' | 'kind' | 'findings' | 'followUpText' | 'owner' | 'dueDate' | 'response';
  key: ProblemKey;
  /** The API's own words, for a problem this form did not foresee (key 'server'). */
  message?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
const text = (form: FormData, name: string, max: number) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

export const followUpFieldId = (row: number, field: 'text' | 'owner' | 'due', prefix = 'visit') => `${prefix}-followup-${row}-${field}`;

export function emptyVisit(providerId: string, today: string): VisitValues {
  return { providerId, visitDate: today, kind: 'announced', findings: '', followUps: Array.from({ length: FOLLOW_UP_ROWS }, () => ({ text: '', owner: 'provider', dueDate: '' })) };
}

export function readVisitForm(form: FormData): VisitValues {
  return {
    providerId: text(form, 'providerId', 100),
    visitDate: text(form, 'visitDate', 20).trim(),
    kind: text(form, 'kind', 20),
    findings: text(form, 'findings', 20_000),
    followUps: Array.from({ length: FOLLOW_UP_ROWS }, (_, i) => readFollowUp(form, `followUp${i}`)),
  };
}

export function readFollowUp(form: FormData, prefix: string): FollowUpValues {
  return { text: text(form, `${prefix}Text`, 2000), owner: text(form, `${prefix}Owner`, 20), dueDate: text(form, `${prefix}Due`, 20).trim() };
}

const isBlank = (f: FollowUpValues) => f.text.trim() === '' && f.dueDate === '';

function followUpProblems(f: FollowUpValues, visitDate: string, ids: { text: string; owner: string; due: string }): Problem[] {
  const problems: Problem[] = [];
  const t = f.text.trim();
  if (t === '') problems.push({ fieldId: ids.text, label: 'followUpText', key: 'required' });
  else if (t.length < 3) problems.push({ fieldId: ids.text, label: 'followUpText', key: 'tooShort' });
  else if (containsCpr(t)) problems.push({ fieldId: ids.text, label: 'followUpText', key: 'cpr' });
  if (!(OWNERS as readonly string[]).includes(f.owner)) problems.push({ fieldId: ids.owner, label: 'owner', key: 'required' });
  if (f.dueDate === '') problems.push({ fieldId: ids.due, label: 'dueDate', key: 'required' });
  else if (!isDate(f.dueDate)) problems.push({ fieldId: ids.due, label: 'dueDate', key: 'date' });
  else if (isDate(visitDate) && f.dueDate < visitDate) problems.push({ fieldId: ids.due, label: 'dueDate', key: 'dueBeforeVisit' });
  return problems;
}

function findingsProblems(findings: string, fieldId: string, label: Problem['label'] = 'findings'): Problem[] {
  const t = findings.trim();
  if (t === '') return [{ fieldId, label, key: 'required' }];
  if (t.length < 3) return [{ fieldId, label, key: 'tooShort' }];
  if (containsCpr(t)) return [{ fieldId, label, key: 'cpr' }];
  return [];
}

/**
 * The API body for a visit, or the problems found. `rows` says which form row each follow-up in
 * the body came from (blank rows are skipped), so the API's `actions.N` issues land on the right row.
 */
export function checkVisit(v: VisitValues, today: string): { input: SupervisionVisitInput | null; rows: number[]; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!v.providerId) problems.push({ fieldId: 'visit-provider', label: 'provider', key: 'required' });
  if (v.visitDate === '') problems.push({ fieldId: 'visit-date', label: 'visitDate', key: 'required' });
  else if (!isDate(v.visitDate)) problems.push({ fieldId: 'visit-date', label: 'visitDate', key: 'date' });
  else if (v.visitDate > today) problems.push({ fieldId: 'visit-date', label: 'visitDate', key: 'future' });
  if (!(KINDS as readonly string[]).includes(v.kind)) problems.push({ fieldId: 'visit-kind-announced', label: 'kind', key: 'required' });
  problems.push(...findingsProblems(v.findings, 'visit-findings'));
  const rows = v.followUps.flatMap((f, i) => (isBlank(f) ? [] : [i]));
  for (const i of rows) {
    problems.push(...followUpProblems(v.followUps[i], v.visitDate, { text: followUpFieldId(i, 'text'), owner: followUpFieldId(i, 'owner'), due: followUpFieldId(i, 'due') }));
  }
  if (problems.length) return { input: null, rows, problems };
  const input: SupervisionVisitInput = {
    visitDate: v.visitDate,
    kind: v.kind as SupervisionVisitInput['kind'],
    findings: v.findings.trim(),
    actions: rows.map((i) => ({ text: v.followUps[i].text.trim(), owner: v.followUps[i].owner as 'host' | 'provider', dueDate: v.followUps[i].dueDate })),
  };
  return { input, rows, problems };
}

/** One follow-up added to an existing visit (the host's small form under a visit). */
export function checkFollowUp(f: FollowUpValues, visitDate: string, prefix: string): Problem[] {
  return followUpProblems(f, visitDate, { text: `${prefix}-text`, owner: `${prefix}-owner`, due: `${prefix}-due` });
}

export function checkText(value: string, fieldId: string, label: Problem['label']): Problem[] {
  return findingsProblems(value, fieldId, label);
}

/** The API's field issues (`visitDate`, `actions.1.dueDate`, `response` …) as problems on the form's fields. */
export function problemsFromIssues(issues: ReadonlyArray<{ path: string; message: string }>, ids: { rows?: number[]; prefix?: string; response?: string; findings?: string }): Problem[] {
  return issues.map((issue) => {
    const key: ProblemKey = /CPR/.test(issue.message) ? 'cpr' : 'server';
    const message = issue.message;
    const followUp = /^(?:actions|addActions)\.(\d+)\.(text|owner|dueDate)$/.exec(issue.path);
    if (followUp) {
      const row = ids.rows?.[Number(followUp[1])] ?? Number(followUp[1]);
      const field = followUp[2] === 'dueDate' ? 'due' : (followUp[2] as 'text' | 'owner');
      const fieldId = ids.prefix ? `${ids.prefix}-${field}` : followUpFieldId(row, field);
      return { fieldId, label: followUp[2] === 'text' ? 'followUpText' : followUp[2] === 'owner' ? 'owner' : 'dueDate', key, message };
    }
    switch (issue.path) {
      case 'visitDate':
        return { fieldId: 'visit-date', label: 'visitDate', key, message };
      case 'kind':
        return { fieldId: 'visit-kind-announced', label: 'kind', key, message };
      case 'findings':
        return { fieldId: ids.findings ?? 'visit-findings', label: 'findings', key, message };
      case 'response':
        return { fieldId: ids.response ?? 'response', label: 'response', key, message };
      default:
        return { fieldId: '', key: 'server', message: `${issue.path}: ${issue.message}` };
    }
  });
}
