// Kroner as people type them, read exactly into whole øre (strings, never floats), and øre written
// back into a form field. Shown amounts use domain/money.ts's formatKroner ("10.000,00 kr").
import { formatKroner } from '$domain/money.ts';
import type { Locale } from '$lib/i18n/index.ts';

export { formatKroner };

/** The most a form accepts: the API's own limit on a price or a correction. */
export const MAX_ORE = 1_000_000_000;

export type KronerProblem = 'notKroner' | 'tooManyDecimals' | 'tooLarge' | 'negative';

/**
 * "10.000,50", "10000.50", "10 000,5", "10,000.50 kr", "-250" → øre. A separator followed by
 * exactly three digits groups thousands; one followed by one or two digits at the end is the
 * decimal mark. `signed` allows a leading minus (correction lines).
 */
export function parseKroner(text: string, options: { signed?: boolean } = {}): number | KronerProblem {
  let t = text.replace(/[\s\u00a0\u202f]/g, '').replace(/(kr\.?|dkk)$/i, '');
  let sign = 1;
  if (/^[-−–]/.test(t)) {
    if (!options.signed) return 'negative';
    sign = -1;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  const match = /^(\d{1,3}(?:([.,])\d{3})+|\d+)(?:([.,])(\d+))?$/.exec(t);
  if (!match) return 'notKroner';
  const [, whole, groupMark, decimalMark, decimals] = match;
  if (groupMark && decimalMark === groupMark) return 'notKroner';
  if (groupMark && !whole.split(groupMark).slice(1).every((g) => g.length === 3)) return 'notKroner';
  if (groupMark && /[.,]/.test(whole.replaceAll(groupMark, ''))) return 'notKroner';
  if (decimals !== undefined && decimals.length > 2) return 'tooManyDecimals';
  const kroner = whole.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '');
  if (kroner.length > 8) return 'tooLarge';
  const ore = Number(kroner) * 100 + Number((decimals ?? '').padEnd(2, '0'));
  if (ore > MAX_ORE) return 'tooLarge';
  return sign * ore;
}

/** Øre as a form field shows them: "10.000,00" in Danish, "10000.00" in English. */
export function kronerField(ore: number, locale: Locale): string {
  if (locale === 'da') return formatKroner(ore).replace(/\s*kr$/, '').replace('−', '-');
  const abs = Math.abs(ore);
  return `${ore < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
