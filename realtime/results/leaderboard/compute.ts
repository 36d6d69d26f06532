// Computes a period's full leaderboard (every provider's figures) from reports and courses, once per period.
// A provider is on the board when it takes part in at least one month of the period, and only the
// reports of the months it takes part in count (see domain/providerPeriods.ts).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  expectedJobRates, latestVersions, medianWeeksToJob, providerMetrics, resultsByProgramme, type CourseRecord as CourseForMetrics, type MonthlyReport as ReportForMetrics,
} from '../../../domain/metrics.ts';
import { monthViolations, partitionReports, type ReportRule } from '../../../domain/reportInvariants.ts';
import { lastMonthOf, periodsKey, providersDuring, takesPartIn, type ProviderPeriod } from '../../../domain/providerPeriods.ts';
import { addMonths, copenhagenMonth, lastDayOf } from '../../../domain/time.ts';
import type { Database } from '../../../db/database.ts';
import type { CourseRecordRow, MonthlyReportRow } from '../../../db/tables/results.table.ts';
import { coursesOfNetwork, coursesVersion } from '../../../db/queries/courses.ts';
import { networkById, providersWithPeriods } from '../../../db/queries/networks.ts';
import { metricRowsInPeriod, reportVersionsInPeriod, type METRIC_COLUMNS } from '../../../db/queries/reports.ts';
import { activeSeals } from '../../../db/queries/seals.ts';
import { AppError } from '../../errors.ts';
import type { Leaderboard, LeaderboardMetric, LeaderboardQuery, ProviderFigures } from '../../wire/leaderboard.ts';
import type { BoardFigureCache, CourseFigures, ProviderReports, ReportFigures } from './cache.ts';

export interface BoardParams {
  networkId: string;
  from: string;
  to: string;
  metric: LeaderboardMetric;
}

/** Everything about one period, before it is cut into views. */
export interface FullBoard {
  params: BoardParams;
  minN: number;
  activationRequirementPct: number;
  sealed: Leaderboard['sealed'];
  /** The providers taking part in some month of the period, in their order. */
  providers: Array<{ id: string; name: string; shortName: string }>;
  /** Each of those providers' periods: a saved report of a month it does not take part in changes nothing. */
  periods: Map<string, readonly ProviderPeriod[]>;
  /** Providers whose last month was past when the board was computed: their members get no live pushes. */
  leftProviders: string[];
  figures: Map<string, ProviderFigures>;
  /** Stored months left out of the figures because they break a report invariant (optional: archives made before it lack it). */
  excluded?: ExcludedReport[];
  /** Each provider's latest version of each month in the period, so one more saved version can be added without re-reading. */
  reportRows: Map<string, readonly ReportForMetrics[]>;
  /** The day course figures were computed up to (the period's last day, or today if earlier). */
  cutoff: string;
  programmes: Leaderboard['programmes'];
  coursesVersion: string;
  generatedAt: string;
}

/** A provider's month the figures leave out, and the rules it breaks. */
export interface ExcludedReport {
  providerId: string;
  month: string;
  version: number;
  rules: ReportRule[];
}

/** Fills in the defaults: the last complete month, the eleven before it, the network's leading metric. */
export async function boardParams(db: Kysely<Database>, networkId: string, query: LeaderboardQuery, now: Date): Promise<BoardParams> {
  const network = await networkById(db, networkId);
  if (!network) throw new AppError('not_found', `There is no network with id ${networkId}.`);
  const to = query.to ?? addMonths(copenhagenMonth(now), -1);
  const from = query.from ?? addMonths(to, -11);
  if (from > to) throw new AppError('validation_failed', 'The period starts after it ends.', [{ path: 'from', message: `${from} is after ${to}` }]);
  return { networkId, from, to, metric: query.metric ?? (network.leading_metric as LeaderboardMetric) };
}

/** Course figures count up to the period's last day, or up to today while the period runs. */
export function cutoffOf(to: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  return lastDayOf(to) < today ? lastDayOf(to) : today;
}

const forMetrics = (c: CourseRecordRow): CourseForMetrics => ({
  caseKey: c.case_key,
  providerId: c.provider_id,
  programme: c.programme,
  referralDate: c.referral_date,
  endDate: c.end_date,
  firstJobDate: c.first_job_date,
  weeksEmployedOf26: c.weeks_employed_of_26,
  intake: { unemploymentBand: c.unemployment_band, educationField: c.education_field, ageBand: c.age_band },
});

