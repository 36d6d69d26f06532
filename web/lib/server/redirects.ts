// Server-only: where a form may send the browser back to (never off-site).

/** `candidate` if it is a path on this site (e.g. "/?x=1"), else `fallback`. */
export function safeReturnPath(candidate: FormDataEntryValue | string | null | undefined, origin: string, fallback = '/'): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) {
    return fallback;
  }
  try {
    const url = new URL(candidate, origin);
    if (url.origin !== origin) return fallback;
    // Drop SvelteKit action selectors ("?/default") so the browser lands on the page, not the action.
    for (const key of [...url.searchParams.keys()]) if (key.startsWith('/')) url.searchParams.delete(key);
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
