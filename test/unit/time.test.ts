// The one time module: Copenhagen days and clock times across the summer-time changes (last Sunday
// of March and of October), month arithmetic across year ends, day numbers and working days.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays, addMonths, addMonthsToDate, copenhagenDate, copenhagenDateTime, copenhagenInstant, copenhagenIso, copenhagenMidnight, copenhagenMonth,
  dateOfDay, dayNumber, isMonth, isWorkingDay, lastDayOf, monthAt, monthIndex, monthsBetween, TIME_ZONE, workingDaysBefore,
} from '../../domain/time.ts';

const at = (iso: string) => new Date(iso);

describe('Copenhagen wall clock of an instant', () => {
  it('is Europe/Copenhagen', () => {
    expect(TIME_ZONE).toBe('Europe/Copenhagen');
  });

  it('jumps from 02:00 to 03:00 at 01:00 UTC on the last Sunday of March', () => {
    expect(copenhagenDateTime(at('2026-03-29T00:59:00Z'))).toEqual({ date: '2026-03-29', time: '01:59' });
    expect(copenhagenDateTime(at('2026-03-29T01:00:00Z'))).toEqual({ date: '2026-03-29', time: '03:00' });
    expect(copenhagenDateTime(at('2027-03-28T01:00:00Z'))).toEqual({ date: '2027-03-28', time: '03:00' });
  });

  it('goes back from 03:00 to 02:00 at 01:00 UTC on the last Sunday of October, so 02:30 shows twice', () => {
    expect(copenhagenDateTime(at('2026-10-25T00:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30' }); // summer time
    expect(copenhagenDateTime(at('2026-10-25T01:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30' }); // winter time
    expect(copenhagenDateTime(at('2027-10-31T00:59:59Z'))).toEqual({ date: '2027-10-31', time: '02:59' });
  });

  it('drops the seconds rather than rounding to the next minute', () => {
    expect(copenhagenDateTime(at('2026-07-01T10:14:59.999Z')).time).toBe('12:14');
  });

  it('changes day and month at local midnight, not UTC midnight', () => {
    expect(copenhagenDate(at('2026-03-28T22:59:59Z'))).toBe('2026-03-28'); // 23:59:59 CET
    expect(copenhagenDate(at('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(copenhagenDate(at('2026-03-29T21:59:59Z'))).toBe('2026-03-29'); // 23:59:59 CEST
    expect(copenhagenDate(at('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
    expect(copenhagenMonth(at('2026-09-30T21:59:59Z'))).toBe('2026-09');
    expect(copenhagenMonth(at('2026-09-30T22:00:00Z'))).toBe('2026-10');
    expect(copenhagenMonth(at('2027-12-31T23:00:00Z'))).toBe('2028-01');
  });
});

describe('Copenhagen wall clock to an instant', () => {
  it('uses winter time (+01:00) before the March change and summer time (+02:00) after it', () => {
    expect(copenhagenInstant('2026-03-29', '01:59').toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(copenhagenInstant('2026-03-29', '03:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(copenhagenInstant('2026-10-25', '03:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(copenhagenInstant('2026-10-25', '01:59').toISOString()).toBe('2026-10-24T23:59:00.000Z');
  });

  it('reads a time in the skipped March hour as the hour after it', () => {
    expect(copenhagenInstant('2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(copenhagenInstant('2027-03-28', '02:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
  });

  it('reads a time in the repeated October hour as its second, winter-time pass', () => {
    expect(copenhagenInstant('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(copenhagenInstant('2027-10-31', '02:00').toISOString()).toBe('2027-10-31T01:00:00.000Z');
  });

  it('finds local midnight, also on the change-over days', () => {
    expect(copenhagenMidnight('2027-03-28').toISOString()).toBe('2027-03-27T23:00:00.000Z');
    expect(copenhagenMidnight('2027-03-29').toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(copenhagenMidnight('2027-10-31').toISOString()).toBe('2027-10-30T22:00:00.000Z');
    expect(copenhagenMidnight('2027-11-01').toISOString()).toBe('2027-10-31T23:00:00.000Z');
  });

  it('writes a date and time with the offset in force then, and refuses what is not a date or time', () => {
    expect(copenhagenIso('2027-01-14', '09:00')).toBe('2027-01-14T09:00:00+01:00');
    expect(copenhagenIso('2027-03-28', '09:00')).toBe('2027-03-28T09:00:00+02:00');
    expect(copenhagenIso('2027-10-31', '09:00')).toBe('2027-10-31T09:00:00+01:00');
    expect(copenhagenIso('2027-03-28', '02:30')).toBe('2027-03-28T02:30:00+01:00'); // the same instant as 03:30+02:00
    expect(Date.parse(copenhagenIso('2027-03-28', '02:30')!)).toBe(copenhagenInstant('2027-03-28', '02:30').getTime());
    for (const [date, time] of [['2027-02-29', '09:00'], ['2028-13-01', '09:00'], ['2027-1-14', '09:00'], ['2027-01-14', '24:00'], ['2027-01-14', '9:00']]) {
      expect(copenhagenIso(date, time)).toBeNull();
    }
    expect(copenhagenIso('2028-02-29', '09:00')).toBe('2028-02-29T09:00:00+01:00');
  });

  it('gives back the wall clock it was made from, at every quarter hour of the change-over days', () => {
    for (const date of ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31']) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const skipped = date.slice(5, 7) === '03' && time >= '02:00' && time < '03:00';
        const shown = copenhagenDateTime(copenhagenInstant(date, time));
        expect(shown).toEqual(skipped ? { date, time: `03:${time.slice(3)}` } : { date, time });
      }
    }
  });
});

describe('months', () => {
  it('adds and subtracts months across year ends', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-03', -11)).toBe('2025-04');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
    expect(addMonths('2026-03', 0)).toBe('2026-03');
  });

  it('lists the months of a period, both ends included', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2027-02', '2026-11')).toEqual([]);
    expect(() => monthsBetween('2026-00', '2026-02')).toThrow(RangeError);
  });

  it('numbers months so that arithmetic is subtraction', () => {
    expect(monthIndex('2027-01') - monthIndex('2026-12')).toBe(1);
    expect(monthAt(monthIndex('2026-07'))).toBe('2026-07');
    expect(isMonth('2026-07')).toBe(true);
    expect(isMonth('2026-7')).toBe(false);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth(202607)).toBe(false);
  });

  it('knows the last day of every month, leap years included', () => {
    expect(lastDayOf('2026-01')).toBe('2026-01-31');
    expect(lastDayOf('2026-04')).toBe('2026-04-30');
    expect(lastDayOf('2026-02')).toBe('2026-02-28');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2100-02')).toBe('2100-02-28');
    expect(lastDayOf('2000-02')).toBe('2000-02-29');
    expect(lastDayOf('2026-12')).toBe('2026-12-31');
  });

  it('moves a date by months, keeping the day or taking the shorter month’s last', () => {
    expect(addMonthsToDate('2026-12-15', 2)).toBe('2027-02-15');
    expect(addMonthsToDate('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsToDate('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonthsToDate('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('adding n months and then -n months gives the month back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900 * 12, max: 2200 * 12 }), fc.integer({ min: -600, max: 600 }), (index, n) => {
        const month = monthAt(index);
        expect(addMonths(addMonths(month, n), -n)).toBe(month);
        expect(monthIndex(addMonths(month, n)) - index).toBe(n);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});

describe('days', () => {
  it('counts days since 1970-01-01, whole across summer-time changes', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2026-03-30') - dayNumber('2026-03-29')).toBe(1);
    expect(dayNumber('2026-10-26') - dayNumber('2026-10-25')).toBe(1);
    expect(dayNumber('2026-12-31') - dayNumber('2026-01-01')).toBe(364);
    expect(dayNumber('2028-12-31') - dayNumber('2028-01-01')).toBe(365);
    expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
  });

  it('refuses dates that do not exist', () => {
    expect(() => dayNumber('2027-02-29')).toThrow(RangeError);
    expect(() => dayNumber('2026-04-31')).toThrow(RangeError);
    expect(() => dayNumber('2026-1-01')).toThrow(RangeError);
  });

  it('adds days across month ends, year ends and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('a day number and its date are one and the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 100_000 }), (day) => {
        expect(dayNumber(dateOfDay(day))).toBe(day);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});

describe('working days', () => {
  it('are Monday to Friday', () => {
    // 7–13 December 2026 is Monday to Sunday.
    const week = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'];
    expect(week.map(isWorkingDay)).toEqual([true, true, true, true, true, false, false]);
    expect(isWorkingDay('2026-03-29')).toBe(false); // the summer-time Sunday
  });

  it('counts back over weekends, not counting the day itself', () => {
    expect(workingDaysBefore('2026-12-10', 3)).toBe('2026-12-07'); // Thursday → Monday
    expect(workingDaysBefore('2026-12-09', 3)).toBe('2026-12-04'); // Wednesday → the Friday before
    expect(workingDaysBefore('2026-12-07', 1)).toBe('2026-12-04'); // Monday → Friday
    expect(workingDaysBefore('2026-12-13', 1)).toBe('2026-12-11'); // Sunday → Friday
    expect(workingDaysBefore('2027-01-04', 3)).toBe('2026-12-30'); // Monday → Wednesday, across the year end (1 January is a Friday)
    expect(workingDaysBefore('2026-12-09', 0)).toBe('2026-12-09');
  });
});
