// Numbers, intervals, months and times as people read them in the page's language (Intl, so
// Danish gets decimal commas and "12,3 %"). One instance per locale; pure, so SSR and browser agree.
import type { Locale } from '$lib/i18n/index.ts';
import { TIME_ZONE } from '$domain/time.ts';

const INTL_LOCALE: Record<Locale, string> = { da: 'da-DK', en: 'en-GB' };

export class Figures {
  private readonly percent1: Intl.NumberFormat;
  private readonly percentShort: Intl.NumberFormat;
  private readonly decimal1: Intl.NumberFormat;
  private readonly decimal2: Intl.NumberFormat;
  private readonly decimal1Short: Intl.NumberFormat;
  private readonly integer: Intl.NumberFormat;
  private readonly monthName: Intl.DateTimeFormat;
  private readonly monthShort: Intl.DateTimeFormat;
  private readonly clock: Intl.DateTimeFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;

  constructor(readonly locale: Locale) {
    const tag = INTL_LOCALE[locale];
    this.percent1 = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.percentShort = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
    this.decimal1 = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.decimal1Short = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
    this.decimal2 = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    this.integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    this.monthName = new Intl.DateTimeFormat(tag, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    this.monthShort = new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    this.clock = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: TIME_ZONE });
    this.dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE });
  }

  /** A share 0–1 as a percentage with one decimal: "12,3 %". */
  share(fraction: number): string {
    return this.percent1.format(fraction);
  }

  /** A percentage already 0–100: "33,5 %". */
  pct(value: number): string {
    return this.percent1.format(value / 100);
  }

  /** A percentage 0–100 without trailing zeros, for axis ticks: "10 %", "2,5 %". */
  pctTick(value: number): string {
    return this.percentShort.format(value / 100);
  }

  /** A plain number without trailing zeros, for axis ticks: "4", "1,5". */
  tick(value: number): string {
    return this.decimal1Short.format(value);
  }

  /** One decimal: "4,1". */
  one(value: number): string {
    return this.decimal1.format(value);
  }

  /** Two decimals, for ratios: "0,95". */
  two(value: number): string {
    return this.decimal2.format(value);
  }

  /** A count with the language's grouping: "1.234". */
  count(value: number): string {
    return this.integer.format(value);
  }

  /** Whole weeks (medians come in weeks, sometimes fractional). */
  weeks(value: number): string {
    return this.integer.format(Math.round(value));
  }

  /** "oktober 2026". */
  month(month: string): string {
    const [y, m] = month.split('-').map(Number);
    return this.monthName.format(new Date(Date.UTC(y, m - 1, 1)));
  }

  /** "okt. 2026". */
  monthAbbr(month: string): string {
    const [y, m] = month.split('-').map(Number);
    return this.monthShort.format(new Date(Date.UTC(y, m - 1, 1)));
  }

  /** "november 2025 – oktober 2026", or one month alone. */
  period(from: string, to: string): string {
    return from === to ? this.month(from) : `${this.month(from)} – ${this.month(to)}`;
  }

  /** "14.03.07" in Danish, "14:03:07" in English: the time of a live update. */
  time(iso: string): string {
    return this.clock.format(new Date(iso));
  }

  /** "23. nov. 2026 14.03": when a report version was saved. */
  dateTime(iso: string): string {
    return this.dateTimeFormat.format(new Date(iso));
  }
}
