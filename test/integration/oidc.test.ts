// Single sign-on against a real OpenID provider (oidc-provider) on a loopback port: the whole code
// flow through its login form with a cookie-keeping client, who may come in (linked, invited, a
// password account linking, strangers refused), PASSWORD_SIGN_IN=linked-off, and every security case
// refused with nothing created and nobody signed in.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OidcSettings } from '../../realtime/auth/oidcConfig.ts';
import { sha256 } from '../../realtime/auth/identity.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { Browser, signInAtProvider, signJwt, startOidcProvider, type TestProvider } from '../helpers/oidcProvider.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HOST = 'host@jobcenter.example';
const PEOPLE = [
  { sub: 'sub-hanne', email: 'hanne@aalborg.example', email_verified: true, name: 'Hanne Aalborg' },
  { sub: 'sub-carl', email: 'carl@provider1.example', email_verified: true, name: 'Carl V.' },
  { sub: 'sub-stranger', email: 'who@nowhere.example', email_verified: true, name: 'Some One' },
  { sub: 'sub-unverified', email: 'ulla@trusted.example', email_verified: false, name: 'Ulla' },
  { sub: 'sub-bo', email: 'bo@provider2.example', email_verified: true, name: 'Bo' },
  { sub: 'sub-dorthe', email: 'dorthe@provider3.example', email_verified: true, name: 'Dorthe' },
  { sub: 'sub-viewer', email: 'viewer@jobcenter.example', email_verified: true, name: 'Vibeke' },
  { sub: 'sub-emil', email: 'emil@provider4.example', email_verified: true, name: 'Emil' },
  // Another person at the provider who (re)uses Carl's address after Carl linked.
  { sub: 'sub-carl-impostor', email: 'carl@provider1.example', email_verified: true, name: 'Not Carl' },
];

