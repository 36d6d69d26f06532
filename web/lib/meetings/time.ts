// Meeting times as people in Denmark enter them: a date and a wall-clock time in Copenhagen,
// turned into ISO 8601 with the offset that applies on that date (CET +01:00 or CEST +02:00).
import { TIME_ZONE } from '$lib/i18n/index.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function partsAt(utcMs: number) {
  const parts = wallClock.formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Minutes Copenhagen is ahead of UTC at this instant (60 in winter, 120 in summer). */
export function copenhagenOffsetMinutes(utcMs: number): number {
  const p = partsAt(utcMs);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * "2027-01-14" + "09:00" → "2027-01-14T09:00:00+01:00"; null when either is not a real date or time.
 * The offset is looked up for that very date, so a meeting after the change to summer time gets +02:00.
 */
export function copenhagenIso(date: string, time: string): string | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null; // 2027-02-30
  // The offset at the wall time read as UTC is right except within hours of a change; one more look settles it.
  const first = copenhagenOffsetMinutes(wall);
  const offset = copenhagenOffsetMinutes(wall - first * 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date}T${time}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A stored UTC instant as the date and time inputs show it in Copenhagen. */
export function copenhagenParts(iso: string): { date: string; time: string } {
  const p = partsAt(Date.parse(iso));
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** A calendar date (YYYY-MM-DD, e.g. a due date) in the reader's language, without a time zone shift. */
export function formatDate(locale: 'da' | 'en', date: string): string {
  const d = DATE.exec(date);
  if (!d) return date;
  return new Intl.DateTimeFormat(locale === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))),
  );
}
