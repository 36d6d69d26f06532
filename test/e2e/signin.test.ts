// A real browser signs in: the host sees the six providers; a wrong password gets a clear error;
// what is typed before hydration survives it; axe-core finds no serious or critical WCAG 2.1 AA violation on the pages visited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, seriousA11yViolations } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('signing in, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host signs in and sees the jobcenter and its six providers', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel('E-mail').fill('host@jobcenter.example');
    await page.getByLabel('Adgangskode').fill('samspil-demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${server.url}/`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Helle Jobcenter');
    const table = page.getByRole('table', { name: 'Udbydere i netværket' });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(6);
    const text = await table.textContent();
    for (const name of ['Karrierebroen', 'Nordlys', 'Fjordhuset', 'Brobyg', 'Vækstpunkt', 'Trinvis']) expect(text).toContain(name);
    expect(await page.textContent('main')).toContain('Jobcenter Nordby');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // English is one click away, on the same page.
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByRole('table', { name: 'Providers in the network' }).locator('tbody tr').count()).toBe(6);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });

  it('a wrong password shows a clear error and keeps the email', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill('anna@provider1.example');
    await page.getByLabel('Adgangskode').fill('not-the-password');
    await page.getByRole('button', { name: 'Log ind' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Forkert e-mail eller adgangskode.');
    expect(await page.getByLabel('E-mail').inputValue()).toBe('anna@provider1.example');
    expect(page.url()).toContain('/login');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });

  it('what is typed before the page\'s scripts have loaded is kept when they do, and signs in', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    // Hold the app's scripts back, as a slow connection would, while the person types.
    let release!: () => void;
    const scriptsMayLoad = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
      await scriptsMayLoad;
      await route.continue();
    });
    await page.goto(`${server.url}/login`, { waitUntil: 'commit' });
    await page.locator('#email').fill('host@jobcenter.example');
    await page.locator('#password').fill('samspil-demo');
    release();
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#email').inputValue()).toBe('host@jobcenter.example');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.close();
  });

  it('a provider sees its own organisation marked, and signing out returns to the sign-in page', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-mail').fill('bo@provider2.example');
    await page.getByLabel('Adgangskode').fill('samspil-demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${server.url}/`);
    const ownRow = page.getByRole('row').filter({ hasText: '(din organisation)' });
    expect(await ownRow.textContent()).toContain('Nordlys');
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.close();
  });
});