/** Samspil's single sign-on settings for a test provider: Aalborg Kommune, the usual scopes, a fixed cookie secret. */
const oidcSettings = (client: Pick<OidcSettings, 'issuer' | 'clientId' | 'clientSecret' | 'privateKeyFile'>): OidcSettings => ({
  ...client,
  displayName: 'Aalborg Kommune',
  scopes: 'openid email profile',
  trustedEmailDomains: [],
  cookieSecret: 'a-test-cookie-secret-of-enough-length-0123456789',
});

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`single sign-on on ${dialect}`, () => {
    let server: TestServer;
    let idp: TestProvider;
    let settings: OidcSettings;
    let browser: Browser;

    const counts = async () => {
      const n = async (table: 'users' | 'user_identities' | 'sessions' | 'memberships') =>
        Number((await server.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { users: await n('users'), identities: await n('user_identities'), sessions: await n('sessions'), memberships: await n('memberships') };
    };
    const samspilHost = () => new URL(server.url).hostname;
    const sessionOf = (b: Browser) => b.cookie(samspilHost(), 'samspil_session');

    /** Starts at Samspil, signs in at the provider as `sub`; returns the callback URL (not yet visited). */
    const reachCallback = async (b: Browser, sub: string, next = '/networks'): Promise<string> => {
      const started = await b.follow(`${server.url}/auth/oidc/login?next=${encodeURIComponent(next)}`, { stopAt: (u) => u.pathname.startsWith('/interaction/') });
      expect(started.url, 'sent to the provider').toContain(idp.issuer);
      return signInAtProvider(b, started.url, sub, server.url);
    };
    const signIn = async (b: Browser, sub: string, next?: string) => b.request(await reachCallback(b, sub, next));
    const me = async (b: Browser) => server.api('/api/me', { cookie: `samspil_session=${sessionOf(b)}` });
    const refusedWith = async (res: Response, status: number, text: RegExp) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toMatch(text);
    };

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      idp = await startOidcProvider({ people: PEOPLE, samspilUrl: server.url });
      settings = oidcSettings({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, privateKeyFile: null });
      server.ctx.config.oidc = settings;
      server.ctx.config.passwordSignIn = 'on';
    });
    afterAll(async () => {
      await server?.close();
      await idp?.close();
    });
    beforeEach(() => {
      browser = new Browser();
      idp.rewriteIdToken = null;
      idp.codeTtlSeconds = 60;
      settings.trustedEmailDomains = [];
      server.ctx.config.passwordSignIn = 'on';
    });

    it('tells the sign-in page about single sign-on and its name', async () => {
      const res = await server.api('/api/auth/methods');
      expect(await res.json()).toEqual({ oidc: { displayName: 'Aalborg Kommune', loginPath: '/auth/oidc/login' }, password: true, passwordForLinked: true });
    });

    it('a host invited by e-mail signs in through the provider: account created, linked, member, signed in', async () => {
      const invited = await server.api(`/api/networks/${server.networkId}/invitations`, {
        method: 'POST',
        cookie: await server.as(HOST),
        body: JSON.stringify({ email: 'hanne@aalborg.example', role: 'host' }),
      });
      expect(invited.status).toBe(201);
      const before = await counts();
      const res = await signIn(browser, 'sub-hanne', `/networks/${server.networkId}`);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/networks/${server.networkId}`);
      expect(sessionOf(browser)).toBeTruthy();
      const who = await me(browser);
      expect(who.status).toBe(200);
      const { user: body } = await who.json();
      expect(body.email).toBe('hanne@aalborg.example');
      expect(body.name).toBe('Hanne Aalborg');
      // The account page offers no password change to someone who has no password.
      expect(body.hasPassword).toBe(false);
      const user = await server.ctx.db.selectFrom('users').selectAll().where('email', '=', 'hanne@aalborg.example').executeTakeFirstOrThrow();
      expect(user.password_hash, 'no password for an account made by single sign-on').toBe('');
      expect(user.last_sign_in_at).not.toBeNull();
      const link = await server.ctx.db.selectFrom('user_identities').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      expect({ issuer: link.issuer, subject: link.subject }).toEqual({ issuer: idp.issuer, subject: 'sub-hanne' });
      const membership = await server.ctx.db.selectFrom('memberships').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      expect({ role: membership.role, network: membership.network_id, disabled: membership.disabled_at }).toEqual({ role: 'host', network: server.networkId, disabled: null });
      const after = await counts();
      expect(after.users - before.users).toBe(1);
      expect(after.identities - before.identities).toBe(1);
      // The empty password matches nothing.
      const pw = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'hanne@aalborg.example', password: '' }) });
      expect(pw.status).toBe(422);
    });

    it('an existing password account links at its first sign-in, and stays that account when its e-mail changes', async () => {
      const res = await signIn(browser, 'sub-carl');
      expect(res.status).toBe(303);
      const carlMe = (await (await me(browser)).json()).user;
      expect(carlMe.email).toBe('carl@provider1.example');
      expect(carlMe.hasPassword).toBe(true);
      const carl = await server.ctx.db.selectFrom('users').selectAll().where('email', '=', 'carl@provider1.example').executeTakeFirstOrThrow();
      expect(carl.password_hash, 'PASSWORD_SIGN_IN=on keeps the password').not.toBe('');
      expect(await server.ctx.db.selectFrom('user_identities').select('subject').where('user_id', '=', carl.id).execute()).toEqual([{ subject: 'sub-carl' }]);
      // The provider now says another address (someone edited it): the link by sub decides.
      idp.people.set('sub-carl', { ...idp.people.get('sub-carl')!, email: 'host@jobcenter.example' });
      try {
        const again = new Browser();
        expect((await signIn(again, 'sub-carl')).status).toBe(303);
        expect((await (await me(again)).json()).user.email).toBe('carl@provider1.example');
      } finally {
        idp.people.set('sub-carl', PEOPLE[1]);
      }
      // Someone else at the provider with Carl's e-mail does not become Carl.
      const before = await counts();
      const impostor = new Browser();
      await refusedWith(await signIn(impostor, 'sub-carl-impostor'), 403, /knyttet til en anden person/);
      expect(sessionOf(impostor)).toBeUndefined();
      expect(await counts()).toEqual(before);
    });

    it('a stranger is refused with a page saying to ask the host; nothing is created', async () => {
      const before = await counts();
      const res = await signIn(browser, 'sub-stranger');
      await refusedWith(res, 403, /ikke inviteret til Samspil/);
      expect(sessionOf(browser)).toBeUndefined();
      expect(await counts()).toEqual(before);
    });

    it('an unverified e-mail is refused, unless its domain is trusted', async () => {
      await server.api(`/api/networks/${server.networkId}/invitations`, {
        method: 'POST',
        cookie: await server.as(HOST),
        body: JSON.stringify({ email: 'ulla@trusted.example', role: 'viewer' }),
      });
      const before = await counts();
      await refusedWith(await signIn(browser, 'sub-unverified'), 403, /ikke bekræftet/);
      expect(await counts()).toEqual(before);
      settings.trustedEmailDomains = ['trusted.example'];
      const res = await signIn(new Browser(), 'sub-unverified');
      expect(res.status).toBe(303);
    });

    it('a person whose memberships are all deactivated is refused like a stranger', async () => {
      const bo = await server.ctx.db.selectFrom('users').select('id').where('email', '=', 'bo@provider2.example').executeTakeFirstOrThrow();
      expect((await signIn(browser, 'sub-bo')).status, 'linked while a member').toBe(303);
      await server.ctx.db.updateTable('memberships').set({ disabled_at: new Date().toISOString() }).where('user_id', '=', bo.id).execute();
      const again = new Browser();
      await refusedWith(await signIn(again, 'sub-bo'), 403, /ikke inviteret/);
      expect(sessionOf(again)).toBeUndefined();
    });

    it('a linked person whose account an operator closed is refused', async () => {
      const emil = await server.ctx.db.selectFrom('users').select('id').where('email', '=', 'emil@provider4.example').executeTakeFirstOrThrow();
      expect((await signIn(browser, 'sub-emil')).status, 'linked while open').toBe(303);
      await server.ctx.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('id', '=', emil.id).execute();
      try {
        const again = new Browser();
        await refusedWith(await signIn(again, 'sub-emil'), 403, /ikke inviteret/);
        expect(sessionOf(again)).toBeUndefined();
      } finally {
        await server.ctx.db.updateTable('users').set({ disabled_at: null }).where('id', '=', emil.id).execute();
      }
    });

    it('PASSWORD_SIGN_IN=linked-off: linking deletes the password; password sign-in and reset are refused for linked accounts only', async () => {
      server.ctx.config.passwordSignIn = 'linked-off';
      expect((await signIn(browser, 'sub-dorthe')).status).toBe(303);
      const dorthe = await server.ctx.db.selectFrom('users').selectAll().where('email', '=', 'dorthe@provider3.example').executeTakeFirstOrThrow();
      expect(dorthe.password_hash).toBe('');
      const refused = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'dorthe@provider3.example', password: 'samspil-demo' }) });
      expect(refused.status).toBe(401);
      // Linked while passwords were on (its password kept): refused now too.
      const emil = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'emil@provider4.example', password: 'samspil-demo' }) });
      expect(emil.status).toBe(401);
      // Not linked: still signs in with a password.
      const gustav = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'gustav@provider6.example', password: 'samspil-demo' }) });
      expect(gustav.status).toBe(200);
      const methods = await (await server.api('/api/auth/methods')).json();
      expect(methods).toMatchObject({ password: true, passwordForLinked: false });
      // A reset link issued before the linking cannot give the linked account a password again.
      const token = 'a-reset-token-issued-before-linking-0123456789';
      const at = new Date();
      await server.ctx.db
        .insertInto('password_resets')
        .values({ id: `reset-${dialect}`, user_id: dorthe.id, token_hash: sha256(token), created_at: at.toISOString(), expires_at: new Date(at.getTime() + 3600_000).toISOString(), used_at: null })
        .execute();
      const reset = await server.api(`/api/auth/password-reset/${token}`, { method: 'POST', body: JSON.stringify({ password: 'korrekt hest batteri hæfteklamme' }) });
      expect(reset.status).toBe(403);
      expect((await server.ctx.db.selectFrom('users').select('password_hash').where('id', '=', dorthe.id).executeTakeFirstOrThrow()).password_hash).toBe('');
      // PASSWORD_SIGN_IN=off: no password sign-in at all.
      server.ctx.config.passwordSignIn = 'off';
      const off = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'gustav@provider6.example', password: 'samspil-demo' }) });
      expect(off.status).toBe(403);
      // … and the forgotten-password page is told there is no password to reset.
      expect(await (await server.api('/api/auth/password-reset')).json()).toMatchObject({ passwords: false });
    });

    it('sign-out ends the session and names the provider’s logout, which accepts the way back', async () => {
      expect((await signIn(browser, 'sub-viewer')).status).toBe(303);
      const cookie = `samspil_session=${sessionOf(browser)}`;
      const out = await server.api('/api/auth/logout', { method: 'POST', cookie });
      expect(out.status).toBe(204);
      const endSession = new URL(out.headers.get('x-samspil-end-session')!);
      expect(endSession.origin).toBe(idp.issuer);
      expect(endSession.searchParams.get('client_id')).toBe(idp.clientId);
      expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/login`);
      expect((await server.api('/api/me', { cookie })).status).toBe(401);
      const page = await browser.request(endSession.href);
      expect(page.status, 'the provider shows its logout confirmation').toBe(200);
      // The web's sign-out goes through our page, which moves on to the provider (CSP form-action allows only 'self').
      const onward = await browser.request(`${server.url}/auth/oidc/logout`);
      expect(onward.status).toBe(200);
      const html = await onward.text();
      expect(html).toContain(`http-equiv="refresh" content="0;url=${endSession.href.replace(/&/g, '&#38;')}"`);
      expect(html).toMatch(/logge ud hos Aalborg Kommune/);
      // A password session gets no provider logout.
      const pw = await server.api('/api/auth/logout', { method: 'POST', cookie: await server.login('anna@provider1.example') });
      expect(pw.headers.get('x-samspil-end-session')).toBeNull();
    });

    describe('refused, with nothing created and nobody signed in', () => {
      const expectNothingChanged = async (b: Browser, before: Awaited<ReturnType<typeof counts>>) => {
        expect(sessionOf(b)).toBeUndefined();
        expect(await counts()).toEqual(before);
      };

      it('a callback whose state does not match the login cookie', async () => {
        const callback = new URL(await reachCallback(browser, 'sub-emil'));
        callback.searchParams.set('state', 'forged-state');
        const before = await counts();
        await refusedWith(await browser.request(callback.href), 400, /kunne ikke bekræftes/);
        await expectNothingChanged(browser, before);
      });

      it('a callback without the login cookie (CSRF: an attacker’s callback planted in someone’s browser)', async () => {
        const attacker = new Browser();
        const callback = await reachCallback(attacker, 'sub-emil');
        const victim = new Browser();
        const before = await counts();
        await refusedWith(await victim.request(callback), 400, /tog for lang tid/);
        await expectNothingChanged(victim, before);
        // A victim with a login of their own in progress: the state is not theirs.
        await victim.follow(`${server.url}/auth/oidc/login`, { stopAt: (u) => u.pathname.startsWith('/interaction/') });
        await refusedWith(await victim.request(callback), 400, /kunne ikke bekræftes/);
        await expectNothingChanged(victim, before);
      });

      it('a login cookie that was tampered with, or has expired', async () => {
        const callback = await reachCallback(browser, 'sub-emil');
        const value = browser.cookie(samspilHost(), 'samspil_oidc')!;
        const [data, mac] = value.split('.');
        const claims = JSON.parse(Buffer.from(data, 'base64url').toString());
        browser.setCookie(samspilHost(), 'samspil_oidc', `${Buffer.from(JSON.stringify({ ...claims, next: '//evil.example' })).toString('base64url')}.${mac}`, '/auth/oidc');
        const before = await counts();
        await refusedWith(await browser.request(callback), 400, /tog for lang tid/);
        await expectNothingChanged(browser, before);

        const slow = new Browser();
        const late = await reachCallback(slow, 'sub-emil');
        server.advanceClock(11 * 60_000);
        try {
          await refusedWith(await slow.request(late), 400, /tog for lang tid/);
        } finally {
          server.advanceClock(-11 * 60_000);
        }
        await expectNothingChanged(slow, before);
      });

      it('a reused code (the callback replayed with its login cookie)', async () => {
        const callback = await reachCallback(browser, 'sub-emil');
        const loginCookie = browser.cookie(samspilHost(), 'samspil_oidc')!;
        expect((await browser.request(callback)).status).toBe(303);
        const replay = new Browser();
        replay.setCookie(samspilHost(), 'samspil_oidc', loginCookie, '/auth/oidc');
        const before = await counts();
        await refusedWith(await replay.request(callback), 400, /kunne ikke bekræftes/);
        await expectNothingChanged(replay, before);
      });

      it('an expired code', async () => {
        idp.codeTtlSeconds = 1;
        const callback = await reachCallback(browser, 'sub-emil');
        await new Promise((r) => setTimeout(r, 2_100));
        const before = await counts();
        await refusedWith(await browser.request(callback), 400, /kunne ikke bekræftes/);
        await expectNothingChanged(browser, before);
      });

      const forged: Array<[string, (header: Record<string, unknown>, claims: Record<string, unknown>) => string]> = [
        ['a nonce that is not the login’s', (h, c) => signJwt(h, { ...c, nonce: 'another-nonce' }, idp.signingKey)],
        ['an ID token signed with an unknown key', (h, c) => signJwt(h, c, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
        ['an ID token with alg none', (h, c) => signJwt({ ...h, alg: 'none' }, c, null)],
        ['an ID token for another audience', (h, c) => signJwt(h, { ...c, aud: 'somebody-else' }, idp.signingKey)],
        ['an ID token for another client of the provider', (h, c) => signJwt(h, { ...c, aud: 'other-app', azp: 'other-app' }, idp.signingKey)],
        ['an ID token from another issuer', (h, c) => signJwt(h, { ...c, iss: 'https://login.evil.example' }, idp.signingKey)],
        ['an expired ID token', (h, c) => signJwt(h, { ...c, exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 }, idp.signingKey)],
      ];
      for (const [what, forge] of forged) {
        it(what, async () => {
          const callback = await reachCallback(browser, 'sub-hanne');
          // The same token re-signed untouched is accepted: the forgery, not the proxy, is what is refused.
          idp.rewriteIdToken = forge;
          const before = await counts();
          await refusedWith(await browser.request(callback), 400, /kunne ikke bekræftes/);
          await expectNothingChanged(browser, before);
        });
      }

      it('the provider’s own token passed through the same re-signing is accepted (the forgery tests can fail)', async () => {
        const callback = await reachCallback(browser, 'sub-hanne');
        idp.rewriteIdToken = (h, c) => signJwt(h, c, idp.signingKey);
        expect((await browser.request(callback)).status).toBe(303);
      });

      it('an open redirect in next: only same-site relative paths are followed', async () => {
        for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
          const b = new Browser();
          const res = await signIn(b, 'sub-hanne', next);
          expect(res.status).toBe(303);
          expect(res.headers.get('location'), next).toBe('/');
        }
      });

      it('the provider refusing (error=access_denied) gives its page', async () => {
        const before = await counts();
        const res = await browser.request(`${server.url}/auth/oidc/callback?error=access_denied&state=x`);
        await refusedWith(res, 403, /afviste/);
        await expectNothingChanged(browser, before);
      });

      it('English pages for an English browser', async () => {
        const res = await fetch(`${server.url}/auth/oidc/callback?code=x&state=y`, { headers: { 'accept-language': 'en-GB,en;q=0.9' }, redirect: 'manual' });
        await refusedWith(res, 400, /The sign-in took too long/);
      });
    });
  });
}

