// Money is integers in øre. Fractions are kept exact as bigint numerator/denominator and rounded
// once, half-up, where a rule says so; floats never touch an amount.

export interface Fraction {
  num: bigint;
  den: bigint;
}

/** Rounds a non-negative fraction half-up to a whole number (0.5 øre → 1 øre). */
export function roundHalfUp(f: Fraction): number {
  if (f.num < 0n || f.den <= 0n) throw new RangeError('roundHalfUp expects a non-negative fraction');
  return Number((2n * f.num + f.den) / (2n * f.den));
}

/** A percentage with at most two decimals as basis points: 25 → 2500, 22.5 → 2250. */
export function percentToBasisPoints(pct: number): number {
  const bp = Math.round(pct * 100);
  if (Math.abs(bp - pct * 100) > 1e-6) throw new RangeError(`${pct} % has more than two decimals`);
  return bp;
}

export function basisPointsToPercent(bp: number): number {
  return bp / 100;
}

/** "10.000,00 kr" — Danish grouping and decimal comma, whatever the UI language (it is DKK). */
export function formatKroner(ore: number): string {
  const sign = ore < 0 ? '−' : '';
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${kroner},${String(abs % 100).padStart(2, '0')} kr`;
}

/** "25 %" or "22,5 %". */
export function formatPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? `${whole} %` : `${whole},${String(rest).padStart(2, '0').replace(/0$/, '')} %`;
}
