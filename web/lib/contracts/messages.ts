// Form problems as sentences in the page's language, and the summary that links each to its field.
import type { MessageKey, TranslateFn } from '$lib/i18n/index.ts';
import { fieldId, type Problem } from './forms.ts';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "prisen pr. forløb", "tilsagn 2": the field's name mid-sentence. */
function fieldName(t: TranslateFn, field: string): string {
  const commitment = /^commitments\.(\d+)\.(text|measure)$/.exec(field);
  if (commitment) return t(commitment[2] === 'text' ? 'contracts.fieldNames.commitmentText' : 'contracts.fieldNames.commitmentMeasure', { n: Number(commitment[1]) + 1 });
  return field ? t(`contracts.fieldNames.${field}` as MessageKey) : '';
}

export function problemMessage(t: TranslateFn, p: Problem): string {
  if (p.key === 'server' && !p.field) return t('contracts.problems.serverOnly', { message: p.message ?? '' });
  const name = fieldName(t, p.field);
  return t(`contracts.problems.${p.key}`, { field: name, Field: capitalise(name), message: p.message ?? '', value: p.value ?? '' });
}

/** The error summary's entries, each linking to its field (ids made with `prefix`). */
export function summaryOf(t: TranslateFn, problems: Problem[], prefix: string): Array<{ message: string; fieldId?: string }> {
  return problems.map((p) => ({ message: problemMessage(t, p), ...(p.field ? { fieldId: fieldId(prefix, p.field) } : {}) }));
}
