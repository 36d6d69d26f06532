// A new provider's joining checklist as pure rules: whether a contract runs in a month, and what the
// checklist still lacks (interview, references, contract, first supervision visit).

export interface ContractSpan {
  /** Calendar days 'YYYY-MM-DD', inclusive. */
  periodStart: string;
  periodEnd: string;
  /** Set when the jobcenter ended it early. */
  endedOn: string | null;
}

/** Whether the contract's period (up to an early end) covers some day of `month`. */
export function contractRunsIn(c: ContractSpan, month: string): boolean {
  const end = c.endedOn !== null && c.endedOn < c.periodEnd ? c.endedOn : c.periodEnd;
  return c.periodStart.slice(0, 7) <= month && end.slice(0, 7) >= month;
}

export type ChecklistItem = 'interview' | 'references' | 'contract' | 'firstVisit';

export interface ChecklistFacts {
  interviewOn: string | null;
  interviewNotes: string;
  referenceCount: number;
  hasContract: boolean;
  /** The first supervision visit that counts (on or before the start date), or null. */
  firstVisitOn: string | null;
}

/** What a joining checklist still lacks, in the order the jobcenter does it. */
export function checklistMissing(f: ChecklistFacts): ChecklistItem[] {
  const missing: ChecklistItem[] = [];
  if (f.interviewOn === null || f.interviewNotes.trim() === '') missing.push('interview');
  if (f.referenceCount === 0) missing.push('references');
  if (!f.hasContract) missing.push('contract');
  if (f.firstVisitOn === null) missing.push('firstVisit');
  return missing;
}

/** The start date the first visit is measured against: the period's first day, else the contract's start. */
export function startDateOf(fromMonth: string | null, contractStart: string | null): string | null {
  return fromMonth !== null ? `${fromMonth}-01` : contractStart;
}

/** The earliest visit on or before the start date (the earliest of all when there is no start date). */
export function firstVisitCounting(visitDates: readonly string[], startDate: string | null): string | null {
  const counting = visitDates.filter((d) => startDate === null || d <= startDate).sort();
  return counting[0] ?? null;
}
