// i18next set up once per locale (synchronously, resources inline), plus the typed keys and formatters.
import i18next, { type i18n } from 'i18next';
import { da } from './da.ts';
import { en } from './en.ts';
import { TIME_ZONE } from '$domain/time.ts';

export type Locale = 'da' | 'en';
export const LOCALES: readonly Locale[] = ['da', 'en'];
export const DEFAULT_LOCALE: Locale = 'da';
export const LOCALE_COOKIE = 'samspil_locale';

/** Each language's name in itself, for the language switch (never translated). */
export const LANGUAGE_NAMES: Record<Locale, string> = { da: 'Dansk', en: 'English' };

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
/** The shape every catalogue must have: the Danish one's, with any strings as values. */
export type Catalogue = Strings<typeof da>;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** Every translatable key, e.g. 'login.email'. */
export type MessageKey = Leaves<Catalogue>;
export type TranslateFn = (key: MessageKey, values?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Catalogue> = { da, en };

export function isLocale(value: unknown): value is Locale {
  return value === 'da' || value === 'en';
}

// One instance per locale, created on first use and never changed afterwards (no changeLanguage),
// so sharing them between requests on the server carries no per-user state.
const instances = new Map<Locale, i18n>();

export function i18nFor(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      lng: locale,
      fallbackLng: false,
      resources: { [locale]: { translation: catalogues[locale] } },
      initAsync: false,
      // Svelte escapes text itself; escaping here would show &amp; and the like.
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
    });
    instances.set(locale, instance);
  }
  return instance;
}

export function translator(locale: Locale): TranslateFn {
  const instance = i18nFor(locale);
  return (key, values) => instance.t(key, values ?? {}) as string;
}

const intlLocale: Record<Locale, string> = { da: 'da-DK', en: 'en-GB' };

/** A meeting time as people in Denmark read it, e.g. "torsdag den 12. marts 2026 kl. 13.00". */
export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'full', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
}

/** A whole-number percentage, "30 %" in Danish and "30%" in English. */
export function formatPercent(locale: Locale, pct: number): string {
  return new Intl.NumberFormat(intlLocale[locale], { style: 'percent', maximumFractionDigits: 1 }).format(pct / 100);
}
