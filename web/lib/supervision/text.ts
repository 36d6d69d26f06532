// Supervision and audit texts in the page's language: calendar dates, and form problems as sentences.
import { CPR_MESSAGE } from '$domain/cpr.ts';
import type { Locale, TranslateFn } from '$lib/i18n/index.ts';
import type { Problem } from './visitForm.ts';

const INTL_LOCALE: Record<Locale, string> = { da: 'da-DK', en: 'en-GB' };

/** 'YYYY-MM-DD' as people read it: "2. marts 2026", "2 March 2026". */
export function calendarDate(locale: Locale, date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? date : new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** One problem as a sentence naming its field. */
export function problemText(t: TranslateFn, locale: Locale, p: Problem): string {
  if (p.key === 'cpr') return CPR_MESSAGE[locale];
  const label = p.label ? t(`supervision.fields.${p.label}`) : '';
  if (p.key === 'server') return label ? t('supervision.problems.server', { field: label, message: p.message ?? '' }) : (p.message ?? '');
  return t(`supervision.problems.${p.key}`, { field: label.charAt(0).toLowerCase() + label.slice(1) });
}
