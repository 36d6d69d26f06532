// Hands the current language to components through Svelte context (set once in the root layout).
import { getContext, setContext } from 'svelte';
import { formatDateTime, formatPercent, translator, type Locale, type TranslateFn } from './index.ts';

const KEY = Symbol('samspil-i18n');

export interface I18nContext {
  readonly locale: Locale;
  t: TranslateFn;
  dateTime(iso: string): string;
  percent(pct: number): string;
}

/**
 * Call in the root layout with a getter over its data, so every lookup reads the current locale
 * (and re-renders when it changes) without any module-level mutable state.
 */
export function setI18n(currentLocale: () => Locale): I18nContext {
  const context: I18nContext = {
    get locale() {
      return currentLocale();
    },
    t: (key, values) => translator(currentLocale())(key, values),
    dateTime: (iso) => formatDateTime(currentLocale(), iso),
    percent: (pct) => formatPercent(currentLocale(), pct),
  };
  return setContext(KEY, context);
}

export function getI18n(): I18nContext {
  const context = getContext<I18nContext | undefined>(KEY);
  if (!context) throw new Error('getI18n() needs the root layout to have called setI18n()');
  return context;
}

/** The translate function for the current locale: `const t = getT(); t('login.email')`. */
export function getT(): TranslateFn {
  return getI18n().t;
}
