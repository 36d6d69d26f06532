// Counts failed sign-ins per account and per address in a sliding window, so guessing is slow.
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

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
