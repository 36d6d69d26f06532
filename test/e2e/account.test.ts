// In Chromium: a forgotten password is reset from the link in a real e-mail, and a person runs their
// own account (name, language, sessions, API tokens). axe-core on every page visited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { startSeededServerProcess, startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp.ts';

const NEW_PASSWORD = 'kaffe-cykel-fjord-lampe';

describe.skipIf(!chromiumAvailable())('the account and a forgotten password, in Chromium', () => {
  let server: ServerProcess;
  let catcher: SmtpCatcher;
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samspil-account-'));
    catcher = await startSmtpCatcher();
    server = await startServerProcess({ DATABASE_URL: `file:${join(dir, 'samspil.db')}`, PORT: '0', SMTP_URL: catcher.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
    await catcher?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const accessible = async (page: Page) => expect(await seriousA11yViolations(page)).toEqual([]);

  it('a forgotten password is reset from the e-mailed link, which then no longer works', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Glemt adgangskode?' }).click();
    await page.waitForURL(/\/password-reset$/);
    await accessible(page);

    await page.getByLabel('E-mail').fill('carl@provider1.example');
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.getByRole('status').filter({ hasText: 'Hvis der findes en konto med e-mailen carl@provider1.example' }).waitFor();
    await accessible(page);

    const [mail] = await catcher.waitFor(1);
    const link = mail.text.match(/http:\/\/\S+\/password-reset\/[A-Za-z0-9_-]+/)![0];
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Vælg en ny adgangskode');
    await accessible(page);

    // The policy's message, in Danish, and the focus on it.
    await page.getByLabel('Ny adgangskode').fill('password1234');
    await page.getByRole('button', { name: 'Gem ny adgangskode' }).click();
    await page.getByRole('alert').filter({ hasText: 'Adgangskoden er blandt de mest brugte' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    await accessible(page);

    await page.getByLabel('Ny adgangskode').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Gem ny adgangskode' }).click();
    await page.waitForURL(/\/login\?reset=done/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Din adgangskode er skiftet');
    await signInOn(page, server.url, 'carl@provider1.example', NEW_PASSWORD);

    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Linket virker ikke længere');
    await accessible(page);
    await page.close();
  });

  it('a person renames themselves, reads the pages in English, and signs another browser out', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'bo@provider2.example');
    const elsewhere = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'bo@provider2.example');

    await page.getByRole('link', { name: 'Min konto' }).click();
    await page.waitForURL(/\/account$/);
    await accessible(page);
    await page.getByLabel('Navn', { exact: true }).fill('Bo K. Kjær');
    await page.getByLabel('Sprog', { exact: true }).selectOption('en');
    await page.getByRole('button', { name: 'Gem navn og sprog' }).click();
    await page.waitForURL(/\/account\?saved=profile/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('status').filter({ hasText: 'Your name and language are saved.' }).waitFor();
    expect(await page.textContent('header')).toContain('Signed in as Bo K. Kjær');
    await accessible(page);

    // The other browser reads English too now: the account's language wins over its own.
    await elsewhere.goto(`${server.url}/`);
    expect(await elsewhere.getAttribute('html', 'lang')).toBe('en');

    const sessions = page.getByRole('table').first();
    expect(await sessions.locator('tbody tr').count()).toBe(2);
    // Chromium says it is Chrome (on Linux here).
    expect(await sessions.locator('tbody tr').first().textContent()).toContain('Chrome on Linux');
    await sessions.getByRole('button', { name: /^Sign out of the session started/ }).click();
    await page.getByRole('status').filter({ hasText: 'The session is signed out.' }).waitFor();
    expect(await page.getByRole('table').first().locator('tbody tr').count()).toBe(1);
    await elsewhere.goto(`${server.url}/`);
    await elsewhere.waitForURL(/\/login/);
    await accessible(page);
    await elsewhere.close();

    // Back to Danish with the header's switch: stored on the account as well.
    await page.getByRole('button', { name: 'Dansk' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'da');
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    await page.close();
  });

  it('a person creates an API token, sees its secret once, and revokes it; a wrong current password is named', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'dorthe@provider3.example');
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Navn på nøglen').fill('Månedsscript');
    await page.getByRole('button', { name: 'Opret API-nøgle' }).click();
    const secret = page.getByLabel('Den nye API-nøgle');
    await secret.waitFor();
    expect(await secret.inputValue()).toMatch(/^sp_/);
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${await secret.inputValue()}` } });
    expect(me.status).toBe(200);
    await accessible(page);

    await page.getByRole('button', { name: 'Tilbagekald API-nøglen "Månedsscript"' }).click();
    await page.getByRole('status').filter({ hasText: 'API-nøglen er tilbagekaldt.' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Månedsscript' }).textContent()).toContain('Tilbagekaldt');

    await page.getByLabel('Nuværende adgangskode').fill('not-my-password');
    await page.getByLabel('Ny adgangskode').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Skift adgangskode' }).click();
    await page.getByRole('alert').filter({ hasText: 'Den nuværende adgangskode er forkert.' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
    await accessible(page);
    await page.close();
  });
});

describe.skipIf(!chromiumAvailable())('a forgotten password without e-mail, in Chromium', () => {
  it('the page says to ask a host, and offers no form', async () => {
    const server = await startSeededServerProcess();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ locale: 'da-DK' });
      await page.goto(`${server.url}/password-reset`);
      expect(await page.textContent('main')).toContain('Bed en vært i dit netværk (jobcenteret) om hjælp');
      expect(await page.locator('main form').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
