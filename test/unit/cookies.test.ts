import { describe, expect, it } from 'vitest';
import { readCookie, sessionCookieOf } from '../../realtime/transport/cookies.ts';

describe('reading cookies', () => {
  it("finds the session cookie next to another site's undecodable cookie, and never throws", () => {
    expect(sessionCookieOf('analytics=50%off; samspil_session=abc_DEF-123')).toBe('abc_DEF-123');
    expect(sessionCookieOf('samspil_session=abc; analytics=%E0%A4%A')).toBe('abc');
    expect(readCookie('analytics=50%off', 'analytics')).toBe('50%off');
    expect(readCookie('greeting=hej%20med%20dig', 'greeting')).toBe('hej med dig');
  });

  it('a malformed session cookie comes back as sent, so it matches no session', () => {
    expect(sessionCookieOf('samspil_session=%zz%')).toBe('%zz%');
  });

  it('no header, no such cookie, or a look-alike name is no session', () => {
    expect(sessionCookieOf(undefined)).toBeUndefined();
    expect(sessionCookieOf(null)).toBeUndefined();
    expect(sessionCookieOf('other=1')).toBeUndefined();
    expect(sessionCookieOf('xsamspil_session=1')).toBeUndefined();
  });

  it('the first of two session cookies counts', () => {
    expect(sessionCookieOf('samspil_session=first; samspil_session=second')).toBe('first');
  });
});
