// How many connections one client address may have open at once, and open per minute (Yjs and socket.io).
import { DEFAULT_CONNECTIONS_PER_ADDRESS_PER_MINUTE } from '../config.ts';
import type { ServerConfig } from '../context.ts';

export interface WindowOptions {
  maxFailures: number;
  windowMs: number;
}

/** Events per key in a sliding window, in this instance's memory (behind ConnectionRate). */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly options: WindowOptions,
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
