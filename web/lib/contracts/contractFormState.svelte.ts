// The contract form's state: which contract it registers or changes, what its fields show, its
// problems, and the extra commitment rows a button adds (with JavaScript only).
import { onMount } from 'svelte';
import type { Organisation } from '$wire/common.ts';
import type { Contract } from '$wire/contracts.ts';
import type { I18nContext } from '$lib/i18n/context.ts';
import type { ContractActionResult } from '$lib/server/contracts.ts';
import { SummaryFocus } from '$lib/ui/formFocus.svelte.ts';
import { valuesFromContract, type ContractValues } from './forms.ts';
import { ContractProblems } from './problems.svelte.ts';

export interface ContractFormProps {
  providers: Organisation[];
  defaults: ContractValues;
  changing: Contract | null;
  result: ContractActionResult | null;
}

export class ContractFormState extends SummaryFocus {
  readonly #props: () => ContractFormProps;
  readonly #i18n: I18nContext;

  // What the fields show: what was just submitted, else the contract being changed, else a fresh
  // form with the Aalborg defaults (also right after a save, which re-creates the form).
  readonly pending = $derived.by(() => {
    const result = this.#props().result;
    return result && result.kind !== 'saved' ? result : null;
  });
  readonly changingNow = $derived.by(() => (this.#props().result?.kind === 'saved' ? null : this.#props().changing));
  readonly contractId = $derived(this.pending ? this.pending.contractId : (this.changingNow?.id ?? null));
  readonly values: ContractValues = $derived.by(() => this.pending?.values ?? (this.changingNow ? valuesFromContract(this.changingNow, this.#i18n.locale) : this.#props().defaults));
  readonly problems: ContractProblems;
  /** A new key after a save re-creates the form, so it starts empty again. */
  readonly formKey = $derived.by(() => {
    const result = this.#props().result;
    return result?.kind === 'saved' ? `${result.contractId}-${result.version}` : `editing-${this.contractId ?? 'new'}`;
  });
  readonly providerName = $derived.by(() => this.#props().providers.find((p) => p.id === this.values.providerId)?.name ?? '');

  /** Two empty rows for new commitments; with JavaScript, a button adds more. */
  extraRows = $state(2);
  /** Whether JavaScript runs: only then is there a button to add a row. */
  mounted = $state(false);
  readonly rows = $derived([...this.values.commitments, ...Array.from({ length: this.extraRows }, () => ({ id: '', text: '', measure: '' }))]);

  /** Call during component initialisation with a getter of the component's props, so they are read live. */
  constructor(props: () => ContractFormProps, i18n: I18nContext) {
    super();
    this.#props = props;
    this.#i18n = i18n;
    this.problems = new ContractProblems('contract', () => (this.pending?.kind === 'invalid' ? this.pending.problems : []), i18n.t);
    onMount(() => (this.mounted = true));
  }

  addRow = () => {
    this.extraRows += 1;
  };
}
