// Honest ranking: only intervals that do not overlap separate providers, and small providers are not ranked.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankHonestly, type RankingEntry } from '../../domain/ranking.ts';

const entry = (id: string, estimate: number, low: number, high: number, n = 40): RankingEntry => ({ id, estimate, low, high, n });
const summary = (ranked: ReturnType<typeof rankHonestly>) => ranked.map((r) => `${r.id}:${r.rank ?? '-'}`);

describe('rankHonestly', () => {
  it('ties everyone when all intervals overlap', () => {
    const ranked = rankHonestly([entry('A', 0.3, 0.2, 0.45), entry('B', 0.35, 0.22, 0.5), entry('C', 0.25, 0.15, 0.4)], { minN: 20 });
    expect(ranked.map((r) => r.rank)).toEqual([1, 1, 1]);
    // Same rank, so the better estimate is listed first.
    expect(ranked.map((r) => r.id)).toEqual(['B', 'A', 'C']);
    expect(ranked[0].tiedWith).toEqual(['A', 'C']);
  });

  it('separates disjoint intervals 1, 2, 3', () => {
    const ranked = rankHonestly([entry('low', 0.1, 0.05, 0.15), entry('high', 0.6, 0.5, 0.7), entry('mid', 0.3, 0.2, 0.4)], { minN: 20 });
    expect(summary(ranked)).toEqual(['high:1', 'mid:2', 'low:3']);
    expect(ranked.every((r) => r.tiedWith.length === 0 && r.status === 'ranked')).toBe(true);
  });

  it('ranks a chain by who is clearly better: A overlaps B, B overlaps C, A is clear of C', () => {
    // A [0.5, 0.7], B [0.35, 0.55], C [0.2, 0.4]: only A is clearly above anyone (C).
    const ranked = rankHonestly([entry('C', 0.3, 0.2, 0.4), entry('B', 0.45, 0.35, 0.55), entry('A', 0.6, 0.5, 0.7)], { minN: 20 });
    expect(summary(ranked)).toEqual(['A:1', 'B:1', 'C:2']);
    expect(Object.fromEntries(ranked.map((r) => [r.id, r.tiedWith]))).toEqual({ A: ['B'], B: ['A', 'C'], C: ['B'] });
  });

  it('treats intervals that touch as overlapping', () => {
    expect(summary(rankHonestly([entry('A', 0.6, 0.4, 0.7), entry('B', 0.3, 0.2, 0.4)], { minN: 1 }))).toEqual(['A:1', 'B:1']);
  });

  it('leaves providers with too few citizens unranked, last, in id order', () => {
    const ranked = rankHonestly(
      [entry('Z', 0.9, 0.8, 0.95, 12), entry('A', 0.6, 0.5, 0.7), entry('B', 0.1, 0.05, 0.2), entry('Y', 0.95, 0.9, 0.99, 5)],
      { minN: 20 },
    );
    expect(ranked).toEqual([
      { id: 'A', rank: 1, tiedWith: [], status: 'ranked' },
      { id: 'B', rank: 2, tiedWith: [], status: 'ranked' },
      { id: 'Y', rank: null, tiedWith: [], status: 'too_few' },
      { id: 'Z', rank: null, tiedWith: [], status: 'too_few' },
    ]);
  });

  it('ranks the smallest first when lower is better (median weeks to a job)', () => {
    const ranked = rankHonestly([entry('slow', 30, 24, 40), entry('fast', 10, 7, 14), entry('middling', 20, 13, 26)], { minN: 20, higherIsBetter: false });
    expect(summary(ranked)).toEqual(['fast:1', 'middling:1', 'slow:2']);
  });

  it('breaks display ties by id when rank and estimate are equal', () => {
    expect(rankHonestly([entry('b', 0.3, 0.2, 0.4), entry('a', 0.3, 0.2, 0.4)], { minN: 1 }).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('refuses an estimate outside its interval and repeated ids', () => {
    expect(() => rankHonestly([entry('A', 0.8, 0.2, 0.4)], { minN: 1 })).toThrow(RangeError);
    expect(() => rankHonestly([entry('A', 0.3, 0.2, 0.4), entry('A', 0.3, 0.2, 0.4)], { minN: 1 })).toThrow(RangeError);
  });

  const randomEntries = fc.uniqueArray(
    fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 60 }), fc.string({ minLength: 1, maxLength: 3 })),
    { selector: (t) => t[4], maxLength: 8 },
  ).map((ts) => ts.map(([estimate, below, above, n, id]) => entry(id, estimate, estimate - below, estimate + above, n)));
  const RUNS = { seed: 20260404, numRuns: 300 };

  it('ranks a clearly better provider strictly higher, and ties are mutual', () => {
    fc.assert(
      fc.property(randomEntries, fc.boolean(), (es, higherIsBetter) => {
        const ranked = rankHonestly(es, { minN: 20, higherIsBetter });
        const byId = new Map(es.map((e) => [e.id, e]));
        const result = new Map(ranked.map((r) => [r.id, r]));
        expect(ranked).toHaveLength(es.length);
        for (const r of ranked) {
          const e = byId.get(r.id)!;
          expect(r.status).toBe(e.n >= 20 ? 'ranked' : 'too_few');
          for (const other of r.tiedWith) expect(result.get(other)!.tiedWith).toContain(r.id);
          for (const o of ranked) {
            const other = byId.get(o.id)!;
            if (r.rank === null || o.rank === null) continue;
            const clearlyBetter = higherIsBetter ? e.low > other.high : e.high < other.low;
            if (clearlyBetter) expect(r.rank).toBeLessThan(o.rank);
          }
        }
        if (ranked.some((r) => r.rank !== null)) expect(ranked[0].rank).toBe(1);
        const ranks = ranked.map((r) => r.rank ?? Infinity);
        expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      }),
      RUNS,
    );
  });

  it('gives the same answer whatever order the entries arrive in', () => {
    fc.assert(
      fc.property(randomEntries, fc.boolean(), (es, higherIsBetter) => {
        expect(rankHonestly([...es].reverse(), { minN: 20, higherIsBetter })).toEqual(rankHonestly(es, { minN: 20, higherIsBetter }));
      }),
      RUNS,
    );
  });
});
