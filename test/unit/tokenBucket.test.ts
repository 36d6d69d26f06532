import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../realtime/transport/tokenBucket.ts';

describe('TokenBucket', () => {
  it('starts full, allows its burst at once, then refuses without taking anything', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 50, () => now);
    for (let i = 0; i < 50; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.take()).toBe(false);
    now = 100; // a tenth of a second: one token back, however many refusals came before
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('refills at its rate and never above its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 50, () => now);
    for (let i = 0; i < 50; i++) bucket.take();
    expect(bucket.isFull()).toBe(false);
    now = 4_900;
    expect(bucket.isFull()).toBe(false);
    now = 5_000;
    expect(bucket.isFull()).toBe(true);
    now = 60_000; // a long pause still allows one burst only
    for (let i = 0; i < 50; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('takes a cost of several tokens only when all of them are there', () => {
    let now = 0;
    const bytes = new TokenBucket(1000, 5000, () => now);
    expect(bytes.take(4000)).toBe(true);
    expect(bytes.take(1001)).toBe(false);
    expect(bytes.take(1000)).toBe(true);
    now = 500;
    expect(bytes.take(600)).toBe(false);
    expect(bytes.take(500)).toBe(true);
  });

  it('charges a cost known afterwards even into debt, and refuses until the debt is repaid', () => {
    let now = 0;
    const checkingMs = new TokenBucket(250, 1000, () => now);
    expect(checkingMs.charge(600)).toBe(true);
    expect(checkingMs.charge(600)).toBe(false); // 200 ms in debt
    expect(checkingMs.take()).toBe(false);
    now = 800; // +200: debt repaid, nothing more
    expect(checkingMs.take()).toBe(false);
    now = 804; // +1
    expect(checkingMs.take()).toBe(true);
  });
});
