// Which origins may change state or open WebSockets: the server's own host plus a configured list.
import type { AppContext } from './context.ts';

export function isAllowedOrigin(ctx: AppContext, origin: string, host: string | undefined): boolean {
  if (ctx.config.allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
