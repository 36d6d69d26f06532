// Rate limits of sign-ins and connections: failed sign-ins are counted in the database (shared by
// instances); connections per address in memory, per instance.
import type { Kysely } from 'kysely';
import { clearFailures, failuresSince, recordFailure } from '../../db/queries/signInFailures.ts';
import type { Database } from '../../db/database.ts';
import { DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE } from '../config.ts';
import type { ServerConfig } from '../context.ts';
import { sha256 } from './identity.ts';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

/** Events per key in a sliding window, in this instance's memory (behind ConnectionRate). */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds until the key may try again, or 0 if it may now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.options.maxFailures) return 0;
    return list[0] + this.options.windowMs - this.now();
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    // Keep memory bounded if someone sprays random accounts.
    if (this.failures.size > 50_000) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

const accountKey = (account: string) => sha256(`account:${account}`);

/** Failed sign-ins allowed per account and per client address in a sliding window. */
export const SIGN_IN_LIMITS = {
  account: { maxFailures: 10, windowMs: 15 * 60_000 },
  address: { maxFailures: 100, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleOptions>;

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
  ) {}

  private keysOf(account: string, address: string) {
    return { account: accountKey(account), address: sha256(`address:${address}`) };
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
    await clearFailures(this.db, accountKey(account));
  }
}

/** Connections open at once per address (Yjs upgrades, socket.io sockets), each counted until it closes. */
export class OpenPerAddress {
  private readonly open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Counts one more for the address and answers true, or false (and counts nothing) at the maximum. */
  tryOpen(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= this.max) return false;
    this.open.set(address, count + 1);
    return true;
  }

  closed(address: string): void {
    const left = (this.open.get(address) ?? 1) - 1;
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
  }
}

/**
 * New connections per address in a sliding minute (Yjs upgrades, socket.io handshakes): an address
 * opening connections in a loop is refused until its minute has room again. Only admitted
 * connections count, so a client retrying with back-off gets in as soon as the flood stops.
 */
export class ConnectionRate {
  private readonly window: FailureThrottle;
  constructor(
    readonly perMinute: number,
    now: () => number = Date.now,
  ) {
    this.window = new FailureThrottle({ maxFailures: perMinute, windowMs: 60_000 }, now);
  }

  /** 0 and counted when the address may connect now; otherwise milliseconds until it may. */
  admit(address: string): number {
    if (this.perMinute <= 0) return 0; // 0 = no limit
    const wait = this.window.retryAfterMs(address);
    if (wait === 0) this.window.fail(address);
    return wait;
  }
}

/** The per-minute budget the server's configuration asks for (README, CONNECTIONS_PER_ADDRESS_PER_MINUTE). */
export const connectionRateOf = (config: Pick<ServerConfig, 'connectionsPerAddressPerMinute'>) =>
  new ConnectionRate(config.connectionsPerAddressPerMinute ?? DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE);
