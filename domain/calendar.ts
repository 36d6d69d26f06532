// Dates as the jobcenter lives them: calendar days and months in Europe/Copenhagen, whatever the
// server's zone. Deadlines are the end of a local day, so summer time shifts them by an hour in UTC.

export const TIME_ZONE = 'Europe/Copenhagen';

const localParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsAt(at: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(localParts.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, h: +p.hour, min: +p.minute, s: +p.second };
}

/** 'YYYY-MM-DD' of the calendar day in Copenhagen at this instant. */
export function copenhagenDate(at: Date): string {
  const p = partsAt(at.getTime());
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** 'YYYY-MM' of the calendar month in Copenhagen at this instant. */
export function copenhagenMonth(at: Date): string {
  return copenhagenDate(at).slice(0, 7);
}

/** How far Copenhagen's wall clock is ahead of UTC at this instant (1 h in winter, 2 h in summer). */
function offsetMs(at: number): number {
  const p = partsAt(at);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(at / 1000) * 1000;
}

/** The instant a local calendar day begins in Copenhagen. */
export function copenhagenMidnight(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let at = wall - offsetMs(wall);
  const corrected = wall - offsetMs(at);
  if (corrected !== at) at = corrected;
  return new Date(at);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included ('YYYY-MM'). */
export function monthsFromTo(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/**
 * A month's report is due by the end of day `deadlineDay` of the following month, Copenhagen time:
 * `dueDate` is that local day, `overdueFrom` the instant the next local day begins.
 */
export function reportDeadline(month: string, deadlineDay: number): { dueDate: string; overdueFrom: Date } {
  const following = nextMonth(month);
  const dueDate = `${following}-${String(deadlineDay).padStart(2, '0')}`;
  const [y, m, d] = dueDate.split('-').map(Number);
  const dayAfter = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { dueDate, overdueFrom: copenhagenMidnight(dayAfter) };
}
