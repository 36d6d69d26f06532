// The monthly report form's state: what its fields show (what was just sent, the month being
// corrected, or an empty form), whether the save is a correction, and its problems as sentences.
import type { ActionResult } from '@sveltejs/kit';
import type { I18nContext } from '$lib/i18n/context.ts';
import type { ReportActionResult } from '$lib/server/results.ts';
import { keepAndFocus, SummaryFocus } from '$lib/ui/formFocus.svelte.ts';
import { emptyValues, type FieldProblem, type ReportField, type ReportValues } from './reportForm.ts';

export interface ReportFormProps {
  result: ReportActionResult | null;
  /** The month being corrected's values, when `correcting` names one. */
  prefill: ReportValues | null;
  correcting: string | null;
  suggestedMonth: string;
}

/** The figures' fields in the order the form shows them, each with its unit and keyboard. */
export const FIGURE_FIELDS: ReadonlyArray<{ field: Exclude<ReportField, 'month' | 'reason'>; unit: 'count' | 'pct' | 'score'; decimal: boolean }> = [
  { field: 'referred', unit: 'count', decimal: false },
  { field: 'active', unit: 'count', decimal: false },
  { field: 'jobStarts', unit: 'count', decimal: false },
  { field: 'retained13of26', unit: 'count', decimal: false },
  { field: 'activationPct', unit: 'pct', decimal: true },
  { field: 'satisfactionMean', unit: 'score', decimal: true },
  { field: 'satisfactionResponses', unit: 'count', decimal: false },
];

// "Udfyld aktivering.": the field's name mid-sentence, in lower case.
const midSentence = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export class ReportFormState extends SummaryFocus {
  readonly #props: () => ReportFormProps;
  readonly #i18n: I18nContext;

  // What the fields show: what was just submitted, else the month being corrected, else a fresh
  // form (also right after a save, which re-creates the form).
  readonly pending = $derived.by(() => {
    const result = this.#props().result;
    return result && result.kind !== 'saved' ? result : null;
  });
  readonly correctingNow = $derived.by(() => (this.#props().result?.kind === 'saved' ? null : this.#props().correcting));
  readonly values: ReportValues = $derived.by(() => this.pending?.values ?? (this.correctingNow ? this.#props().prefill : null) ?? { ...emptyValues(), month: this.#props().suggestedMonth });
  readonly correction = $derived(this.pending ? this.pending.correction : this.correctingNow !== null);
  /** A new key after a save re-creates the form, so it starts empty again. */
  readonly formKey = $derived.by(() => {
    const result = this.#props().result;
    return result?.kind === 'saved' ? `${result.month}-${result.version}` : 'editing';
  });
  /** The month exists already: the save must become a correction with a reason. */
  readonly conflict = $derived(this.pending?.kind === 'conflict');
  readonly problems: FieldProblem[] = $derived(this.pending && 'problems' in this.pending ? this.pending.problems : []);
  readonly summary = $derived(this.problems.map((p) => ({ message: this.message(p), fieldId: `report-${p.field}` })));

  /** The reason's text area, where a conflict sends the focus (`bind:element`). */
  reasonInput: HTMLTextAreaElement | undefined = $state();
  // A conflict asks for the reason, so the focus goes there; other failures go to the summary.
  override readonly submit = keepAndFocus((result: ActionResult) =>
    result.type === 'failure' && result.status === 409 ? this.reasonInput : result.type === 'failure' ? this.errorSummary : null,
  );

  /** `props` is a getter of the component's props, so they are read live. */
  constructor(props: () => ReportFormProps, i18n: I18nContext) {
    super();
    this.#props = props;
    this.#i18n = i18n;
  }

  problemOf = (field: ReportField): FieldProblem | undefined => this.problems.find((p) => p.field === field);

  label = (field: ReportField): string => this.#i18n.t(`results.fields.${field}`);

  message = (p: FieldProblem): string =>
    this.#i18n.t(`results.problems.${p.key}`, { field: p.key === 'required' ? midSentence(this.label(p.field)) : this.label(p.field), message: p.message ?? '' });

  /** The ids a field's aria-describedby names: its hint, and its error when it has one. */
  describedBy = (field: ReportField): string => (this.problemOf(field) ? `report-${field}-hint report-${field}-error` : `report-${field}-hint`);
}
