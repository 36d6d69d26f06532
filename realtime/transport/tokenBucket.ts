// The one token bucket: a rate with bursts, for messages, bytes and time a connection may spend.

/**
 * Holds up to `capacity` tokens (the burst) and gains `perSecond` of them a second. Starts full.
 * The clock is passed in so tests can move time; `performance.now` suits costs measured in ms.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly perSecond: number,
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.refilledAt = now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((at - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = at;
  }

  /** Takes `cost` tokens and answers true, or answers false and takes nothing when there are fewer. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /**
   * Takes `cost` tokens even when there are fewer, for a cost known only once it has been paid
   * (time spent on an update); false when the bucket is left in debt, which later refills repay.
   */
  charge(cost: number): boolean {
    this.refill();
    this.tokens -= cost;
    return this.tokens >= 0;
  }

  /** True when the bucket has refilled to its capacity (the client has calmed down). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }
}
