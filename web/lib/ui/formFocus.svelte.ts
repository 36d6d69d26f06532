// Where the focus goes once a form action has answered. The form keeps what was typed (no reset), and
// a failure sends keyboard and screen-reader users to the DKFDS error summary, so they hear what to fix.
import { tick } from 'svelte';
import type { ActionResult, SubmitFunction } from '@sveltejs/kit';

export interface Focusable {
  focus(): void;
}

/**
 * use:enhance's callback: update the page without resetting the form, let `afterUpdate` see the
 * result, wait for the page to show it, then focus what `target` names for that result (if anything).
 */
export function keepAndFocus(target: (result: ActionResult) => Focusable | null | undefined, afterUpdate?: (result: ActionResult) => void): SubmitFunction {
  return () =>
    async ({ update, result }) => {
      await update({ reset: false });
      afterUpdate?.(result);
      await tick();
      target(result)?.focus();
    };
}

/** A form's error summary, and the submit callback that focuses it after a failed send. */
export class SummaryFocus {
  /** The form's ErrorSummary (`bind:this`); absent while there is nothing to fix. */
  errorSummary: Focusable | undefined = $state();
  readonly submit: SubmitFunction;

  /** `afterUpdate` sees each result once the page has it (e.g. to empty the form after a save). */
  constructor(afterUpdate?: (result: ActionResult) => void) {
    this.submit = keepAndFocus((result) => (result.type === 'failure' ? this.errorSummary : null), afterUpdate);
  }
}
