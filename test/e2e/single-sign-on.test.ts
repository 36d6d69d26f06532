// In Chromium: "Log ind med Aalborg Kommune" on the sign-in page, sign in at the provider's own page
// (a real oidc-provider on loopback), land on the network as its host; sign out and arrive at the
// provider's logout, which brings the browser back to Samspil's sign-in page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { startOidcProvider, type TestProvider } from '../helpers/oidcProvider.ts';

describe.skipIf(!chromiumAvailable())('single sign-on, in Chromium', () => {
  let dir: string;
  let idp: TestProvider;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samspil-sso-e2e-'));
    const port = await freePort();
    idp = await startOidcProvider({ people: [{ sub: 'sub-helle', email: 'host@jobcenter.example', email_verified: true, name: 'Helle Jobcenter' }], samspilUrl: `http://127.0.0.1:${port}` });
    server = await startServerProcess({
      DATABASE_URL: `file:${join(dir, 'samspil.db')}`,
      PORT: String(port),
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_DISPLAY_NAME: 'Aalborg Kommune',
    });
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
    await idp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the host signs in with the identity provider, sees the network, and signs out through it', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/login`);
    const sso = page.getByRole('link', { name: 'Log ind med Aalborg Kommune' });
    await sso.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await sso.click();

    // The provider's own pages.
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.locator('input[name="login"]').fill('sub-helle');
    await page.locator('input[name="password"]').fill('whatever');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL(`${server.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Helle Jobcenter');
    expect(await page.getByRole('table', { name: 'Udbydere i netværket' }).locator('tbody tr').count()).toBe(6);

    await page.getByRole('button', { name: 'Log ud' }).first().click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${server.url}/login`);
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
    await page.close();
  });
});
