// The one time module: Copenhagen months ('YYYY-MM') and calendar days ('YYYY-MM-DD'), day numbers,
// working days, and instants read as (or made from) Copenhagen wall-clock time, summer time included.
// No Node-only imports: the server, the web app, the exports and the tests all use it.
import { Temporal } from 'temporal-polyfill';

/** The jobcenters' time zone: every calendar day, month and clock time in Samspil is read here. */
export const TIME_ZONE = 'Europe/Copenhagen';

// ── Months 'YYYY-MM' ─────────────────────────────────────────────────────────────────────────

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether a value is a month written 'YYYY-MM'. */
export const isMonth = (value: unknown): value is string => typeof value === 'string' && MONTH.test(value);

/** Months since January of year 0, so month arithmetic is integer arithmetic; throws on anything but 'YYYY-MM'. */
export function monthIndex(month: string): number {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/** The month a `monthIndex` stands for. */
export function monthAt(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month `n` months after (negative: before) `month`, across year ends. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  return monthAt(y * 12 + (m - 1) + n);
}

/** Every month from `from` to `to`, both included; empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const [first, last] = [monthIndex(from), monthIndex(to)];
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => monthAt(first + i));
}

/** The last day of a month, 'YYYY-MM-DD' (29 February in leap years). */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

// ── Calendar days 'YYYY-MM-DD' ───────────────────────────────────────────────────────────────

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a calendar date 'YYYY-MM-DD' (UTC, so no daylight-saving hour shifts a day). */
export function dayNumber(isoDate: string): number {
  const m = ISO_DATE.exec(isoDate);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const at = new Date(Date.UTC(year, month - 1, day));
  // The round trip rejects 2026-02-30 and the 1900s offset Date.UTC applies to years below 100.
  if (!m || at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${isoDate}`);
  }
  return at.getTime() / MS_PER_DAY;
}

/** The calendar date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** The same day of the month `n` months later, or that month's last day when it is shorter (31 Jan + 1 → 28/29 Feb). */
export function addMonthsToDate(date: string, n: number): string {
  const month = addMonths(date.slice(0, 7), n);
  const sameDay = `${month}-${date.slice(8, 10)}`;
  const last = lastDayOf(month);
  return sameDay > last ? last : sameDay;
}

/** Monday to Friday; public holidays are not working days either, but Samspil does not know them. */
export function isWorkingDay(date: string): boolean {
  const weekday = (dayNumber(date) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday as in Date.getUTCDay
  return weekday !== 0 && weekday !== 6;
}

/** The working day `n` working days before `date` (the day itself does not count). */
export function workingDaysBefore(date: string, n: number): string {
  let day = dayNumber(date);
  for (let left = n; left > 0; ) {
    day--;
    if (isWorkingDay(dateOfDay(day))) left--;
  }
  return dateOfDay(day);
}

// ── Instants in Copenhagen ───────────────────────────────────────────────────────────────────

function inCopenhagen(at: Date): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(TIME_ZONE);
}

/** 'YYYY-MM-DD' of the calendar day in Copenhagen at this instant. */
export function copenhagenDate(at: Date): string {
  return inCopenhagen(at).toPlainDate().toString();
}

/** 'YYYY-MM' of the calendar month in Copenhagen at this instant. */
export function copenhagenMonth(at: Date): string {
  return copenhagenDate(at).slice(0, 7);
}

/** The date and the wall-clock time ('HH:MM') an instant shows in Copenhagen, as date and time inputs take them. */
export function copenhagenDateTime(at: Date): { date: string; time: string } {
  const local = inCopenhagen(at);
  return { date: local.toPlainDate().toString(), time: local.toPlainTime().toString({ smallestUnit: 'minute' }) };
}

/**
 * The instant a Copenhagen wall-clock time names. Twice a year the wall clock is not one-to-one: a
 * time in the hour skipped on the last Sunday of March is read as the hour after (02:30 → 03:30 summer
 * time), and a time in the hour repeated on the last Sunday of October as its second, winter-time pass.
 */
function resolve(wall: Temporal.PlainDateTime): Temporal.ZonedDateTime {
  return wall.toZonedDateTime(TIME_ZONE, { disambiguation: 'later' });
}

/** The instant a Copenhagen date and wall-clock time ('HH:MM') name; see `resolve` for the two change-over hours. */
export function copenhagenInstant(date: string, time = '00:00'): Date {
  return new Date(resolve(Temporal.PlainDateTime.from(`${date}T${time}`)).epochMilliseconds);
}

/** The instant a local calendar day begins in Copenhagen (23:00 UTC the day before in winter, 22:00 in summer). */
export function copenhagenMidnight(date: string): Date {
  return copenhagenInstant(date);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * "2027-01-14" + "09:00" → "2027-01-14T09:00:00+01:00"; null when either is not a real date or time.
 * The offset is the one in force at that wall-clock time, so a meeting after the change to summer time gets +02:00.
 */
export function copenhagenIso(date: string, time: string): string | null {
  if (!ISO_DATE.test(date) || !TIME.test(time)) return null;
  let wall: Temporal.PlainDateTime;
  try {
    wall = Temporal.PlainDateTime.from(`${date}T${time}`);
  } catch {
    return null; // 2027-02-30
  }
  const offset = Math.round((wall.toZonedDateTime('UTC').epochMilliseconds - resolve(wall).epochMilliseconds) / 60_000);
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date}T${time}:00${offset >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
