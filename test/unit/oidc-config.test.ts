// Single sign-on settings are checked at start: https (http only on loopback), a single-tenant issuer,
// a client secret or key, and a shared cookie secret when several instances run.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../realtime/config.ts';
import { issuerProblem, oidcSettingsFromEnv } from '../../realtime/auth/oidcConfig.ts';
import { safeReturnPath, openLogin, sealLogin } from '../../realtime/auth/oidc.ts';

const base = { OIDC_ISSUER: 'https://login.microsoftonline.com/0b7e0e8c-1111-2222-3333-444455556666/v2.0', OIDC_CLIENT_ID: 'samspil', OIDC_CLIENT_SECRET: 's3cret' };

describe('single sign-on settings', () => {
  it('without OIDC_ISSUER nothing changes: no single sign-on, passwords on', () => {
    const config = configFromEnv({});
    expect(config.oidc).toBeNull();
    expect(config.passwordSignIn).toBe('on');
  });

  it('reads a single-tenant Entra issuer with its defaults', () => {
    const settings = oidcSettingsFromEnv({ ...base, OIDC_DISPLAY_NAME: 'Aalborg Kommune', OIDC_TRUSTED_EMAIL_DOMAINS: ' @Aalborg.dk, aalborg.dk ' }, false)!;
    expect(settings).toMatchObject({ clientId: 'samspil', clientSecret: 's3cret', displayName: 'Aalborg Kommune', scopes: 'openid email profile', trustedEmailDomains: ['aalborg.dk', 'aalborg.dk'] });
    expect(settings.cookieSecret.length).toBeGreaterThanOrEqual(32);
  });

  it.each([
    ['https://login.microsoftonline.com/common/v2.0', /multi-tenant/],
    ['https://login.microsoftonline.com/organizations/v2.0', /multi-tenant/],
    ['https://login.microsoftonline.com/consumers/v2.0', /multi-tenant/],
    ['https://login.microsoftonline.com/{tenantid}/v2.0', /multi-tenant/],
    ['http://idp.aalborg.dk/realms/x', /https/],
    ['ftp://idp.example', /https/],
    ['not a url', /must be a URL/],
  ])('refuses the issuer %s', (issuer, message) => {
    expect(issuerProblem(issuer)).toMatch(message);
    expect(() => configFromEnv({ ...base, OIDC_ISSUER: issuer })).toThrow(message);
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:8080/realms/test', 'http://[::1]:9000', 'https://idp.aalborg.dk/realms/kommune'])('accepts %s', (issuer) => {
    expect(issuerProblem(issuer)).toBeNull();
  });

  it('needs a client, a secret or key (not both), and a shared cookie secret with several instances', () => {
    expect(() => oidcSettingsFromEnv({ ...base, OIDC_CLIENT_ID: '' }, false)).toThrow(/OIDC_CLIENT_ID/);
    expect(() => oidcSettingsFromEnv({ ...base, OIDC_CLIENT_SECRET: '' }, false)).toThrow(/OIDC_CLIENT_SECRET or OIDC_PRIVATE_KEY_FILE/);
    expect(() => oidcSettingsFromEnv({ ...base, OIDC_PRIVATE_KEY_FILE: '/k.pem' }, false)).toThrow(/not both/);
    expect(() => oidcSettingsFromEnv(base, true)).toThrow(/OIDC_COOKIE_SECRET is required/);
    expect(() => oidcSettingsFromEnv({ ...base, OIDC_COOKIE_SECRET: 'short' }, true)).toThrow(/at least 32/);
    expect(() => oidcSettingsFromEnv({ ...base, OIDC_SCOPES: 'email profile' }, false)).toThrow(/must include openid/);
    expect(oidcSettingsFromEnv({ ...base, OIDC_COOKIE_SECRET: 'x'.repeat(32) }, true)!.cookieSecret).toBe('x'.repeat(32));
  });

  it('PASSWORD_SIGN_IN is on, linked-off or off, and other than on only with single sign-on', () => {
    expect(configFromEnv({ ...base, PASSWORD_SIGN_IN: 'linked-off' }).passwordSignIn).toBe('linked-off');
    expect(() => configFromEnv({ ...base, PASSWORD_SIGN_IN: 'sometimes' })).toThrow(/on, linked-off or off/);
    expect(() => configFromEnv({ PASSWORD_SIGN_IN: 'off' })).toThrow(/needs single sign-on/);
  });
});

describe('the login cookie and the return path', () => {
  const login = { state: 's', nonce: 'n', verifier: 'v', next: '/x', expiresAt: 2_000 };
  it('opens only what it sealed, before it expires', () => {
    const sealed = sealLogin('k'.repeat(32), login);
    expect(openLogin('k'.repeat(32), sealed, new Date(1_000))).toEqual(login);
    expect(openLogin('k'.repeat(32), sealed, new Date(2_000))).toBeNull();
    expect(openLogin('other'.repeat(8), sealed, new Date(1_000))).toBeNull();
    expect(openLogin('k'.repeat(32), sealed.replace(/^./, 'A'), new Date(1_000))).toBeNull();
    expect(openLogin('k'.repeat(32), undefined, new Date(1_000))).toBeNull();
  });
  it.each([
    ['/networks/1?x=2#y', '/networks/1?x=2#y'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
  ])('next %s → %s', (candidate, expected) => expect(safeReturnPath(candidate)).toBe(expected));
});
