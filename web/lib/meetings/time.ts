// Calendar dates of meetings (e.g. an action item's due date) as people read them, in their language.
// Turning Copenhagen wall-clock times into instants and back is domain/time.ts's job.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD, e.g. a due date) in the reader's language, without a time zone shift. */
export function formatDate(locale: 'da' | 'en', date: string): string {
  const d = DATE.exec(date);
  if (!d) return date;
  return new Intl.DateTimeFormat(locale === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))),
  );
}
