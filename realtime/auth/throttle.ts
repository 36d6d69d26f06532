// Rate limit of sign-ins: failed sign-ins are counted in the database, shared by instances.
import type { Kysely } from 'kysely';
import { clearFailures, failuresSince, recordFailure } from '../../db/queries/signInFailures.ts';
import type { Database } from '../../db/database.ts';
import { sha256 } from './identity.ts';

const accountKey = (account: string, namespace = '') => sha256(`${namespace}account:${account}`);

/** Failed sign-ins allowed per account and per client address in a sliding window. */
export const SIGN_IN_LIMITS = {
  account: { maxFailures: 10, windowMs: 15 * 60_000 },
  address: { maxFailures: 100, windowMs: 15 * 60_000 },
} satisfies Record<string, { maxFailures: number; windowMs: number }>;

/** Password reset requests per e-mail address and per client (each counts, account or not); windows as long as sign-in's, as they share a table that forgets after the longest window. */
export const PASSWORD_RESET_LIMITS = {
  account: { maxFailures: 5, windowMs: 15 * 60_000 },
  address: { maxFailures: 30, windowMs: 15 * 60_000 },
} satisfies typeof SIGN_IN_LIMITS;

/**
 * Failed sign-ins per account and per address, counted in the database: instances behind a load
 * balancer share the count, so spreading guesses over them gains nothing. Stored under a hash of
 * the email or address. Two instances failing the same key at the same moment may each let one
 * more try through; no more.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
    private readonly limits: typeof SIGN_IN_LIMITS = SIGN_IN_LIMITS,
    /** Keeps another count (e.g. 'password-reset:') apart from the sign-in failures in the same table. */
    private readonly namespace = '',
  ) {}

  private keysOf(account: string, address: string) {
    return { account: accountKey(account, this.namespace), address: sha256(`${this.namespace}address:${address}`) };
  }

  /** Milliseconds until this account may try again from this address, or 0 if it may now. */
  async retryAfterMs(account: string, address: string): Promise<number> {
    const keys = this.keysOf(account, address);
    const now = this.now().getTime();
    const waits = await Promise.all(
      (['account', 'address'] as const).map(async (kind) => {
        const { maxFailures, windowMs } = this.limits[kind];
        const failures = await failuresSince(this.db, keys[kind], new Date(now - windowMs).toISOString());
        if (failures.length < maxFailures) return 0;
        // Until enough of them have left the window to be under the maximum again.
        return Date.parse(failures[failures.length - maxFailures]) + windowMs - now;
      }),
    );
    return Math.max(...waits);
  }

  async failed(account: string, address: string): Promise<void> {
    const keys = this.keysOf(account, address);
    const now = this.now().getTime();
    const longest = Math.max(this.limits.account.windowMs, this.limits.address.windowMs);
    await recordFailure(this.db, [keys.account, keys.address], new Date(now).toISOString(), new Date(now - longest).toISOString());
  }

  /** A correct password clears the account's failures (not the address's: it may be guessing others). */
  async succeeded(account: string): Promise<void> {
    await clearFailures(this.db, accountKey(account, this.namespace));
  }
}
