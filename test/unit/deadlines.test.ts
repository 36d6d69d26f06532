// Documentation deadlines: a report not in by the end of the deadline day (Copenhagen time) is
// overdue, across month and year ends and summer/winter time; due soon is the three days before.
import { describe, expect, it } from 'vitest';
import { reportDeadlines, type ContractDeadlineTerms } from '../../domain/deadlines.ts';

const contract = (extra: Partial<ContractDeadlineTerms> = {}): ContractDeadlineTerms => ({
  providerId: 'p1',
  periodStart: '2026-01-01',
  periodEnd: '2027-12-31',
  endedOn: null,
  deadlineDay: 10,
  ...extra,
});
const months = (status: { overdue: Array<{ month: string }>; dueSoon: Array<{ month: string }> }) => ({
  overdue: status.overdue.map((d) => d.month),
  dueSoon: status.dueSoon.map((d) => d.month),
});
// Everything before the month under test is in, so each case is about one month.
const reportedBefore = (month: string, providerId = 'p1') => {
  const set = new Set<string>();
  for (let y = 2025; y <= 2027; y++) for (let m = 1; m <= 12; m++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key < month) set.add(`${providerId}|${key}`);
  }
  return set;
};

describe('documentation deadlines', () => {
  it('a report due on the 10th is not overdue at 23:30 Copenhagen time on the 10th, but is at 00:30 on the 11th (winter)', () => {
    const reported = reportedBefore('2026-10');
    // October's report is due 10 November; CET is UTC+1.
    expect(months(reportDeadlines([contract()], reported, new Date('2026-11-10T22:30:00Z')))).toEqual({ overdue: [], dueSoon: ['2026-10'] });
    const late = reportDeadlines([contract()], reported, new Date('2026-11-10T23:30:00Z'));
    expect(months(late)).toEqual({ overdue: ['2026-10'], dueSoon: [] });
    expect(late.overdue[0]).toEqual({ providerId: 'p1', month: '2026-10', dueDate: '2026-11-10', overdueFrom: '2026-11-10T23:00:00.000Z', daysLeft: -1 });
  });

  it('in summer the due day ends at 22:00 UTC', () => {
    const reported = reportedBefore('2026-06');
    // June's report is due 10 July; CEST is UTC+2, so 21:30 UTC is 23:30 local and 22:30 UTC is 00:30.
    expect(months(reportDeadlines([contract()], reported, new Date('2026-07-10T21:30:00Z')))).toEqual({ overdue: [], dueSoon: ['2026-06'] });
    expect(months(reportDeadlines([contract()], reported, new Date('2026-07-10T22:30:00Z')))).toEqual({ overdue: ['2026-06'], dueSoon: [] });
  });

  it("December's report is due in January of the next year", () => {
    const reported = reportedBefore('2026-12');
    const due = reportDeadlines([contract({ deadlineDay: 5 })], reported, new Date('2027-01-05T22:59:00Z'));
    expect(due.dueSoon).toEqual([{ providerId: 'p1', month: '2026-12', dueDate: '2027-01-05', overdueFrom: '2027-01-05T23:00:00.000Z', daysLeft: 0 }]);
    expect(months(reportDeadlines([contract({ deadlineDay: 5 })], reported, new Date('2027-01-05T23:00:00Z')))).toEqual({ overdue: ['2026-12'], dueSoon: [] });
    // At 23:30 on New Year's Eve (22:30 UTC) December is not over, so nothing is owed for it yet.
    expect(months(reportDeadlines([contract()], reported, new Date('2026-12-31T22:30:00Z')))).toEqual({ overdue: [], dueSoon: [] });
  });

  it('across the summer-time change: the 28th of March and October end at different UTC hours', () => {
    // February's report due 28 March 2027 (summer time starts that day at 02:00): the day ends 22:00 UTC.
    const feb = reportedBefore('2027-02');
    expect(months(reportDeadlines([contract({ deadlineDay: 28 })], feb, new Date('2027-03-28T21:59:00Z'))).overdue).toEqual([]);
    expect(months(reportDeadlines([contract({ deadlineDay: 28 })], feb, new Date('2027-03-28T22:00:00Z'))).overdue).toEqual(['2027-02']);
    // September's report due 25 October 2026 (winter time from 03:00 that day): the day ends 23:00 UTC.
    const sep = reportedBefore('2026-09');
    expect(months(reportDeadlines([contract({ deadlineDay: 25 })], sep, new Date('2026-10-25T22:30:00Z'))).overdue).toEqual([]);
    expect(months(reportDeadlines([contract({ deadlineDay: 25 })], sep, new Date('2026-10-25T23:00:00Z'))).overdue).toEqual(['2026-09']);
  });

  it('due soon is the due day and the three calendar days before it, counted in Copenhagen', () => {
    const reported = reportedBefore('2026-10');
    // 6 November 23:30 local (22:30 UTC) is four days before: not yet; 7 November 00:30 local is.
    expect(months(reportDeadlines([contract()], reported, new Date('2026-11-06T22:30:00Z'))).dueSoon).toEqual([]);
    const soon = reportDeadlines([contract()], reported, new Date('2026-11-06T23:30:00Z'));
    expect(soon.dueSoon.map((d) => d.daysLeft)).toEqual([3]);
  });

  it('a month with a report, a month not over, and months outside the period or after an early end are not owed', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const reported = new Set(['p1|2026-09']);
    const c = contract({ periodStart: '2026-08-15', endedOn: '2026-10-05' });
    // August (partly covered) and October (covered until the 5th) are owed; September is in; November is not over.
    expect(months(reportDeadlines([c], reported, now))).toEqual({ overdue: ['2026-08', '2026-10'], dueSoon: [] });
    expect(reportDeadlines([contract({ periodStart: '2027-01-01' })], new Set(), now)).toEqual({ overdue: [], dueSoon: [] });
  });

  it('each provider is judged on its own reports, and old gaps beyond the look-back are left to the audit', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const reported = new Set([...reportedBefore('2026-11', 'p1'), ...reportedBefore('2026-10', 'p2')]);
    const status = reportDeadlines([contract(), contract({ providerId: 'p2' })], reported, now);
    expect(status.overdue.map((d) => `${d.providerId} ${d.month}`)).toEqual(['p2 2026-10']);
    const none = reportDeadlines([contract({ periodStart: '2020-01-01' })], new Set(), now, { lookbackMonths: 2 });
    expect(none.overdue.map((d) => d.month)).toEqual(['2026-09', '2026-10']);
  });
});
