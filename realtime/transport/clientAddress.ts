// The address a connection comes from, for the per-address limits (sign-in attempts, connections).
import type { ServerConfig } from '../context.ts';

/** `::ffff:127.0.0.1` and `127.0.0.1` are one address. */
const plain = (address: string) => (address.startsWith('::ffff:') ? address.slice(7) : address);

/**
 * Behind a reverse proxy every peer is the proxy, so the address it forwards is believed — but only
 * from a proxy listed in TRUSTED_PROXIES; anyone else could write any X-Forwarded-For they like.
 */
export function clientAddress(config: Pick<ServerConfig, 'trustedProxies'>, peer: string | undefined, forwardedFor: string | string[] | undefined): string {
  const from = plain(peer ?? 'unknown');
  const trusted = config.trustedProxies ?? [];
  if (!trusted.length || !trusted.includes(from)) return from;
  // The proxy appends the address it saw last; earlier entries are the client's own claims.
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',').map((s) => plain(s.trim())).filter(Boolean);
  // Skip our own proxies from the right; the first address that is not one is the client.
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.includes(hops[i])) return hops[i];
  return from;
}
