// The problems of one supervision form after a send: each field's problem, its sentence in the
// page's language, the error summary's list and the ids a field's aria-describedby names.
import type { I18nContext } from '$lib/i18n/context.ts';
import { problemText } from './text.ts';
import type { Problem } from './visitForm.ts';

export class FormProblems {
  readonly #problems: () => Problem[];
  readonly #i18n: I18nContext;
  readonly summary = $derived(this.#all().map((p) => ({ message: this.message(p), fieldId: p.fieldId || undefined })));

  constructor(problems: () => Problem[], i18n: I18nContext) {
    this.#problems = problems;
    this.#i18n = i18n;
  }

  #all(): Problem[] {
    return this.#problems();
  }

  at = (fieldId: string): Problem | undefined => this.#all().find((p) => p.fieldId === fieldId);

  message = (p: Problem): string => problemText(this.#i18n.t, this.#i18n.locale, p);

  /** The hint and, when the field has a problem, its message. */
  describedBy = (fieldId: string, hint?: string): string | undefined => [hint, this.at(fieldId) ? `${fieldId}-error` : undefined].filter(Boolean).join(' ') || undefined;

  invalid = (fieldId: string): 'true' | undefined => (this.at(fieldId) ? 'true' : undefined);
}
