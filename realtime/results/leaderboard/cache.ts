// Remembers the leaderboard figures a report save mostly leaves alone, keyed by the version of their rows.
import type { expectedJobRates, medianWeeksToJob, MonthlyReport as ReportForMetrics } from '../../../domain/metrics.ts';
import type { Leaderboard, ProviderFigures } from '../../wire/leaderboard.ts';
import type { ExcludedReport } from './compute.ts';

/** Figures from course records, which change only on a course import, not on every report. */
export interface CourseFigures {
  standardised: ReturnType<typeof expectedJobRates> | null;
  medians: Map<string, ReturnType<typeof medianWeeksToJob> | null>;
  programmes: Leaderboard['programmes'];
  /** An opaque digest of the course records' count and latest change. */
  version: string;
}

export type ReportFigures = Pick<ProviderFigures, 'months' | 'jobRate' | 'retention' | 'activation' | 'satisfaction'>;

/** A provider's report figures for a period, with the latest version of each month they come from. */
export interface ProviderReports {
  figures: ReportFigures;
  rows: readonly ReportForMetrics[];
  /** Its stored months left out because they break a report invariant. */
  excluded: ExcludedReport[];
}

/**
 * Remembers figures that a report save mostly leaves alone, each keyed by the version of the rows
 * it comes from, so any instance sees another's change at once:
 * - course-based figures per network and cut-off, keyed by the course records' count and latest
 *   change, so a report save does not redo Kaplan–Meier and standardisation;
 * - each provider's report figures per period, keyed by that provider's count and latest version
 *   of reports in the period (reports are never changed in place), so a save recomputes only the
 *   provider it concerns.
 */
export class BoardFigureCache {
  private readonly courses = new Map<string, CourseFigures>();
  private readonly reports = new Map<string, ProviderReports>();
  get(key: string) {
    return this.courses.get(key);
  }
  set(key: string, value: CourseFigures) {
    if (this.courses.size >= 200) this.courses.clear();
    this.courses.set(key, value);
  }
  getReports(key: string) {
    return this.reports.get(key);
  }
  setReports(key: string, value: ProviderReports) {
    if (this.reports.size >= 2000) this.reports.clear();
    this.reports.set(key, value);
  }
}