async function courseFigures(db: Kysely<Database>, networkId: string, cutoff: string, providerIds: string[], cache?: BoardFigureCache): Promise<CourseFigures> {
  const version = await coursesVersion(db, networkId);
  const key = `${networkId}|${cutoff}|${version?.n ?? 0}|${version?.latest ?? ''}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  // A digest, so a sealed view does not tell how many courses the network holds.
  const digest = createHash('sha256').update(key).digest('base64url').slice(0, 16);
  const observed = (await coursesOfNetwork(db, networkId)).filter((c) => c.referral_date <= cutoff).map(forMetrics);
  const figures: CourseFigures = {
    standardised: observed.length ? expectedJobRates(observed, { cutoff }) : null,
    medians: new Map(
      providerIds.map((id) => {
        const own = observed.filter((c) => c.providerId === id);
        return [id, own.length ? medianWeeksToJob(own, cutoff) : null];
      }),
    ),
    programmes: resultsByProgramme(observed, { cutoff }),
    version: digest,
  };
  cache?.set(key, figures);
  return figures;
}

export const forReportMetrics = (r: Pick<MonthlyReportRow, ReportColumn>): ReportForMetrics => ({
  providerId: r.provider_id, month: r.month, version: r.version, referred: r.referred, active: r.active, jobStarts: r.job_starts,
  retained13of26: r.retained_13_of_26, activationPct: r.activation_pct, satisfactionMean: r.satisfaction_mean, satisfactionResponses: r.satisfaction_responses,
});
type ReportColumn = (typeof METRIC_COLUMNS)[number];

/** Figures from a provider's latest version of each month. */
function reportFiguresOf(latest: readonly ReportForMetrics[], activationRequirementPct: number): ReportFigures {
  const metrics = providerMetrics(latest, { activationRequirementPct });
  return { months: metrics.months.length, jobRate: metrics.jobRate, retention: metrics.retention, activation: metrics.activation, satisfaction: metrics.satisfaction };
}

/** Every provider's report figures for the period; with a cache, only providers whose reports changed are re-read. */
async function reportFigures(
  db: Kysely<Database>,
  params: Pick<BoardParams, 'networkId' | 'from' | 'to'>,
  periods: Map<string, readonly ProviderPeriod[]>,
  activationRequirementPct: number,
  cache?: BoardFigureCache,
): Promise<Map<string, ProviderReports>> {
  const providerIds = [...periods.keys()];
  const result = new Map<string, ProviderReports>();
  const keys = new Map<string, string>();
  if (cache) {
    const versions = await reportVersionsInPeriod(db, params);
    const versionOf = new Map(versions.map((v) => [v.provider_id, `${v.n}|${v.latest}`]));
    for (const id of providerIds) {
      const key = `${params.networkId}|${params.from}|${params.to}|${activationRequirementPct}|${id}|${versionOf.get(id) ?? '0|'}|${periodsKey(periods.get(id)!)}`;
      const cached = cache.getReports(key);
      if (cached) result.set(id, cached);
      else keys.set(id, key);
    }
  } else for (const id of providerIds) keys.set(id, '');
  if (keys.size === 0) return result;
  const stale = [...keys.keys()];
  const rows = await metricRowsInPeriod(db, params, stale.length === providerIds.length ? undefined : stale);
  const byProvider = new Map<string, ReportForMetrics[]>(stale.map((id) => [id, []]));
  for (const r of rows) if (takesPartIn(periods.get(r.provider_id) ?? [], r.month)) byProvider.get(r.provider_id)?.push(forReportMetrics(r));
  for (const [id, rows] of byProvider) {
    // A stored month that breaks an invariant is left out and named, so one bad row never fails the board.
    const { valid, flagged } = partitionReports(latestVersions(rows));
    const excluded = flagged.map(({ report, violations }) => ({ providerId: id, month: report.month, version: report.version, rules: violations.map((v) => v.rule) }));
    const reports = { figures: reportFiguresOf(valid, activationRequirementPct), rows: valid, excluded };
    if (cache) cache.setReports(keys.get(id)!, reports);
    result.set(id, reports);
  }
  return result;
}

/**
 * Computes a period's board. Without a metric, the network's leading metric leads. With a cache,
 * course figures and the report figures of providers whose reports did not change are reused.
 */
export async function computeBoard(
  db: Kysely<Database>,
  query: Omit<BoardParams, 'metric'> & { metric?: LeaderboardMetric },
  now: Date,
  cache?: BoardFigureCache,
): Promise<FullBoard> {
  const [network, allProviders] = await Promise.all([
    networkById(db, query.networkId),
    providersWithPeriods(db, query.networkId),
  ]);
  if (!network) throw new AppError('not_found', `There is no network with id ${query.networkId}.`);
  const params: BoardParams = { ...query, metric: query.metric ?? (network.leading_metric as LeaderboardMetric) };
  const cutoff = cutoffOf(params.to, now);
  const providers = providersDuring(allProviders, params.from, params.to);
  const providerIds = providers.map((p) => p.id);
  const periods = new Map(providers.map((p) => [p.id, p.periods]));
  const [reports, courses, seals] = await Promise.all([
    reportFigures(db, params, periods, network.activation_requirement_pct, cache),
    courseFigures(db, params.networkId, cutoff, providerIds, cache),
    activeSeals(db, params.networkId),
  ]);
  const figures = new Map<string, ProviderFigures>();
  for (const id of providerIds) {
    const median = courses.medians.get(id) ?? null;
    const std = courses.standardised?.providers.find((s) => s.providerId === id) ?? null;
    figures.set(id, {
      ...reports.get(id)!.figures,
      medianWeeksToJob: median,
      standardised: std && { n: std.n, observed: std.observed, expected: std.expected, ratio: std.ratio, band: std.band },
    });
  }
  // A period is sealed if any unrevealed seal overlaps it (otherwise a wider period would leak it).
  const seal = seals.find((s) => s.period_from <= params.to && s.period_to >= params.from) ?? null;
  return {
    params,
    minN: network.min_citizens_to_rate,
    activationRequirementPct: network.activation_requirement_pct,
    sealed: seal && { sealedAt: seal.sealed_at, from: seal.period_from, to: seal.period_to },
    providers: providers.map((p) => ({ id: p.id, name: p.name, shortName: p.short_name })),
    periods,
    leftProviders: allProviders.filter((p) => (lastMonthOf(p.periods) ?? '9999-12') < copenhagenMonth(now)).map((p) => p.id),
    figures,
    reportRows: new Map(providerIds.map((id) => [id, reports.get(id)!.rows])),
    excluded: providerIds.flatMap((id) => reports.get(id)!.excluded),
    cutoff,
    programmes: courses.programmes,
    coursesVersion: courses.version,
    generatedAt: now.toISOString(),
  };
}

/**
 * The board with one more saved report version, without re-reading anything: only the saving
 * provider's report figures change (course figures, seals and settings do not change on a report
 * save). `unchanged` when the version lies outside the period or is no newer than the month's
 * version on the board; null when the board cannot take it (not one of its providers, or the day,
 * and so the cutoff, moved on).
 */
export function withSavedReport(board: FullBoard, saved: ReportForMetrics, now: Date): FullBoard | 'unchanged' | null {
  if (saved.month < board.params.from || saved.month > board.params.to) return 'unchanged';
  const periods = board.periods.get(saved.providerId);
  if (periods && !takesPartIn(periods, saved.month)) return 'unchanged';
  const rows = board.reportRows.get(saved.providerId);
  const figures = board.figures.get(saved.providerId);
  if (!rows || !figures || cutoffOf(board.params.to, now) !== board.cutoff || monthViolations(saved).length) return null;
  const current = rows.find((r) => r.month === saved.month);
  if (current && current.version >= saved.version) return 'unchanged';
  const replaced = (board.excluded ?? []).find((e) => e.providerId === saved.providerId && e.month === saved.month);
  if (replaced && replaced.version >= saved.version) return 'unchanged';
  // Only the latest version of a month counts, so the one it supersedes goes.
  const ownRows = [...rows.filter((r) => r !== current), saved];
  return {
    ...board,
    figures: new Map(board.figures).set(saved.providerId, { ...figures, ...reportFiguresOf(ownRows, board.activationRequirementPct) }),
    reportRows: new Map(board.reportRows).set(saved.providerId, ownRows),
    // A valid correction of a month left out brings it back.
    excluded: (board.excluded ?? []).filter((e) => e !== replaced),
    generatedAt: now.toISOString(),
  };
}
