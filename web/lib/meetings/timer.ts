// The per-item timer: how long the current agenda item has run against its budget, on the
// server's clock. Three levels, each with its own words, so the state never rests on colour alone.

export type TimerLevel = 'onTime' | 'nearlyOver' | 'over' | 'noBudget';

export interface ItemTimer {
  elapsedSeconds: number;
  budgetSeconds: number | null;
  /** Seconds past the budget (0 while within it). */
  overSeconds: number;
  level: TimerLevel;
}

/** The last fifth of an item's budget, but at least one minute, is "nearly over". */
const WARN_SHARE = 0.8;

export function itemTimer(itemStartedAt: string | null, budgetMinutes: number | null, serverNowMs: number): ItemTimer | null {
  if (!itemStartedAt) return null;
  const started = Date.parse(itemStartedAt);
  if (!Number.isFinite(started)) return null;
  const elapsedSeconds = Math.max(0, Math.floor((serverNowMs - started) / 1000));
  if (!budgetMinutes) return { elapsedSeconds, budgetSeconds: null, overSeconds: 0, level: 'noBudget' };
  const budgetSeconds = budgetMinutes * 60;
  const warnAt = Math.min(budgetSeconds * WARN_SHARE, budgetSeconds - 60);
  const level: TimerLevel = elapsedSeconds > budgetSeconds ? 'over' : elapsedSeconds >= warnAt ? 'nearlyOver' : 'onTime';
  return { elapsedSeconds, budgetSeconds, overSeconds: Math.max(0, elapsedSeconds - budgetSeconds), level };
}

/** 754 → "12:34"; an hour or more → "1:02:05". */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
