// Cuts a full leaderboard into the few views viewers may see (all, own provider only, none), with honest ranks.
import { can, membershipIn, type Actor } from '../../../domain/access.ts';
import { rankHonestly, type RankingEntry } from '../../../domain/ranking.ts';
import { AppError } from '../../errors.ts';
import type { Leaderboard, LeaderboardMetric, LeaderboardRow, ProviderFigures } from '../../wire/leaderboard.ts';
import type { FullBoard } from './compute.ts';

/** Which cut of a board a viewer gets: all of it, one provider's own figures, or nothing. */
export type ViewKey = 'all' | `own:${string}` | 'none';

/**
 * Who a viewer is, for the leaderboard: the host, one provider's member, or a viewer. Members of
 * one class always see the same view, so live updates are encoded once per class, not per socket.
 */
export type AudienceClass = 'host' | `provider:${string}` | 'viewer';

export function audienceOf(actor: Actor, networkId: string): AudienceClass {
  const m = membershipIn(actor, networkId);
  if (!m) throw new AppError('forbidden', 'You are not a member of this network.');
  if (m.role === 'host') return 'host';
  return m.role === 'provider' && m.organisationId ? `provider:${m.organisationId}` : 'viewer';
}

/** The audience of a live board (HTTP and socket.io alike): members whose provider has left have none. */
export function liveAudienceOf(actor: Actor, networkId: string): AudienceClass {
  const audience = audienceOf(actor, networkId);
  if (!can(actor, { action: 'leaderboard.read', networkId })) {
    throw new AppError('forbidden', 'Your organisation has left this network: the live boards are for those taking part. Archived meetings keep the board they showed.');
  }
  return audience;
}

/** Which view of a board an audience may see: all of it, unless sealed. */
export function viewFor(audience: AudienceClass, board: Pick<FullBoard, 'sealed'>): ViewKey {
  if (!board.sealed || audience === 'host') return 'all';
  return audience.startsWith('provider:') ? `own:${audience.slice('provider:'.length)}` : 'none';
}

/** The entry the ranking uses for a metric, or null when there is no figure. */
function rankingEntry(metric: LeaderboardMetric, id: string, f: ProviderFigures): RankingEntry | null {
  switch (metric) {
    case 'jobRate':
    case 'retention': {
      const s = f[metric];
      return s && { id, estimate: s.estimate, low: s.low, high: s.high, n: s.n };
    }
    case 'activation':
      return f.activation && { id, estimate: f.activation.sharePct, low: f.activation.sharePct, high: f.activation.sharePct, n: f.activation.n };
    case 'satisfaction':
      return f.satisfaction && { id, estimate: f.satisfaction.estimate, low: f.satisfaction.low, high: f.satisfaction.high, n: f.satisfaction.n };
    case 'medianWeeksToJob': {
      const m = f.medianWeeksToJob;
      if (!m || m.medianWeeks === null) return null;
      // An open upper limit means "could be much longer": a wide interval, never a clear winner.
      return { id, estimate: m.medianWeeks, low: m.medianLow ?? 0, high: m.medianHigh ?? 1e6, n: m.n };
    }
    case 'actualVsExpected': {
      const s = f.standardised;
      return s?.ratio ? { id, estimate: s.ratio.estimate, low: s.ratio.low, high: s.ratio.high, n: s.n } : null;
    }
  }
}

/** Cuts one view out of a full board: sealed figures never leave the server for those who may not see them. */
export function renderBoard(board: FullBoard, view: ViewKey): Leaderboard {
  const visible = (providerId: string) => view === 'all' || view === `own:${providerId}`;
  const entries = board.providers.flatMap((p) => {
    const e = rankingEntry(board.params.metric, p.id, board.figures.get(p.id)!);
    return e ? [e] : [];
  });
  const ranked = view === 'all' ? new Map(rankHonestly(entries, { minN: board.minN, higherIsBetter: board.params.metric !== 'medianWeeksToJob' }).map((r) => [r.id, r])) : null;
  const rows: LeaderboardRow[] = board.providers.map((p) => {
    if (!visible(p.id)) return { providerId: p.id, name: p.name, shortName: p.shortName, status: 'sealed', rank: null, tiedWith: [], figures: null };
    const r = ranked?.get(p.id);
    const hasEntry = entries.some((e) => e.id === p.id);
    return {
      providerId: p.id,
      name: p.name,
      shortName: p.shortName,
      // While sealed a provider sees its own figures but no rank: a rank would reveal the others.
      status: !hasEntry ? 'no_data' : r ? r.status : 'sealed',
      rank: r?.rank ?? null,
      tiedWith: r?.tiedWith ?? [],
      figures: board.figures.get(p.id)!,
    };
  });
  if (ranked) rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.shortName.localeCompare(b.shortName, 'da'));
  const programmes =
    view === 'all'
      ? board.programmes
      : board.programmes.map((p) => ({ programme: p.programme, network: null, providers: p.providers.filter((x) => visible(x.providerId)) }));
  return {
    networkId: board.params.networkId,
    from: board.params.from,
    to: board.params.to,
    metric: board.params.metric,
    minN: board.minN,
    activationRequirementPct: board.activationRequirementPct,
    sealed: board.sealed,
    view: view === 'all' ? 'all' : view === 'none' ? 'none' : 'own',
    rows,
    programmes,
    excludedReports: (board.excluded ?? [])
      .filter((e) => visible(e.providerId))
      .map((e) => ({ providerId: e.providerId, name: board.providers.find((p) => p.id === e.providerId)?.name ?? e.providerId, month: e.month, version: e.version, rules: e.rules })),
    coursesVersion: board.coursesVersion,
    generatedAt: board.generatedAt,
  };
}
