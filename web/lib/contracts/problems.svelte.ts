// The problems of one contracts form (contract, settlement preview, correction) after a send: each
// field's id and message and the error summary's list, in the page's language.
import type { TranslateFn } from '$lib/i18n/index.ts';
import { fieldId, type Problem } from './forms.ts';
import { problemMessage, summaryOf } from './messages.ts';

export class ContractProblems {
  readonly #problems: () => Problem[];
  readonly #t: TranslateFn;
  /** What the form's field ids start with ('contract', 'preview', 'correction'). */
  readonly prefix: string;
  readonly summary = $derived.by(() => summaryOf(this.#t, this.#problems(), this.prefix));

  constructor(prefix: string, problems: () => Problem[], t: TranslateFn) {
    this.prefix = prefix;
    this.#problems = problems;
    this.#t = t;
  }

  /** The id of a field's input ('contract-periodStart', 'contract-commitments-0-text'). */
  id = (field: string): string => fieldId(this.prefix, field);

  /** The field's problem as a sentence, or null when it has none. */
  errorOf = (field: string): string | null => {
    const p = this.#problems().find((x) => x.field === field);
    return p ? problemMessage(this.#t, p) : null;
  };
}
