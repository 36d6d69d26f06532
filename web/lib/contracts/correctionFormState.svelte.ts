// The state of the host's correction form on an approved settlement: what its fields show, its
// problems, and the key that empties it after a line was added.
import type { TranslateFn } from '$lib/i18n/index.ts';
import type { SettlementActionResult } from '$lib/server/contracts.ts';
import { SummaryFocus } from '$lib/ui/formFocus.svelte.ts';
import type { CorrectionValues } from './forms.ts';
import { ContractProblems } from './problems.svelte.ts';

export type CorrectionResult = Extract<SettlementActionResult, { action: 'correct' }>;

export interface CorrectionFormProps {
  result: CorrectionResult | null;
  /** How many correction lines the statement has: a new line makes a new form key. */
  corrections: number;
}

export class CorrectionFormState extends SummaryFocus {
  readonly #props: () => CorrectionFormProps;
  /** The answer to a send that did not add a line: its values stay in the fields. */
  readonly pending = $derived.by(() => {
    const result = this.#props().result;
    return result && result.kind !== 'added' ? result : null;
  });
  readonly values: CorrectionValues = $derived(this.pending?.values ?? { text: '', amount: '', reason: '' });
  readonly problems: ContractProblems;
  /** A new key after a line was added re-creates the form, so it starts empty again. */
  readonly formKey = $derived.by(() => (this.#props().result?.kind === 'added' ? `added-${this.#props().corrections}` : 'editing'));

  /** `props` is a getter of the component's props, so they are read live. */
  constructor(props: () => CorrectionFormProps, t: TranslateFn) {
    super();
    this.#props = props;
    this.problems = new ContractProblems('correction', () => (this.pending?.kind === 'invalid' ? this.pending.problems : []), t);
  }
}
