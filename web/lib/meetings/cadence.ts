// The date a network's meeting cadence proposes for its next meeting.
import type { MeetingSummary } from '$wire/meetings.ts';
import { addMonthsToDate, copenhagenDate } from '$domain/time.ts';

/**
 * The date the network's cadence proposes for the next meeting: the latest meeting's date plus the
 * cadence in months (every second month by default), moved on until it lies in the future.
 */
export function nextByCadence(meetings: MeetingSummary[], cadenceMonths: number, now: Date): string {
  const held = meetings.filter((m) => m.status !== 'cancelled').map((m) => m.startsAt).sort();
  const today = copenhagenDate(now);
  const latest = held.length ? copenhagenDate(new Date(held[held.length - 1])) : today;
  const step = Math.max(1, cadenceMonths);
  for (let k = 1; k < 120; k++) {
    const candidate = addMonthsToDate(latest, k * step);
    if (candidate > today) return candidate;
  }
  return today;
}
