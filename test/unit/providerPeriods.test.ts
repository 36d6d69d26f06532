// A provider's periods in a network: which months it takes part in, and who takes part in a month.
import { describe, expect, it } from 'vitest';
import { activeProviders, lastMonthOf, periodsKey, providersDuring, takesPartDuring, takesPartIn, type ProviderPeriod } from '../../domain/providerPeriods.ts';

const always: ProviderPeriod[] = [{ fromMonth: null, lastMonth: null }];
const left: ProviderPeriod[] = [{ fromMonth: null, lastMonth: '2026-06' }];
const joinsLater: ProviderPeriod[] = [{ fromMonth: '2026-09', lastMonth: null }];
// Took part through March, left, and rejoined in September.
const rejoined: ProviderPeriod[] = [{ fromMonth: '2026-09', lastMonth: null }, { fromMonth: '2025-10', lastMonth: '2026-03' }];

describe('takesPartIn', () => {
  it('a provider with no from or last month takes part in every month', () => {
    for (const month of ['1999-01', '2026-06', '2100-12']) expect(takesPartIn(always, month)).toBe(true);
  });
  it('a provider that left takes part through its last month and not after', () => {
    expect(takesPartIn(left, '2026-06')).toBe(true);
    expect(takesPartIn(left, '2026-01')).toBe(true);
    expect(takesPartIn(left, '2026-07')).toBe(false);
  });
  it('a provider joining later does not take part before its first month', () => {
    expect(takesPartIn(joinsLater, '2026-08')).toBe(false);
    expect(takesPartIn(joinsLater, '2026-09')).toBe(true);
  });
  it('a provider that rejoined takes part in both periods and not in the gap', () => {
    expect(takesPartIn(rejoined, '2025-09')).toBe(false);
    expect(takesPartIn(rejoined, '2025-10')).toBe(true);
    expect(takesPartIn(rejoined, '2026-03')).toBe(true);
    expect(takesPartIn(rejoined, '2026-05')).toBe(false);
    expect(takesPartIn(rejoined, '2026-09')).toBe(true);
  });
  it('no periods means no months', () => {
    expect(takesPartIn([], '2026-01')).toBe(false);
  });
});

describe('takesPartDuring', () => {
  it('is true when any month of the range is covered', () => {
    expect(takesPartDuring(left, '2026-06', '2026-12')).toBe(true);
    expect(takesPartDuring(left, '2026-07', '2026-12')).toBe(false);
    expect(takesPartDuring(rejoined, '2026-04', '2026-08')).toBe(false);
    expect(takesPartDuring(rejoined, '2026-04', '2026-09')).toBe(true);
    expect(takesPartDuring(joinsLater, '2026-01', '2026-08')).toBe(false);
  });
});

describe('activeProviders and providersDuring', () => {
  const providers = [
    { id: 'A', periods: always },
    { id: 'B', periods: left },
    { id: 'C', periods: joinsLater },
  ];
  it('keep the given order and leave out who does not take part', () => {
    expect(activeProviders(providers, '2026-05').map((p) => p.id)).toEqual(['A', 'B']);
    expect(activeProviders(providers, '2026-10').map((p) => p.id)).toEqual(['A', 'C']);
    expect(providersDuring(providers, '2026-06', '2026-09').map((p) => p.id)).toEqual(['A', 'B', 'C']);
    expect(providersDuring(providers, '2026-07', '2026-08').map((p) => p.id)).toEqual(['A']);
  });
});

describe('lastMonthOf and periodsKey', () => {
  it('the last month is null while a period runs', () => {
    expect(lastMonthOf(always)).toBeNull();
    expect(lastMonthOf(rejoined)).toBeNull();
    expect(lastMonthOf(left)).toBe('2026-06');
    expect(lastMonthOf([{ fromMonth: null, lastMonth: '2025-01' }, { fromMonth: '2025-06', lastMonth: '2025-09' }])).toBe('2025-09');
  });
  it('the key does not depend on the order of the periods and changes with them', () => {
    expect(periodsKey(rejoined)).toBe(periodsKey([...rejoined].reverse()));
    expect(periodsKey(left)).not.toBe(periodsKey(always));
  });
});
