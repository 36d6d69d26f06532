// Documentation deadlines: which monthly reports are overdue, and which are due soon, given the
// contracts (period, early end, deadline day), the months already reported and the time now.
import { addDays, addMonths, copenhagenDate, copenhagenMidnight, copenhagenMonth, dayNumber, monthsBetween } from './time.ts';

export interface ContractDeadlineTerms {
  providerId: string;
  /** 'YYYY-MM-DD', inclusive. */
  periodStart: string;
  periodEnd: string;
  /** Set when the contract was ended early: no report is owed for months after it. */
  endedOn: string | null;
  /** Day of the following month by which a month's report is due. */
  deadlineDay: number;
}

export interface ReportDue {
  providerId: string;
  month: string;
  /** The last local day the report may come in, 'YYYY-MM-DD' (Copenhagen). */
  dueDate: string;
  /** The instant the report becomes overdue (the local midnight after the due date), ISO 8601 UTC. */
  overdueFrom: string;
  /** Calendar days from today to the due date in Copenhagen: 0 = due today, negative = days late. */
  daysLeft: number;
}

export interface DeadlineStatus {
  overdue: ReportDue[];
  dueSoon: ReportDue[];
}

/** "Due soon" means the due date is at most this many calendar days away. */
export const DUE_SOON_DAYS = 3;
/** Gaps older than this are history for the audit, not reminders (the demo's contracts start before its reports). */
export const LOOKBACK_MONTHS = 12;

/**
 * A month's report is due by the end of day `deadlineDay` of the following month, Copenhagen time:
 * `dueDate` is that local day, `overdueFrom` the instant the next local day begins.
 */
export function reportDeadline(month: string, deadlineDay: number): { dueDate: string; overdueFrom: Date } {
  const dueDate = `${addMonths(month, 1)}-${String(deadlineDay).padStart(2, '0')}`;
  return { dueDate, overdueFrom: copenhagenMidnight(addDays(dueDate, 1)) };
}

/**
 * The reports a provider owes and has not sent: every month its contract covers (a month is covered
 * if any of its days is in the period and before an early end) that has ended by `now` in Copenhagen.
 * A report not in by the end of the deadline day is overdue; one due within `soonDays` days is due soon.
 * `reported` holds 'providerId|YYYY-MM' for every month with at least one report version.
 */
export function reportDeadlines(
  contracts: readonly ContractDeadlineTerms[],
  reported: ReadonlySet<string>,
  now: Date,
  options: { soonDays?: number; lookbackMonths?: number } = {},
): DeadlineStatus {
  const soonDays = options.soonDays ?? DUE_SOON_DAYS;
  const currentMonth = copenhagenMonth(now);
  const today = dayNumber(copenhagenDate(now));
  const earliest = addMonths(currentMonth, -(options.lookbackMonths ?? LOOKBACK_MONTHS));
  // One entry per provider and month: with overlapping contracts the earliest deadline holds.
  const owed = new Map<string, ReportDue>();
  for (const c of contracts) {
    const lastDay = c.endedOn && c.endedOn < c.periodEnd ? c.endedOn : c.periodEnd;
    const first = c.periodStart.slice(0, 7) > earliest ? c.periodStart.slice(0, 7) : earliest;
    const lastMonth = lastDay.slice(0, 7);
    // Only months that are over: the current month's report cannot be due yet.
    const last = lastMonth < currentMonth ? lastMonth : addMonths(currentMonth, -1);
    for (const month of monthsBetween(first, last)) {
      const key = `${c.providerId}|${month}`;
      if (reported.has(key)) continue;
      const { dueDate, overdueFrom } = reportDeadline(month, c.deadlineDay);
      const seen = owed.get(key);
      if (seen && seen.dueDate <= dueDate) continue;
      owed.set(key, { providerId: c.providerId, month, dueDate, overdueFrom: overdueFrom.toISOString(), daysLeft: dayNumber(dueDate) - today });
    }
  }
  const overdue: ReportDue[] = [];
  const dueSoon: ReportDue[] = [];
  for (const due of owed.values()) {
    if (now.getTime() >= Date.parse(due.overdueFrom)) overdue.push(due);
    else if (due.daysLeft <= soonDays) dueSoon.push(due);
  }
  const order = (a: ReportDue, b: ReportDue) => a.dueDate.localeCompare(b.dueDate) || a.providerId.localeCompare(b.providerId);
  return { overdue: overdue.sort(order), dueSoon: dueSoon.sort(order) };
}

