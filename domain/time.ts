// The one time module: Copenhagen months ('YYYY-MM') and calendar days ('YYYY-MM-DD'), day numbers,
// working days, and instants read as (or made from) Copenhagen wall-clock time, summer time included.
// It imports nothing (the web app loads it on every page): the zone rules come from Intl, which
// Node and every browser carry.

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

// Made once: building an Intl formatter costs far more than using it.
const wallClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** What Copenhagen's wall clock shows at an instant (ms since 1970), field by field. */
function wallClockAt(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(wallClock.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of the calendar day in Copenhagen at this instant. */
export function copenhagenDate(at: Date): string {
  return copenhagenDateTime(at).date;
}

/** 'YYYY-MM' of the calendar month in Copenhagen at this instant. */
export function copenhagenMonth(at: Date): string {
  return copenhagenDate(at).slice(0, 7);
}

/** The date and the wall-clock time ('HH:MM', seconds dropped) an instant shows in Copenhagen, as date and time inputs take them. */
export function copenhagenDateTime(at: Date): { date: string; time: string } {
  const w = wallClockAt(at.getTime());
  return { date: `${w.year}-${pad2(w.month)}-${pad2(w.day)}`, time: `${pad2(w.hour)}:${pad2(w.minute)}` };
}

/** How far Copenhagen's wall clock is ahead of UTC at this instant, in ms (an hour in winter, two in summer). */
function offsetAt(ms: number): number {
  const w = wallClockAt(ms);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a Copenhagen wall-clock time names, the wall time given as ms read as if it were UTC.
 * The offset in force at that reading is right except within hours of a change, and one more look
 * settles it. Twice a year the wall clock is not one-to-one, and this picks: a time in the hour
 * skipped on the last Sunday of March is read as the hour after (02:30 → 03:30 summer time), a
 * time in the hour repeated on the last Sunday of October as its second, winter-time pass.
 */
function instantOfWallClock(wall: number): number {
  return wall - offsetAt(wall - offsetAt(wall));
}

const ISO_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A date and an 'HH:MM' as the wall clock read as UTC, or null when either is not real (2027-02-29, 24:00). */
function wallClockOf(date: string, time: string): number | null {
  const d = ISO_DATE.exec(date);
  const t = ISO_TIME.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(wall);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? wall : null;
}

/** The instant a Copenhagen date and wall-clock time ('HH:MM') name; throws when either is not real. */
export function copenhagenInstant(date: string, time = '00:00'): Date {
  const wall = wallClockOf(date, time);
  if (wall === null) throw new RangeError(`not a date and time (YYYY-MM-DD, HH:MM): ${date} ${time}`);
  return new Date(instantOfWallClock(wall));
}

/** The instant a local calendar day begins in Copenhagen (23:00 UTC the day before in winter, 22:00 in summer). */
export function copenhagenMidnight(date: string): Date {
  return copenhagenInstant(date);
}

/**
 * "2027-01-14" + "09:00" → "2027-01-14T09:00:00+01:00"; null when either is not a real date or time.
 * The offset is the one in force at that wall-clock time, so a meeting after the change to summer time gets +02:00.
 */
export function copenhagenIso(date: string, time: string): string | null {
  const wall = wallClockOf(date, time);
  if (wall === null) return null;
  const offset = Math.round((wall - instantOfWallClock(wall)) / 60_000);
  const abs = Math.abs(offset);
  return `${date}T${time}:00${offset >= 0 ? '+' : '-'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}
