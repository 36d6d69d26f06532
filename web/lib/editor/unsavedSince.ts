// Says since when work in the editor is unsaved, on Copenhagen's clock ("kl. 10.42"), not in keystrokes.
import { copenhagenDate, copenhagenDateTime, TIME_ZONE } from '$domain/time.ts';
import type { Locale, TranslateFn } from '$lib/i18n/index.ts';

const dayFormat: Record<Locale, Intl.DateTimeFormat> = {
  da: new Intl.DateTimeFormat('da-DK', { day: 'numeric', month: 'long', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', timeZone: TIME_ZONE }),
};

/** "Ikke gemt siden kl. 10.42"; with the day too ("siden 6. december kl. 10.42") once that was not today. */
export function unsavedSinceText(t: TranslateFn, locale: Locale, since: Date, now: Date): string {
  // Danish writes the clock with a full stop (10.42), English with a colon (10:42).
  const clock = copenhagenDateTime(since).time;
  const time = locale === 'da' ? clock.replace(':', '.') : clock;
  if (copenhagenDate(since) === copenhagenDate(now)) return t('editor.notSavedSince', { time });
  return t('editor.notSavedSinceDay', { time, day: dayFormat[locale].format(since) });
}
