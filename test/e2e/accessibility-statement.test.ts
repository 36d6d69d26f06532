// The accessibility statement in a real browser: open signed out at /tilgaengelighed (and /accessibility;
// /was leads to the statement filed in the WAS-Tool), linked from a signed-in page's footer, showing the deployment's configured authority, contact
// and assessment date in Danish and English; axe-core finds no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';

const available = chromiumAvailable();
const DEPLOYMENT = {
  ACCESSIBILITY_AUTHORITY: 'Jobcenter Testby',
  ACCESSIBILITY_EMAIL: 'webtilgaengelighed@testby.example',
  ACCESSIBILITY_PHONE: '+45 11 22 33 44',
  ACCESSIBILITY_ASSESSED_ON: '2026-11-30',
  ACCESSIBILITY_WAS_URL: 'https://www.was.digst.dk/samspil-testby-dk',
};

describe.skipIf(!available)('the accessibility statement, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startSeededServerProcess(DEPLOYMENT);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function showsTheDeployment(page: Page) {
    const main = page.getByRole('main');
    expect(await main.textContent()).toContain('Jobcenter Testby');
    expect(await main.getByRole('link', { name: DEPLOYMENT.ACCESSIBILITY_EMAIL }).getAttribute('href')).toBe(`mailto:${DEPLOYMENT.ACCESSIBILITY_EMAIL}`);
    expect(await main.getByRole('link', { name: DEPLOYMENT.ACCESSIBILITY_PHONE }).getAttribute('href')).toBe('tel:+4511223344');
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it('is open signed out, in Danish, with the configured authority, contact and date of assessment', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    const answer = await page.goto(`${server.url}/tilgaengelighed`);
    expect(answer?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Tilgængelighedserklæring for Samspil' }).waitFor();
    for (const section of ['Overholdelsesstatus', 'Ikke-tilgængeligt indhold', 'Sådan er erklæringen udarbejdet', 'Feedback og kontaktoplysninger', 'Håndhævelsesprocedure']) {
      await page.getByRole('heading', { level: 2, name: section }).waitFor();
    }
    expect(await page.getByRole('main').textContent()).toContain('udarbejdet den 30. november 2026');
    const complaint = page.getByRole('link', { name: 'Klag over tilgængelighed hos Digitaliseringsstyrelsen' });
    expect(await complaint.getAttribute('href')).toMatch(/^https:\/\/digst\.dk\//);
    await showsTheDeployment(page);
    await page.close();
  });

  it('answers at /accessibility too, and /was leads to the statement filed in the WAS-Tool', async () => {
    const page = await browser.newPage({ locale: 'da-DK' });
    await page.goto(`${server.url}/accessibility`);
    expect(new URL(page.url()).pathname).toBe('/tilgaengelighed');
    const filed = page.getByRole('link', { name: 'Erklæringen i Digitaliseringsstyrelsens WAS-Tool' });
    expect(await filed.getAttribute('href')).toBe(DEPLOYMENT.ACCESSIBILITY_WAS_URL);
    await page.close();
    const was = await fetch(`${server.url}/was`, { redirect: 'manual' });
    expect(was.status).toBe(307);
    expect(was.headers.get('location')).toBe(DEPLOYMENT.ACCESSIBILITY_WAS_URL);
  });

  it('is in English when English is chosen', async () => {
    const context = await browser.newContext({ locale: 'da-DK' });
    await context.addCookies([{ name: 'samspil_locale', value: 'en', url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/tilgaengelighed`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: 'Accessibility statement for Samspil' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Enforcement procedure' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('prepared on 30 November 2026');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Accessibility statement' }).waitFor();
    await showsTheDeployment(page);
    await context.close();
  });

  it('is linked from the footer of a signed-in page', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'viewer@jobcenter.example');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Tilgængelighedserklæring' }).click();
    await page.waitForURL(`${server.url}/tilgaengelighed`);
    await page.getByRole('heading', { level: 1, name: 'Tilgængelighedserklæring for Samspil' }).waitFor();
    await showsTheDeployment(page);
    await page.close();
  });
});
