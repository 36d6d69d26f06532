// Kaplan–Meier curves as GET /api/networks/:id/survival returns them, and the readings the table
// shows: the share still without a job at 13, 26 and 52 weeks after referral.

import type { SurvivalResponse } from '$wire/leaderboard.ts';

/** The wire types, from the one contract (realtime/wire/leaderboard.ts). */
export type SurvivalData = SurvivalResponse;
export type SurvivalCurve = SurvivalResponse['curves'][number];
export type SurvivalStep = SurvivalCurve['steps'][number];

export const READING_WEEKS = [13, 26, 52] as const;

/**
 * The share (0–1) still without a job `week` weeks after referral, or null when nobody was
 * followed that long (the curve says nothing beyond its last observation).
 */
export function survivalAt(curve: SurvivalCurve, week: number): number | null {
  const last = curve.steps[curve.steps.length - 1];
  if (!last || last.week < week) return null;
  let value = 1;
  for (const step of curve.steps) {
    if (step.week > week) break;
    value = step.survival;
  }
  return value;
}

/** The curve as points for a step line, starting at 100 % in week 0, in percent. */
export function curvePoints(curve: SurvivalCurve): Array<{ week: number; pct: number }> {
  return [{ week: 0, pct: 100 }, ...curve.steps.map((s) => ({ week: s.week, pct: s.survival * 100 }))];
}
