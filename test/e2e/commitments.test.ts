// Commitment follow-up in a real browser against the real server: the host picks a provider and
// records one of its commitments for this month as partly met (a note is required and a CPR number
// refused, each time with the error summary taking the focus); a member of that provider, in a
// browser context of its own, sees the record and responds; the host reloads and sees the response;
// the audit log names the change; a member of another provider and a viewer are refused the page
// (403); axe-core finds no serious or critical violation. The seeded contracts cover the current
// month with three commitments each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CommitmentMonth } from '../../realtime/wire/commitments.ts';
import type { NetworkDetail, NetworkSummary } from '../../realtime/wire/networks.ts';
import { DEMO_HOST, DEMO_PASSWORD, DEMO_PROVIDERS, DEMO_VIEWER } from '../../db/seed.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import { CPR_MESSAGE } from '../../domain/cpr.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const [KARRIEREBROEN, NORDLYS] = DEMO_PROVIDERS;
const ANNA = KARRIEREBROEN.members[0];

const COMMITMENT = 'Første samtale inden for 5 hverdage efter henvisning';
const NOTE = 'To af ti forløb i stikprøven fik første samtale efter 7 hverdage';
const RESPONSE = 'Vi har fået en ekstra konsulent fra næste måned, så ventetiden falder';
const FORBIDDEN = 'Opfølgningen på tilsagn er ikke åben for dig';

