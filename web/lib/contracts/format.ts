// Contract dates as people read them: "1. januar 2026" in Danish, "1 January 2026" in English.
import type { Locale } from '$lib/i18n/index.ts';

const formats: Partial<Record<Locale, Intl.DateTimeFormat>> = {};

/** A calendar date 'YYYY-MM-DD' (no time zone: it is a date, not an instant). */
export function calendarDate(locale: Locale, date: string): string {
  const format = (formats[locale] ??= new Intl.DateTimeFormat(locale === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }));
  return format.format(new Date(`${date}T00:00:00Z`));
}

export function calendarPeriod(locale: Locale, from: string, to: string): string {
  return `${calendarDate(locale, from)} – ${calendarDate(locale, to)}`;
}
