// The next meeting is proposed from the network's cadence: the latest meeting plus N months, in the future.
import { describe, expect, it } from 'vitest';
import { nextByCadence } from '../../web/lib/meetings/cadence.ts';

const meeting = (startsAt: string, status: 'planned' | 'closed' | 'cancelled' = 'closed') => ({ id: startsAt, title: 'm', startsAt, durationMinutes: 180, location: null, status });

describe('next meeting by cadence', () => {
  it('adds the cadence to the latest meeting in Copenhagen time', () => {
    // 23:30 UTC on 14 January is already 15 January in Copenhagen.
    expect(nextByCadence([meeting('2026-11-12T08:00:00Z'), meeting('2027-01-14T23:30:00Z', 'planned')], 2, new Date('2026-11-23T10:00:00Z'))).toBe('2027-03-15');
    expect(nextByCadence([meeting('2026-11-12T08:00:00Z')], 1, new Date('2026-11-23T10:00:00Z'))).toBe('2026-12-12');
  });

  it('ignores cancelled meetings, clamps to the month’s last day, and never proposes the past', () => {
    expect(nextByCadence([meeting('2026-12-31T09:00:00Z'), meeting('2027-04-01T09:00:00Z', 'cancelled')], 2, new Date('2026-11-23T10:00:00Z'))).toBe('2027-02-28');
    expect(nextByCadence([meeting('2025-01-10T09:00:00Z')], 2, new Date('2026-11-23T10:00:00Z'))).toBe('2027-01-10');
    expect(nextByCadence([], 2, new Date('2026-11-23T10:00:00Z'))).toBe('2027-01-23');
  });
});