describe.skipIf(!available)('commitment follow-up, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let networkId: string;
  let karrierebroenId: string;
  let host: Page;
  const month = copenhagenMonth(new Date());

  async function signIn(email: string): Promise<Page> {
    return signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, email, DEMO_PASSWORD);
  }

  const commitmentsUrl = (query = '') => `${server.url}/networks/${networkId}/commitments${query}`;
  const isFocused = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el === document.activeElement);
  /** The commitment's block on a commitments page, found by its text. */
  const ourCommitment = (page: Page) => page.locator('article', { hasText: COMMITMENT });

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    const cookie = await sessionCookie(server.url, DEMO_HOST.email, DEMO_PASSWORD);
    const { networks } = (await (await fetch(`${server.url}/api/networks`, { headers: { cookie } })).json()) as { networks: NetworkSummary[] };
    networkId = networks[0].id;
    const network = (await (await fetch(`${server.url}/api/networks/${networkId}`, { headers: { cookie } })).json()) as NetworkDetail;
    karrierebroenId = network.providers.find((p) => p.shortName === KARRIEREBROEN.shortName)!.id;
    // The page shows what the contract covering the month promises; the seed's does promise this.
    const sheet = (await (await fetch(`${server.url}/api/networks/${networkId}/providers/${karrierebroenId}/commitments`, { headers: { cookie } })).json()) as CommitmentMonth;
    expect(sheet.commitments.map((c) => c.text)).toContain(COMMITMENT);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host picks a provider and records a commitment as partly met; the note is required and may not hold a CPR number', async () => {
    host = await signIn(DEMO_HOST.email);
    await host.getByRole('link', { name: 'Opfølgning på tilsagn', exact: true }).click();
    await host.waitForURL(commitmentsUrl());
    await host.getByLabel('Udbyder', { exact: true }).selectOption({ label: KARRIEREBROEN.name });
    await host.getByRole('button', { name: 'Vis tilsagnene' }).click();
    await host.waitForURL(commitmentsUrl(`?provider=${karrierebroenId}&month=${month}`));
    await host.getByRole('heading', { level: 1, name: `Opfølgning på tilsagn – ${KARRIEREBROEN.name}` }).waitFor();

    const commitment = ourCommitment(host);
    expect(await commitment.textContent()).toContain('Stikprøve på 10 forløb ved tilsyn');
    expect(await commitment.textContent()).toContain('Jobcenteret har ikke vurderet tilsagnet');
    expect(await seriousA11yViolations(host)).toEqual([]);

    // Partly met without a note: the summary names the note and takes the focus.
    await commitment.getByLabel('Delvist opfyldt').check();
    await commitment.getByRole('button', { name: 'Gem vurderingen' }).click();
    await commitment.locator('#error-summary').getByRole('link', { name: /^Skriv i noten, hvad der manglede/ }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    expect(await commitment.getByLabel('Delvist opfyldt').isChecked()).toBe(true);

    await commitment.getByLabel('Note', { exact: true }).fill('Borgeren 010190-1234 fik først samtale efter 9 dage');
    await commitment.getByRole('button', { name: 'Gem vurderingen' }).click();
    await commitment.locator('#error-summary').getByRole('link', { name: CPR_MESSAGE.da }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    expect(await seriousA11yViolations(host)).toEqual([]);

    await commitment.getByLabel('Note', { exact: true }).fill(NOTE);
    await commitment.getByRole('button', { name: 'Gem vurderingen' }).click();
    await commitment.getByRole('status').filter({ hasText: 'Vurderingen er gemt.' }).waitFor();
    expect(await commitment.locator('[data-status]').textContent()).toBe('Delvist opfyldt');
    const text = await commitment.textContent();
    expect(text).toContain(NOTE);
    expect(text).toContain(`Vurderet af ${DEMO_HOST.name}`);
    expect(text).toContain('Udbyderen har ikke svaret endnu.');
    expect(text).not.toContain('010190');
    expect(await seriousA11yViolations(host)).toEqual([]);
  });

  it('a member of that provider sees the record in a browser of its own and responds; the host reloads and sees the response', async () => {
    const anna = await signIn(ANNA.email);
    await anna.getByRole('link', { name: 'Opfølgning på tilsagn', exact: true }).click();
    await anna.waitForURL(commitmentsUrl());
    await anna.getByRole('heading', { level: 1, name: `Opfølgning på tilsagn – ${KARRIEREBROEN.name}` }).waitFor();
    expect(await anna.getByLabel('Udbyder', { exact: true }).count()).toBe(0);
    expect(await anna.getByRole('button', { name: 'Gem vurderingen' }).count()).toBe(0);

    const commitment = ourCommitment(anna);
    expect(await commitment.locator('[data-status]').textContent()).toBe('Delvist opfyldt');
    expect(await commitment.textContent()).toContain(NOTE);
    // Only a recorded commitment can be answered: the other two have no response form.
    expect(await anna.getByRole('button', { name: 'Gem svar' }).count()).toBe(1);
    expect(await seriousA11yViolations(anna)).toEqual([]);

    await commitment.getByLabel('Jeres svar på vurderingen').fill(RESPONSE);
    await commitment.getByRole('button', { name: 'Gem svar' }).click();
    await commitment.getByRole('status').filter({ hasText: 'Jeres svar er gemt.' }).waitFor();
    expect(await commitment.textContent()).toContain(`Skrevet af ${ANNA.name}`);
    expect(await commitment.getByLabel('Skriv jeres svar igen').inputValue()).toBe(RESPONSE);
    expect(await seriousA11yViolations(anna)).toEqual([]);
    await anna.close();

    await host.reload();
    const seen = ourCommitment(host);
    await seen.getByText(RESPONSE).waitFor();
    expect(await seen.textContent()).toContain(`Skrevet af ${ANNA.name}`);
    expect(await seen.locator('[data-status]').textContent()).toBe('Delvist opfyldt');

    // The audit log names what the record and the response changed.
    await host.goto(`${server.url}/networks/${networkId}/audit?subjectType=commitment`);
    const entries = host.getByRole('table', { name: 'Revisionsspor, nyeste først' });
    expect(await entries.locator('tbody tr', { hasText: `${ANNA.name} besvarede` }).textContent()).toContain(`${KARRIEREBROEN.name}' tilsagn for`);
    await host.close();
  });

  it("a member of another provider is refused that provider's commitments, and a viewer the page", async () => {
    const bo = await signIn(NORDLYS.members[0].email);
    const refused = await bo.goto(commitmentsUrl(`?provider=${karrierebroenId}`));
    expect(refused?.status()).toBe(403);
    await bo.getByRole('heading', { level: 1, name: FORBIDDEN }).waitFor();
    expect(await bo.locator('main').textContent()).not.toContain(NOTE);
    expect(await seriousA11yViolations(bo)).toEqual([]);
    // Its own page shows its own commitments, without Karrierebroen's record.
    await bo.goto(commitmentsUrl());
    await bo.getByRole('heading', { level: 1, name: `Opfølgning på tilsagn – ${NORDLYS.name}` }).waitFor();
    expect(await bo.locator('main').textContent()).not.toContain(NOTE);
    await bo.close();

    const viewer = await signIn(DEMO_VIEWER.email);
    expect(await viewer.getByRole('link', { name: 'Opfølgning på tilsagn', exact: true }).count()).toBe(0);
    const response = await viewer.goto(commitmentsUrl());
    expect(response?.status()).toBe(403);
    await viewer.getByRole('heading', { level: 1, name: FORBIDDEN }).waitFor();
    await viewer.close();
  });
});
