// Kroner as typed in the web forms become exact øre: Danish and English separators, no float error.
import { describe, expect, it } from 'vitest';
import { kronerField, parseKroner } from '../../web/lib/contracts/kroner.ts';

describe('parseKroner', () => {
  it('reads Danish and English ways of writing an amount into whole øre', () => {
    expect(parseKroner('10.000,50')).toBe(1_000_050);
    expect(parseKroner('10000.50')).toBe(1_000_050);
    expect(parseKroner('10000,5')).toBe(1_000_050);
    expect(parseKroner('10,000.50')).toBe(1_000_050);
    expect(parseKroner('10 000,50 kr')).toBe(1_000_050);
    expect(parseKroner('10.000')).toBe(1_000_000);
    expect(parseKroner('1.234.567,89')).toBe(123_456_789);
    expect(parseKroner('0,07')).toBe(7);
    expect(parseKroner('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(parseKroner('1.15')).toBe(115);
  });

  it('refuses what is not an amount, more than two decimals, and a minus unless signed', () => {
    expect(parseKroner('ti kroner')).toBe('notKroner');
    expect(parseKroner('10.000.50')).toBe('notKroner');
    expect(parseKroner('1.000,000')).toBe('notKroner'); // two kinds of grouping: ambiguous
    expect(parseKroner('12,345')).toBe(1_234_500); // a group of three is thousands
    expect(parseKroner('12,3456')).toBe('tooManyDecimals');
    expect(parseKroner('-500')).toBe('negative');
    expect(parseKroner('-500,25', { signed: true })).toBe(-50_025);
    expect(parseKroner('−34,25', { signed: true })).toBe(-3_425);
    expect(parseKroner('100.000.000,00')).toBe('tooLarge');
  });

  it('writes øre back the way each language reads them', () => {
    expect(kronerField(1_000_050, 'da')).toBe('10.000,50');
    expect(kronerField(1_000_050, 'en')).toBe('10000.50');
    expect(parseKroner(kronerField(123_456_789, 'da'))).toBe(123_456_789);
    expect(parseKroner(kronerField(5, 'en'))).toBe(5);
  });
});
