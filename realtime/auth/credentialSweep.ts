// Credentials can end where no event reaches this instance: a session passing its expiry, or an
// operator disabling an account from the command line while the server runs. Every so often the
// credentials of this instance's open connections are checked, and connections on ended ones closed.
import { liveCredentialIds } from '../../db/queries/sessions.ts';
import type { AppContext } from '../context.ts';
import { SESSION_MAX_AGE_MS } from './identity.ts';

export const CREDENTIAL_SWEEP_MS = 30_000;

export function sweepEndedCredentials(
  ctx: AppContext,
  openCredentials: () => Iterable<string>,
  close: (credentialId: string) => void,
  intervalMs = CREDENTIAL_SWEEP_MS,
): { stop(): void } {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const ids = [...new Set(openCredentials())];
      if (ids.length === 0) return;
      const now = ctx.now();
      const live = await liveCredentialIds(ctx.db, ids, now.toISOString(), new Date(now.getTime() - SESSION_MAX_AGE_MS).toISOString());
      for (const id of ids) if (!live.has(id)) close(id);
    } catch (err) {
      // A database outage must not close everyone: the next sweep decides.
      ctx.log.warn('could not check the credentials of open connections', { error: String(err) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
