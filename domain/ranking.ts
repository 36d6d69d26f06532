// Leaderboard ranks that do not crown a winner on noise: overlapping confidence intervals are ties.

export interface RankingEntry {
  id: string;
  estimate: number;
  low: number;
  high: number;
  /** The denominator behind the estimate (citizens, citizen-months, answers). */
  n: number;
}

export interface RankedEntry {
  id: string;
  /** 1 + how many others are clearly better; null when there are too few to rank. */
  rank: number | null;
  /** Ranked entries whose intervals overlap this one's (touching counts), by id. */
  tiedWith: string[];
  status: 'ranked' | 'too_few';
}

function checkEntry(e: RankingEntry): void {
  const finite = [e.estimate, e.low, e.high].every(Number.isFinite);
  if (!finite || e.low > e.estimate || e.estimate > e.high) {
    throw new RangeError(`${e.id}: need low ≤ estimate ≤ high, got ${e.low} ≤ ${e.estimate} ≤ ${e.high}`);
  }
  if (!(e.n >= 0)) throw new RangeError(`${e.id}: n must be ≥ 0, got ${e.n}`);
}

/**
 * Rank entries so that only clear differences separate them.
 *
 * Entries with n < minN are 'too_few': no rank, no ties, listed last in id order so their order
 * hints at nothing. Among the rest, an entry is clearly better than another when its whole
 * interval lies beyond the other's (strictly: intervals that touch overlap). Rank = 1 + the number
 * of entries clearly better, so all-overlapping entries share rank 1 and disjoint ones get 1, 2, 3.
 *
 * Overlap is not transitive. With A overlapping B, B overlapping C, and A clearly above C, the
 * ranks are A 1, B 1, C 2: B is tied with both, C only with B. `tiedWith` lists overlaps, which
 * need not share a rank.
 *
 * Display order: rank, then estimate (better first), then id — deterministic for equal inputs.
 */
export function rankHonestly(
  entries: readonly RankingEntry[],
  options: { minN: number; higherIsBetter?: boolean },
): RankedEntry[] {
  const { minN, higherIsBetter = true } = options;
  const ids = new Set<string>();
  for (const e of entries) {
    checkEntry(e);
    if (ids.has(e.id)) throw new RangeError(`${e.id} appears twice`);
    ids.add(e.id);
  }

  const rankable = entries.filter((e) => e.n >= minN);
  const clearlyBetter = (a: RankingEntry, b: RankingEntry) => (higherIsBetter ? a.low > b.high : a.high < b.low);
  const overlaps = (a: RankingEntry, b: RankingEntry) => a.low <= b.high && b.low <= a.high;
  const betterFirst = (a: RankingEntry, b: RankingEntry) => (higherIsBetter ? b.estimate - a.estimate : a.estimate - b.estimate);

  const ranked = rankable
    .map((e) => ({
      entry: e,
      rank: 1 + rankable.filter((other) => other !== e && clearlyBetter(other, e)).length,
      tiedWith: rankable.filter((other) => other !== e && overlaps(other, e)).map((other) => other.id).sort(byCodePoint),
    }))
    .sort((a, b) => a.rank - b.rank || betterFirst(a.entry, b.entry) || byCodePoint(a.entry.id, b.entry.id))
    .map(({ entry, rank, tiedWith }): RankedEntry => ({ id: entry.id, rank, tiedWith, status: 'ranked' }));

  const tooFew = entries
    .filter((e) => !(e.n >= minN))
    .map((e): RankedEntry => ({ id: e.id, rank: null, tiedWith: [], status: 'too_few' }))
    .sort((a, b) => byCodePoint(a.id, b.id));

  return [...ranked, ...tooFew];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
