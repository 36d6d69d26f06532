// Copenhagen calendar days and report deadlines across month ends and summer-time changes.
import { describe, expect, it } from 'vitest';
import { reportDeadline } from '../../domain/deadlines.ts';
import { copenhagenDate, copenhagenMidnight, copenhagenMonth, monthsBetween } from '../../domain/time.ts';

describe('Copenhagen calendar', () => {
  it('a UTC instant late on the last of the month is already the next month in Copenhagen', () => {
    expect(copenhagenDate(new Date('2026-10-31T22:30:00Z'))).toBe('2026-10-31'); // 23:30 CET
    expect(copenhagenDate(new Date('2026-10-31T23:30:00Z'))).toBe('2026-11-01'); // 00:30 CET
    expect(copenhagenMonth(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07'); // 00:30 CEST
    expect(copenhagenMonth(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12');
    expect(copenhagenMonth(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01');
  });

  it('local midnight is 23:00 UTC in winter and 22:00 UTC in summer, also on the change-over days', () => {
    expect(copenhagenMidnight('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(copenhagenMidnight('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(copenhagenMidnight('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // DST starts 02:00 that day
    expect(copenhagenMidnight('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(copenhagenMidnight('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z'); // DST ends 03:00 that day
    expect(copenhagenMidnight('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it("a month's report is due by the end of the deadline day of the next month, local time", () => {
    const oct = reportDeadline('2026-10', 10);
    expect(oct.dueDate).toBe('2026-11-10');
    expect(oct.overdueFrom.toISOString()).toBe('2026-11-10T23:00:00.000Z');
    const dec = reportDeadline('2026-12', 5);
    expect(dec.dueDate).toBe('2027-01-05');
    expect(dec.overdueFrom.toISOString()).toBe('2027-01-05T23:00:00.000Z');
    // Summer: the due day ends at 22:00 UTC.
    expect(reportDeadline('2026-05', 28).overdueFrom.toISOString()).toBe('2026-06-28T22:00:00.000Z');
    // Deadline day 28 in February: the day after is 1 March.
    expect(reportDeadline('2027-01', 28).overdueFrom.toISOString()).toBe('2027-02-28T23:00:00.000Z');
  });

  it('lists months across a year end', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2027-02', '2026-11')).toEqual([]);
  });
});
