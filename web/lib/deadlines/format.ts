// Months and due dates as people read them ("oktober 2026", "10. november 2026"): calendar values, so
// formatted in UTC to keep the day the contract names.
import type { Locale } from '$lib/i18n/index.ts';

const intl: Record<Locale, string> = { da: 'da-DK', en: 'en-GB' };

export function monthName(locale: Locale, month: string): string {
  return new Intl.DateTimeFormat(intl[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

export function dueDateName(locale: Locale, date: string): string {
  return new Intl.DateTimeFormat(intl[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
