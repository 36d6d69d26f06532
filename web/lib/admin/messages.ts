// Problems and outcomes of the administration forms in the reader's language.
import type { MessageKey, TranslateFn } from '$lib/i18n/index.ts';
import type { FormResult, Outcome, Problem } from './forms.ts';

export const problemText = (t: TranslateFn, p: Problem) => t(`admin.problem.${p.key}` as MessageKey, p.values);

/** The message for one field, or null when it has none. */
export function fieldError(t: TranslateFn, result: FormResult<string, unknown> | null, fieldId: string): string | null {
  const problem = result?.problems.find((p) => p.fieldId === fieldId);
  return problem ? problemText(t, problem) : null;
}

/** Every problem for the error summary: the field's name, then what is wrong; or the outcome alone. */
export function summaryOf(t: TranslateFn, result: FormResult<string, unknown>): Array<{ message: string; fieldId?: string }> {
  if (result.problems.length) return result.problems.map((p) => ({ message: `${t(p.label)}: ${problemText(t, p)}`, fieldId: p.fieldId }));
  return [{ message: outcomeText(t, result.outcome) }];
}

export const outcomeText = (t: TranslateFn, outcome: Outcome) => (outcome === 'saved' ? t('admin.saved') : outcome === 'invalid' ? t('admin.problemHeading') : t(`admin.outcome.${outcome}` as MessageKey));

const STATUS_KEYS = { joining: 'admin.providers.statusJoining', active: 'admin.providers.statusActive', leaving: 'admin.providers.statusLeaving', left: 'admin.providers.statusLeft' } as const;
export const statusText = (t: TranslateFn, status: keyof typeof STATUS_KEYS) => t(STATUS_KEYS[status]);

/** "2026-01 – ongoing", with the network's start for a period recorded without a first month. */
export const periodText = (t: TranslateFn, p: { fromMonth: string | null; lastMonth: string | null }) =>
  t('admin.providers.period', { from: p.fromMonth ?? t('admin.providers.periodStart'), to: p.lastMonth ?? t('admin.providers.periodOpen') });

const ITEM_KEYS = { interview: 'admin.provider.itemInterview', references: 'admin.provider.itemReferences', contract: 'admin.provider.itemContract', firstVisit: 'admin.provider.itemFirstVisit' } as const;
export const checklistItemText = (t: TranslateFn, item: keyof typeof ITEM_KEYS) => t(ITEM_KEYS[item]);
