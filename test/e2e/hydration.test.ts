// What someone types while the page's JavaScript is still loading (a slow connection) must survive
// hydration: a field rendered with `value={…}` is overwritten with the server's value when the
// scripts arrive. Checked on a text input (monthly report), and on a date, a radio choice and a
// textarea (supervision visit), with the scripts held back until the typing is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('text typed before the page has loaded its scripts, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let networkId: string;

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens `path` with the app's scripts held back; returns a function that lets them load and waits until the page is hydrated. */
  async function openWithoutScripts(page: Page, path: string): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**/*.js', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
    return async () => {
      release();
      // Hydrated: Svelte has taken over the header's language form (it keeps the attributes it set
      // under a symbol on the element); without that sign the check below could run too early.
      await page.waitForFunction(() => {
        const input = document.querySelector('input[name="locale"]');
        return input !== null && Object.getOwnPropertySymbols(input).some((s) => s.description === 'attributes');
      });
      await page.waitForLoadState('networkidle');
    };
  }

  async function signIn(email: string): Promise<Page> {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, email);
    networkId ??= ((await (await page.request.get(`${server.url}/api/networks`)).json()) as { networks: Array<{ id: string }> }).networks[0].id;
    return page;
  }

  it('a monthly report field keeps the digits typed before hydration', async () => {
    const anna = await signIn('anna@provider1.example');
    const hydrate = await openWithoutScripts(anna, `/networks/${networkId}/reports`);
    const active = anna.getByRole('textbox', { name: /^Aktive borgere/ });
    await active.pressSequentially('41');
    await hydrate();
    expect(await active.inputValue()).toBe('41');
    await anna.close();
  });

  it('a supervision visit keeps its date, kind and findings typed before hydration', async () => {
    const host = await signIn('host@jobcenter.example');
    const hydrate = await openWithoutScripts(host, `/networks/${networkId}/supervision`);
    const findings = host.getByRole('textbox', { name: 'Fund' });
    await findings.pressSequentially('Skrevet før siden var klar');
    await host.getByLabel('Dato for besøget').fill('2026-11-03');
    await host.locator('label[for="visit-kind-unannounced"]').click();
    await hydrate();
    expect(await findings.inputValue()).toBe('Skrevet før siden var klar');
    expect(await host.getByLabel('Dato for besøget').inputValue()).toBe('2026-11-03');
    expect(await host.getByRole('radio', { name: 'Uanmeldt' }).isChecked()).toBe(true);
    await host.close();
  });
});
