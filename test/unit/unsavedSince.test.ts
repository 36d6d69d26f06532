// The editor's unsaved-work wording: since when, on Copenhagen's clock, in Danish and English.
import { describe, expect, it } from 'vitest';
import { translator } from '../../web/lib/i18n/index.ts';
import { unsavedSinceText } from '../../web/lib/editor/unsavedSince.ts';

const da = translator('da');
const en = translator('en');

describe('unsaved work in the editor', () => {
  it('says the Copenhagen time the unsaved work started, Danish style with a full stop, in winter', () => {
    const since = new Date('2026-12-07T09:42:10Z');
    const now = new Date('2026-12-07T09:50:00Z');
    expect(unsavedSinceText(da, 'da', since, now)).toBe('Ikke gemt siden kl. 10.42');
    expect(unsavedSinceText(en, 'en', since, now)).toBe('Not saved since 10:42');
  });

  it('follows summer time', () => {
    const since = new Date('2026-07-01T08:05:00Z');
    expect(unsavedSinceText(da, 'da', since, new Date('2026-07-01T09:00:00Z'))).toBe('Ikke gemt siden kl. 10.05');
  });

  it('names the day once the unsaved work is from an earlier day in Copenhagen', () => {
    // 23:30 on 6 December in Copenhagen is still 22:30 UTC; the next morning is another day.
    const since = new Date('2026-12-06T22:30:00Z');
    const now = new Date('2026-12-07T08:00:00Z');
    expect(unsavedSinceText(da, 'da', since, now)).toBe('Ikke gemt siden 6. december kl. 23.30');
    expect(unsavedSinceText(en, 'en', since, now)).toBe('Not saved since 6 December, 23:30');
  });

  it('does not name the day for a time after midnight in Copenhagen, though still the day before in UTC', () => {
    const since = new Date('2026-12-06T23:10:00Z');
    expect(unsavedSinceText(da, 'da', since, new Date('2026-12-07T06:00:00Z'))).toBe('Ikke gemt siden kl. 00.10');
  });
});
