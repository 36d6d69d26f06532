import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, isCrossSiteRequest } from '../../realtime/transport/origin.ts';

describe('the origin check', () => {
  const own = 'http://samspil.local:3000';

  it('accepts no Origin (scripts) and the own origin, however the Host was spelled', () => {
    expect(isAllowedOrigin(undefined, own)).toBe(true);
    expect(isAllowedOrigin(null, own)).toBe(true);
    expect(isAllowedOrigin('http://samspil.local:3000', own)).toBe(true);
    expect(isAllowedOrigin('http://samspil.local', 'http://SAMSPIL.local:80')).toBe(true);
  });

  it('compares scheme, host and port: https on an http site (and the reverse) is another origin', () => {
    expect(isAllowedOrigin('https://samspil.local:3000', own)).toBe(false);
    expect(isAllowedOrigin('http://samspil.local', 'https://samspil.local')).toBe(false);
    expect(isAllowedOrigin('http://samspil.local:3001', own)).toBe(false);
    expect(isAllowedOrigin('http://samspil.local:3000.evil.example', own)).toBe(false);
  });

  it('refuses null, empty and unparsable origins', () => {
    for (const origin of ['null', '', 'not a url', 'file:///etc', 'javascript:alert(1)']) expect(isAllowedOrigin(origin, own), origin).toBe(false);
  });

  it('accepts a configured origin, written with or without a trailing slash', () => {
    expect(isAllowedOrigin('https://app.example', own, ['https://app.example/'])).toBe(true);
    expect(isAllowedOrigin('http://app.example', own, ['https://app.example'])).toBe(false);
  });

  it('a request is cross-site when its Origin is foreign or its browser says so', () => {
    expect(isCrossSiteRequest({ origin: 'https://evil.example', fetchSite: null }, own)).toBe(true);
    expect(isCrossSiteRequest({ origin: null, fetchSite: 'cross-site' }, own)).toBe(true);
    expect(isCrossSiteRequest({ origin: own, fetchSite: 'same-origin' }, own)).toBe(false);
    expect(isCrossSiteRequest({ origin: undefined, fetchSite: undefined }, own)).toBe(false);
  });
});
