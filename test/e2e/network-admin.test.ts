// A jobcenter sets up a network in a real browser against the real server: the host opens "Opret
// netværk" from the home page, is told what is wrong with an empty form (the error summary takes the
// focus), creates the network and lands on its providers page; adds a provider, opens it and sees the
// no-running-contract warning and the checklist's missing items; a CPR number in the interview notes
// is refused; the saved checklist lists what is still missing; a last month is set; the header's
// network switcher now lists both networks and leads to each. axe-core finds no serious or critical
// violation on any of these pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_HOST, DEMO_PASSWORD } from '../../db/seed.ts';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';

const available = chromiumAvailable();
const NETWORK = 'Sydbys unge ledige';
const PROVIDER = 'Kompasset Beskæftigelse ApS';

describe.skipIf(!available)('a jobcenter sets up a network, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let host: Page;
  const isFocused = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el === document.activeElement);

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    host = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, DEMO_HOST.email, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host creates a network from the home page; an empty name is explained and nothing is created', async () => {
    await host.getByRole('main').getByRole('link', { name: 'Opret netværk' }).click();
    await host.getByRole('heading', { level: 1, name: 'Opret netværk' }).waitFor();
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByRole('button', { name: 'Opret netværket' }).click();
    await host.locator('#error-summary').getByRole('link', { name: 'Netværkets navn: Udfyld feltet.' }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByLabel('Netværkets navn').fill(NETWORK);
    await host.getByLabel('Målgruppe').fill('Unge under 30');
    await host.getByRole('button', { name: 'Opret netværket' }).click();
    await host.getByRole('heading', { level: 1, name: `Udbydere i ${NETWORK}` }).waitFor();
    expect(await host.getByRole('status').textContent()).toContain('Netværket er oprettet');
    expect(await host.getByText('Netværket har ingen udbydere endnu.').count()).toBe(1);
    expect(await seriousA11yViolations(host)).toEqual([]);
  });

  it('the host adds a provider, sees the missing contract and checklist, refuses a CPR number, saves the checklist and sets a last month', async () => {
    await host.getByLabel('Navn', { exact: true }).fill(PROVIDER);
    await host.getByLabel('Kort navn').fill('Kompasset');
    await host.getByLabel('CVR-nummer').fill('1234 567');
    await host.getByRole('button', { name: 'Tilføj udbyderen' }).click();
    await host.locator('#error-summary').getByRole('link', { name: 'CVR-nummer: Et CVR-nummer er 8 cifre.' }).waitFor();
    await host.getByLabel('CVR-nummer').fill('1234 5678');
    await host.getByRole('button', { name: 'Tilføj udbyderen' }).click();
    await host.getByText('Udbyderen er tilføjet.').waitFor();
    const row = host.getByRole('row', { name: new RegExp(PROVIDER) });
    expect(await row.textContent()).toContain('Ingen løbende kontrakt');
    expect(await row.textContent()).toContain('Tjekliste: 4 mangler');
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByRole('link', { name: `Administrer ${PROVIDER}` }).click();
    await host.getByRole('heading', { level: 1, name: PROVIDER }).waitFor();
    expect(await host.getByRole('status').first().textContent()).toContain('har ingen løbende kontrakt');
    expect(await host.getByRole('listitem').filter({ hasText: 'Samtale før kontrakten' }).count()).toBe(1);
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByLabel('Samtalens dato').fill('2026-11-20');
    await host.getByLabel('Noter fra samtalen').fill('Borgeren 010190-1234 blev nævnt');
    await host.getByRole('button', { name: 'Gem tjeklisten' }).click();
    await host.locator('#error-summary').getByRole('link', { name: /^Noter fra samtalen: Teksten ser ud til at indeholde et CPR-nummer/ }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);

    await host.getByLabel('Noter fra samtalen').fill('Hvordan de løser opgaven, og hvad de gør, hvis noget ikke fungerer.');
    await host.getByLabel('Hvem gav referencen').first().fill('Jobcenter Vest');
    await host.getByLabel('Dato', { exact: true }).first().fill('2026-11-21');
    await host.getByRole('button', { name: 'Gem tjeklisten' }).click();
    await host.getByText('Ændringen er gemt.').waitFor();
    expect(await host.getByRole('listitem').filter({ hasText: 'Samtale før kontrakten' }).count()).toBe(0);
    expect(await host.getByRole('listitem').filter({ hasText: 'En kontrakt' }).count()).toBe(1);

    const last = addMonths(copenhagenMonth(new Date()), 2);
    await host.getByLabel('Sidste måned').fill(last);
    await host.getByRole('button', { name: 'Gem sidste måned' }).click();
    await host.getByText('Ændringen er gemt.').waitFor();
    expect(await host.locator('h1 + p').textContent()).toContain('Udtræder');
    expect(await seriousA11yViolations(host)).toEqual([]);
  });

  it("the header's network switcher lists both networks and leads to each; the settings page shows the network's values", async () => {
    const switcher = host.locator('details.network-switcher');
    await switcher.locator('summary').focus();
    await host.keyboard.press('Enter');
    const nav = host.getByRole('navigation', { name: 'Skift netværk' });
    await nav.getByRole('link', { name: NETWORK }).waitFor();
    expect(await nav.getByRole('link').count()).toBe(2);
    await nav.getByRole('link', { name: NETWORK }).click();
    await host.getByRole('heading', { level: 1, name: NETWORK }).waitFor();
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByRole('navigation', { name: 'Administration af netværket' }).getByRole('link', { name: 'Medlemmer' }).click();
    await host.getByRole('heading', { level: 1, name: `Medlemmer af ${NETWORK}` }).waitFor();
    // A new network's invitation form starts with the role most invitations have.
    expect(await host.getByLabel('Rolle').first().inputValue()).toBe('provider');
    await host.getByRole('navigation', { name: 'Administration af netværket' }).getByRole('link', { name: 'Indstillinger' }).click();
    await host.getByRole('heading', { level: 1, name: `Indstillinger for ${NETWORK}` }).waitFor();
    expect(await host.getByLabel('Målgruppe').inputValue()).toBe('Unge under 30');
    await host.getByLabel('Måneder mellem møderne').fill('3');
    await host.getByRole('button', { name: 'Gem indstillingerne' }).click();
    await host.getByText('Ændringen er gemt.').waitFor();
    expect(await host.getByLabel('Måneder mellem møderne').inputValue()).toBe('3');
    expect(await seriousA11yViolations(host)).toEqual([]);
  });

  it("a provider's administrator finds its own organisation from the network page and renames it; a plain member has no such link", async () => {
    const anna = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'anna@provider1.example', DEMO_PASSWORD);
    await anna.getByRole('link', { name: 'Din organisations navn og CVR-nummer' }).click();
    await anna.getByRole('heading', { name: 'Organisationen' }).waitFor();
    expect(await seriousA11yViolations(anna)).toEqual([]);
    await anna.getByLabel('Kort navn').fill('Karrierebroen Nord');
    await anna.getByRole('button', { name: 'Gem navn og CVR-nummer' }).click();
    await anna.getByText('Ændringen er gemt.').waitFor();
    expect(await anna.getByLabel('Kort navn').inputValue()).toBe('Karrierebroen Nord');
    await anna.close();

    const carl = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'carl@provider1.example', DEMO_PASSWORD);
    await carl.getByRole('heading', { level: 1 }).waitFor();
    expect(await carl.getByRole('link', { name: 'Din organisations navn og CVR-nummer' }).count()).toBe(0);
    await carl.close();
  });
});
