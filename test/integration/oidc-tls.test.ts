// Single sign-on as deployed: the real server process configured only by environment variables,
// against the provider over TLS with a certificate made here (trusted through NODE_EXTRA_CA_CERTS);
// the first host from `create-host` links at the first sign-in. A multi-tenant issuer stops the start.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, httpsFetch, signInAtProvider, startOidcProvider, type TestProvider } from '../helpers/oidcProvider.ts';
import { freePort, startFreshDeploymentProcess, startServerProcess, type ServerProcess } from '../helpers/process.ts';

const HOST = { email: 'first.host@aalborg.example', name: 'Første Vært', password: 'korrekt hest batteri hæfteklamme', jobcenter: 'Jobcenter Aalborg', network: 'Aalborg-netværket' };

describe('single sign-on over TLS, configured by environment', () => {
  let dir: string;
  let cert: string;
  let idp: TestProvider;
  let samspil: ServerProcess & { stop(): Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samspil-oidc-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const port = await freePort();
    idp = await startOidcProvider({ people: [{ sub: 'sub-first-host', email: HOST.email, email_verified: true, name: HOST.name }], samspilUrl: `http://127.0.0.1:${port}`, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } });
    expect(idp.issuer).toMatch(/^https:/);
    samspil = await startFreshDeploymentProcess(HOST, {
      PORT: String(port),
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_DISPLAY_NAME: 'Aalborg Kommune',
      PASSWORD_SIGN_IN: 'linked-off',
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    });
  }, 90_000);
  afterAll(async () => {
    await samspil?.stop();
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first host signs in through the provider over https, is linked, and loses the password', async () => {
    const browser = new Browser(httpsFetch(cert));
    const started = await browser.follow(`${samspil.url}/auth/oidc/login?next=/account`, { stopAt: (u) => u.pathname.startsWith('/interaction/') });
    expect(started.url.startsWith(idp.issuer)).toBe(true);
    const callback = await signInAtProvider(browser, started.url, 'sub-first-host', samspil.url);
    const res = await browser.request(callback);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    const session = browser.cookie('127.0.0.1', 'samspil_session');
    const me = await fetch(`${samspil.url}/api/me`, { headers: { cookie: `samspil_session=${session}` } });
    expect(me.status).toBe(200);
    const body = await me.json();
    expect(body.user.email).toBe(HOST.email);
    expect(body.memberships.map((m: { role: string }) => m.role)).toEqual(['host']);
    const password = await fetch(`${samspil.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: HOST.email, password: HOST.password }) });
    expect(password.status, 'PASSWORD_SIGN_IN=linked-off').toBe(401);
  });
});

describe('a multi-tenant issuer', () => {
  it('stops the server at start with a message saying why', async () => {
    const started = startServerProcess({
      PORT: '0',
      DATABASE_URL: 'file::memory:',
      OIDC_ISSUER: 'https://login.microsoftonline.com/common/v2.0',
      OIDC_CLIENT_ID: 'samspil',
      OIDC_CLIENT_SECRET: 'secret',
    });
    await expect(started).rejects.toThrow(/cannot start: OIDC_ISSUER is a multi-tenant endpoint/);
  }, 60_000);
});