describe('single sign-on with the provider unreachable', () => {
  it('answers 503 with a page and sets nothing', async () => {
    const server = await startTestServer();
    try {
      server.ctx.config.oidc = oidcSettings({ issuer: 'http://127.0.0.1:9', clientId: 'samspil', clientSecret: 'x', privateKeyFile: null });
      const res = await fetch(`${server.url}/auth/oidc/login`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/Aalborg Kommune kunne ikke nås/);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('samspil_oidc=') && !c.includes('Max-Age=0'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('single sign-on when Samspil’s own database fails during the callback', () => {
  it('answers 503 with a page saying to try again; no session is started', async () => {
    const server = await startTestServer();
    const idp = await startOidcProvider({ people: [{ sub: 'sub-host', email: HOST, email_verified: true, name: 'Helle' }], samspilUrl: server.url });
    try {
      server.ctx.config.oidc = oidcSettings({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, privateKeyFile: null });
      const browser = new Browser();
      const started = await browser.follow(`${server.url}/auth/oidc/login`, { stopAt: (u) => u.pathname.startsWith('/interaction/') });
      const callback = await signInAtProvider(browser, started.url, 'sub-host', server.url);
      // A real failure of the database, not of the answer: the table the links live in is gone.
      await sql`drop table user_identities`.execute(server.ctx.db);
      const sessionsBefore = (await server.ctx.db.selectFrom('sessions').select('id').execute()).length;
      const res = await browser.request(callback);
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/Samspil kunne ikke logge dig ind lige nu/);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('samspil_session=') && !c.includes('Max-Age=0'))).toBe(false);
      expect((await server.ctx.db.selectFrom('sessions').select('id').execute()).length).toBe(sessionsBefore);
    } finally {
      await idp.close();
      await server.close();
    }
  });
});

describe('single sign-on with a private key instead of a client secret (private_key_jwt)', () => {
  it('signs the client assertion with OIDC_PRIVATE_KEY_FILE and completes the flow', async () => {
    const server = await startTestServer();
    const dir = mkdtempSync(join(tmpdir(), 'samspil-oidc-key-'));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'client.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const idp = await startOidcProvider({
      people: [{ sub: 'sub-host', email: HOST, email_verified: true, name: 'Helle' }],
      samspilUrl: server.url,
      clientPublicJwk: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), alg: 'RS256', use: 'sig' },
    });
    try {
      server.ctx.config.oidc = oidcSettings({ issuer: idp.issuer, clientId: 'samspil-key', clientSecret: null, privateKeyFile: join(dir, 'client.pem') });
      const browser = new Browser();
      const started = await browser.follow(`${server.url}/auth/oidc/login`, { stopAt: (u) => u.pathname.startsWith('/interaction/') });
      const res = await browser.request(await signInAtProvider(browser, started.url, 'sub-host', server.url));
      expect(res.status).toBe(303);
      const me = await server.api('/api/me', { cookie: `samspil_session=${browser.cookie('127.0.0.1', 'samspil_session')}` });
      expect((await me.json()).user.email).toBe(HOST);
    } finally {
      await idp.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
