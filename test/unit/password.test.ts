// Passwords are stored only as salted scrypt hashes and verified in constant time.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../realtime/auth/password.ts';
import { FailureThrottle } from '../../realtime/transport/connectionLimits.ts';

describe('password hashing', () => {
  it('a hash verifies its own password and no other, and never contains the password', async () => {
    const hash = await hashPassword('samspil-demo');
    expect(hash).not.toContain('samspil-demo');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('samspil-demo', hash)).toBe(true);
    expect(await verifyPassword('samspil-demo ', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('the same password hashes differently each time (salted)', async () => {
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'));
  });

  it('a malformed stored hash never verifies', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1$2')).toBe(false);
    // An account that signs in only through single sign-on keeps an empty hash: nothing matches it.
    expect(await verifyPassword('', '')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
  });
});

describe('failed sign-in throttle', () => {
  it('blocks after the maximum failures within the window and frees the key afterwards', () => {
    let t = 0;
    const throttle = new FailureThrottle({ maxFailures: 3, windowMs: 1000 }, () => t);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterMs('k')).toBe(0);
      throttle.fail('k');
    }
    expect(throttle.retryAfterMs('k')).toBe(1000);
    t = 500;
    expect(throttle.retryAfterMs('k')).toBe(500);
    t = 1001;
    expect(throttle.retryAfterMs('k')).toBe(0);
    throttle.fail('other');
    throttle.succeed('other');
    expect(throttle.retryAfterMs('other')).toBe(0);
  });
});
