// Picks the page language: the samspil_locale cookie if set, else English only when the browser prefers it.
import { DEFAULT_LOCALE, isLocale, type Locale } from './index.ts';

export function negotiateLocale(cookieValue: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  return prefersEnglish(acceptLanguage) ? 'en' : DEFAULT_LOCALE;
}

/** True when, of the languages we offer, English ranks highest in an Accept-Language header. */
export function prefersEnglish(header: string | null): boolean {
  if (!header) return false;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0 && (entry.language === 'da' || entry.language === 'en'))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked[0]?.language === 'en';
}
