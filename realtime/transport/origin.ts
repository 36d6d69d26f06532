// The one origin check (API CSRF guard, Yjs upgrade, socket.io handshake, SvelteKit hooks alike).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** `scheme://host[:port]` as browsers send it (lower case, no default port), or null if not http(s). */
function normalised(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * True when a request may act: it carries no Origin (scripts; browsers send one on every
 * cross-origin request that could change something), or its Origin is the server's own or one
 * the configuration allows (ORIGIN, ALLOWED_ORIGINS). Scheme, host and port are compared, as
 * browsers do: an https page is another origin than the http site on the same host, and the
 * reverse. `Origin: null` and anything unparsable are refused.
 */
export function isAllowedOrigin(origin: string | null | undefined, ownOrigin: string, allowedOrigins: readonly string[] = []): boolean {
  if (origin === null || origin === undefined) return true;
  const sent = normalised(origin);
  if (sent === null) return false;
  return sent === normalised(ownOrigin) || allowedOrigins.some((allowed) => normalised(allowed) === sent);
}

/**
 * A state-changing request that a foreign page made the browser send (CSRF): refused whatever its
 * Content-Type. Sec-Fetch-Site covers the requests a browser sends without an Origin.
 */
export function isCrossSiteRequest(
  headers: { origin: string | null | undefined; fetchSite: string | null | undefined },
  ownOrigin: string,
  allowedOrigins: readonly string[] = [],
): boolean {
  return !isAllowedOrigin(headers.origin, ownOrigin, allowedOrigins) || headers.fetchSite === 'cross-site';
}

/** The origin a Node request reached: its connection's scheme (TLS or not) and the Host it names. */
export function ownOriginOf(req: IncomingMessage): string {
  return `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`;
}
