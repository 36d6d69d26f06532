// The date a network's meeting cadence proposes for its next meeting.
import type { MeetingSummary } from '../../../realtime/protocol.ts';

/** The Copenhagen calendar date of an instant, 'YYYY-MM-DD'. */
const copenhagenDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(at);

/**
 * The date the network's cadence proposes for the next meeting: the latest meeting's date plus the
 * cadence in months (every second month by default), moved on until it lies in the future.
 */
export function nextByCadence(meetings: MeetingSummary[], cadenceMonths: number, now: Date): string {
  const held = meetings.filter((m) => m.status !== 'cancelled').map((m) => m.startsAt).sort();
  const today = copenhagenDate(now);
  const [y, m, d] = (held.length ? copenhagenDate(new Date(held[held.length - 1])) : today).split('-').map(Number);
  const step = Math.max(1, cadenceMonths);
  for (let k = 1; k < 120; k++) {
    const monthIndex = m - 1 + k * step;
    const lastDay = new Date(Date.UTC(y, monthIndex + 1, 0)).getUTCDate();
    const candidate = new Date(Date.UTC(y, monthIndex, Math.min(d, lastDay))).toISOString().slice(0, 10);
    if (candidate > today) return candidate;
  }
  return today;
}
