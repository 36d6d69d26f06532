// Whether a contract runs in a month, and what a new provider's joining checklist still lacks.
import { describe, expect, it } from 'vitest';
import { checklistMissing, contractRunsIn, firstVisitCounting, startDateOf } from '../../domain/providerChecklist.ts';

describe('a running contract', () => {
  const contract = { periodStart: '2026-03-15', periodEnd: '2027-03-14', endedOn: null };
  it('covers any day of the month, at both ends', () => {
    expect(contractRunsIn(contract, '2026-02')).toBe(false);
    expect(contractRunsIn(contract, '2026-03')).toBe(true);
    expect(contractRunsIn(contract, '2027-03')).toBe(true);
    expect(contractRunsIn(contract, '2027-04')).toBe(false);
  });
  it('stops at an early end', () => {
    expect(contractRunsIn({ ...contract, endedOn: '2026-06-30' }, '2026-07')).toBe(false);
    expect(contractRunsIn({ ...contract, endedOn: '2026-06-30' }, '2026-06')).toBe(true);
  });
});

describe('the joining checklist', () => {
  const complete = { interviewOn: '2026-11-20', interviewNotes: 'Noter', referenceCount: 1, hasContract: true, firstVisitOn: '2027-01-01' };
  it('lacks nothing when all four are in', () => {
    expect(checklistMissing(complete)).toEqual([]);
  });
  it('needs both the date and notes of the interview', () => {
    expect(checklistMissing({ ...complete, interviewNotes: '  ' })).toEqual(['interview']);
    expect(checklistMissing({ ...complete, interviewOn: null })).toEqual(['interview']);
  });
  it('lists every missing item in order', () => {
    expect(checklistMissing({ interviewOn: null, interviewNotes: '', referenceCount: 0, hasContract: false, firstVisitOn: null })).toEqual(['interview', 'references', 'contract', 'firstVisit']);
  });
  it('counts only a first visit on or before the start date', () => {
    expect(startDateOf('2027-01', '2026-12-15')).toBe('2027-01-01');
    expect(startDateOf(null, '2026-12-15')).toBe('2026-12-15');
    expect(firstVisitCounting(['2027-01-05', '2026-12-20'], '2027-01-01')).toBe('2026-12-20');
    expect(firstVisitCounting(['2027-01-05'], '2027-01-01')).toBeNull();
    expect(firstVisitCounting(['2027-01-05'], null)).toBe('2027-01-05');
  });
});
