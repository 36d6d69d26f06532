import { describe, expect, it } from 'vitest';
import { ConnectionRate } from '../../realtime/transport/connectionLimits.ts';
import { clientAddress } from '../../realtime/transport/clientAddress.ts';

describe('clientAddress', () => {
  const proxied = { trustedProxies: ['10.0.0.5', '10.0.0.6'] };
  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddress({}, '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(clientAddress(proxied, '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(clientAddress({}, '::ffff:127.0.0.1', undefined)).toBe('127.0.0.1');
  });
  it("behind trusted proxies is the right-most forwarded address that is not one of them; the client's own claims are ignored", () => {
    expect(clientAddress(proxied, '10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(clientAddress(proxied, '::ffff:10.0.0.5', 'spoofed, 198.51.100.1, 10.0.0.6')).toBe('198.51.100.1');
    expect(clientAddress(proxied, '10.0.0.5', ['1.1.1.1', '198.51.100.2'])).toBe('198.51.100.2');
    expect(clientAddress(proxied, '10.0.0.5', undefined)).toBe('10.0.0.5');
  });
});

describe('ConnectionRate', () => {
  it('admits perMinute connections in a sliding minute, counting only admitted ones', () => {
    let now = 0;
    const rate = new ConnectionRate(3, () => now);
    expect([rate.admit('a'), rate.admit('a'), rate.admit('a')]).toEqual([0, 0, 0]);
    expect(rate.admit('a')).toBe(60_000);
    expect(rate.admit('b')).toBe(0);
    now = 30_000;
    expect(rate.admit('a')).toBe(30_000); // refused attempts did not extend the wait
    now = 60_001;
    expect(rate.admit('a')).toBe(0);
  });
  it('0 means no limit', () => {
    const rate = new ConnectionRate(0);
    for (let i = 0; i < 1000; i++) expect(rate.admit('a')).toBe(0);
  });
});
