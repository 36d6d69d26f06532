// Contracts and settlements in a real browser against the real server: the host registers a
// performance contract through the form (a failed submit puts the focus on the error summary),
// previews a course's settlement and reads the explanation line, changes the contract with a reason;
// a provider sees its own contract and statement and not another's; a viewer is told the pages are
// not for them; the host approves a finished month and adds a correction line; axe-core finds no
// serious or critical violation. The contract is for 2019 (with 2019 courses imported for it), so
// demo contracts the seed may hold for recent years never collide; everything is found by text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { NetworkDetail, NetworkSummary } from '../../realtime/wire/networks.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable, pdfToolsAvailable } from '../helpers/services.ts';
import { pdfText } from '../helpers/pdf.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const PDF_TOOLS = pdfToolsAvailable();
const PASSWORD = 'samspil-demo';
const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example'; // Karrierebroen
const BO = 'bo@provider2.example'; // Nordlys
const VIEWER = 'viewer@jobcenter.example';

const COMMITMENT = 'Første samtale inden 5 hverdage (e2e-kontrakt)';
const LINE = '25 % af 10.000,00 kr × 73/365 dage = 500,00 kr';
// 2019 courses for Karrierebroen: one ended after 73 days without a job (500 kr in March), one
// still running in March (its whole price pending).
const COURSES_CSV = [
  'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
  'E2E-FIFTH,Individuel coaching,2019-01-01,2019-03-15,,,0-3 mdr,Teknik,under 30',
  'E2E-RUNNING,Jobsøgningskursus,2019-02-01,,,,3-6 mdr,Humaniora,30-39',
  // Referred in April, 29 days: its base is due in April at the price in force when it was referred.
  'E2E-APRIL,Individuel coaching,2019-04-01,2019-04-30,,,0-3 mdr,Teknik,under 30',
].join('\n');

describe.skipIf(!available)('contracts and settlements, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let networkId: string;
  let karrierebroenId: string;

  async function apiCookie(email: string): Promise<string> {
    return sessionCookie(server.url, email, PASSWORD);
  }

  async function signIn(email: string): Promise<Page> {
    return signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, email, PASSWORD);
  }

  const contractsUrl = () => `${server.url}/networks/${networkId}/contracts`;
  const settlementsUrl = (query = '') => `${server.url}/networks/${networkId}/settlements${query}`;
  const isFocused = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el === document.activeElement);
  /** The registered contract's block on a contracts page, found by its commitment. */
  const ourContract = (page: Page) => page.locator('article', { hasText: COMMITMENT });

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    const cookie = await apiCookie(HOST);
    const { networks } = (await (await fetch(`${server.url}/api/networks`, { headers: { cookie } })).json()) as { networks: NetworkSummary[] };
    networkId = networks[0].id;
    const network = (await (await fetch(`${server.url}/api/networks/${networkId}`, { headers: { cookie } })).json()) as NetworkDetail;
    karrierebroenId = network.providers.find((p) => p.shortName === 'Karrierebroen')!.id;
    const imported = await fetch(`${server.url}/api/networks/${networkId}/providers/${karrierebroenId}/courses/import`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/csv' },
      body: COURSES_CSV,
    });
    expect(imported.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host registers a performance contract through the form, previews a course and sees the explanation line, and changes the contract with a reason', async () => {
    const host = await signIn(HOST);
    await host.getByRole('link', { name: 'Kontrakter', exact: true }).click();
    await host.waitForURL(contractsUrl());
    await host.getByRole('heading', { level: 2, name: 'Registrér en kontrakt' }).waitFor();

    // The defaults are the Aalborg model.
    expect(await host.getByRole('radio', { name: 'Resultatbaseret (Aalborg-modellen)' }).isChecked()).toBe(true);
    expect(await host.getByRole('textbox', { name: 'Grundandel (%)' }).inputValue()).toBe('25');
    expect(await host.getByRole('textbox', { name: 'Resultatandel (%)' }).inputValue()).toBe('75');
    expect(await host.getByRole('textbox', { name: 'Uger i ordinært job, der kræves' }).inputValue()).toBe('13');
    expect(await host.getByRole('textbox', { name: 'Ud af uger' }).inputValue()).toBe('26');
    expect(await host.getByRole('textbox', { name: 'Forløbets længde (dage)' }).inputValue()).toBe('365');
    expect(await host.getByRole('textbox', { name: 'Aktiveringskrav (%)' }).inputValue()).toBe('30');
    expect(await host.getByRole('textbox', { name: 'Dokumentationsfrist (dag i måneden)' }).inputValue()).toBe('10');

    await host.getByLabel('Udbyder', { exact: true }).selectOption({ label: 'Karrierebroen ApS' });
    await host.getByLabel('Perioden starter').fill('2019-01-01');
    await host.getByLabel('Perioden slutter').fill('2019-12-31');
    await host.getByLabel('Tilsagn 1', { exact: true }).fill(COMMITMENT);
    await host.getByLabel('Sådan måles tilsagn 1').fill('Stikprøve ved tilsyn');

    // No price: the error summary names the field and takes the focus.
    await host.getByRole('button', { name: 'Registrér kontrakten' }).click();
    await host.locator('#error-summary').getByRole('link', { name: 'Udfyld prisen pr. forløb.' }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    expect(await host.getByLabel('Tilsagn 1', { exact: true }).inputValue()).toBe(COMMITMENT);

    await host.getByRole('textbox', { name: 'Pris pr. forløb (kr.)' }).fill('10.000,00');
    await host.getByRole('button', { name: 'Registrér kontrakten' }).click();
    await host.getByRole('status').filter({ hasText: 'Kontrakten for Karrierebroen ApS er gemt (version 1).' }).waitFor();
    const contract = ourContract(host);
    await contract.getByRole('heading', { name: /Kontrakt 1\. januar 2019 – 31\. december 2019/ }).waitFor();
    expect(await contract.textContent()).toContain('10.000,00 kr');
    // Intl writes Danish percentages with a no-break space: "25 %".
    expect(await contract.textContent()).toMatch(/25\s%\sefter tilknytningstid, 75\s%\sved ordinær beskæftigelse i mindst 13 af 26 uger/);
    expect(await seriousA11yViolations(host)).toEqual([]);

    // Preview a course with the contract's terms.
    await contract.getByRole('link', { name: 'Beregn en afregning med disse vilkår (Karrierebroen ApS)' }).click();
    await host.waitForURL(/\/contracts\/preview\?contract=/);
    expect(await host.getByRole('textbox', { name: 'Pris pr. forløb (kr.)' }).inputValue()).toBe('10.000,00');
    await host.getByLabel('Henvist', { exact: true }).fill('2026-01-01');
    await host.getByLabel('Forløbet sluttede').fill('2026-03-15');
    await host.getByRole('button', { name: 'Beregn afregningen' }).click();
    const table = host.getByRole('table', { name: 'Afregning af forløbet, linje for linje' });
    await table.waitFor();
    const line = table.locator('tbody tr', { hasText: LINE });
    expect(await line.locator('td').nth(1).textContent()).toBe('500,00 kr');
    expect(await table.locator('tfoot').textContent()).toMatch(/I alt\s*500,00 kr/);
    await expect(isFocused(host, '#preview-result-heading')).resolves.toBe(true);
    expect(await seriousA11yViolations(host)).toEqual([]);

    // A change needs a reason and becomes version 2; the history keeps version 1.
    await host.goto(contractsUrl());
    await ourContract(host).getByRole('link', { name: 'Ret kontrakten for Karrierebroen ApS' }).click();
    await host.getByRole('heading', { level: 2, name: 'Ret kontrakten for Karrierebroen ApS (bliver version 2)' }).waitFor();
    await host.getByRole('textbox', { name: 'Dokumentationsfrist (dag i måneden)' }).fill('12');
    await host.getByRole('button', { name: 'Gem ændringen som ny version' }).click();
    await host.locator('#error-summary').getByRole('link', { name: 'Udfyld begrundelsen.' }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    await host.locator('#error-summary').getByRole('link', { name: 'Udfyld måneden, ændringen gælder fra.' }).waitFor();
    await host.getByRole('textbox', { name: 'Begrundelse for ændringen' }).fill('Fristen er flyttet efter aftale');
    await host.getByLabel('Gælder fra måned').fill('2019-01');
    await host.getByRole('button', { name: 'Gem ændringen som ny version' }).click();
    await host.getByRole('status').filter({ hasText: 'Kontrakten for Karrierebroen ApS er gemt (version 2).' }).waitFor();
    const changed = ourContract(host);
    expect(await changed.textContent()).toContain('Den 12. i måneden efter');
    expect(await changed.textContent()).toContain('10.000,00 kr');
    const timeline = changed.getByRole('region', { name: 'Versioner over tid' }).getByRole('list');
    expect(await timeline.getByRole('listitem').count()).toBe(2);
    expect(await timeline.getByRole('listitem').nth(1).textContent()).toContain('Fristen er flyttet efter aftale');
    expect(await timeline.getByRole('listitem').nth(1).textContent()).toContain('gælder nu');
    // After the save the page's "Change" link opens the form for a change again.
    await changed.getByRole('link', { name: 'Ret kontrakten for Karrierebroen ApS' }).click();
    await host.getByRole('heading', { level: 2, name: 'Ret kontrakten for Karrierebroen ApS (bliver version 3)' }).waitFor();
    await host.close();
  });

  it('a provider sees its own contract and statement, not another provider’s; a viewer is told the pages are not for them', async () => {
    const anna = await signIn(ANNA);
    await anna.getByRole('link', { name: 'Kontrakter', exact: true }).click();
    await anna.waitForURL(contractsUrl());
    await anna.getByRole('heading', { level: 1, name: 'Jeres kontrakt med jobcenteret' }).waitFor();
    await ourContract(anna).waitFor();
    expect(await anna.getByRole('button', { name: /Registrér|Gem/ }).count()).toBe(0);
    expect(await anna.getByRole('link', { name: /Ret kontrakten/ }).count()).toBe(0);
    expect(await seriousA11yViolations(anna)).toEqual([]);

    await anna.goto(settlementsUrl('?month=2019-03'));
    await anna.getByRole('heading', { level: 1, name: 'Afregning for Karrierebroen ApS' }).waitFor();
    expect(await anna.getByRole('table', { name: /Forløb afregnet i marts 2019/ }).textContent()).toContain(LINE);
    expect(await anna.getByRole('button', { name: /Godkend/ }).count()).toBe(0);
    await anna.close();

    const bo = await signIn(BO);
    await bo.goto(contractsUrl());
    await bo.getByRole('heading', { level: 1, name: 'Jeres kontrakt med jobcenteret' }).waitFor();
    const boText = (await bo.locator('main').textContent()) ?? '';
    expect(boText).not.toContain(COMMITMENT);
    expect(boText).not.toContain('Karrierebroen');
    // Asking for Karrierebroen's statement still shows Bo's own.
    await bo.goto(settlementsUrl(`?provider=${karrierebroenId}&month=2019-03`));
    await bo.getByRole('heading', { level: 1, name: /^Afregning for Nordlys/ }).waitFor();
    expect(await bo.locator('main').textContent()).not.toContain('E2E-FIFTH');
    await bo.close();

    const viewer = await signIn(VIEWER);
    expect(await viewer.getByRole('link', { name: 'Kontrakter', exact: true }).count()).toBe(0);
    for (const url of [contractsUrl(), settlementsUrl()]) {
      const response = await viewer.goto(url);
      expect(response?.status()).toBe(403);
      await viewer.getByRole('heading', { level: 1, name: 'Kontrakter og afregninger er ikke åbne for dig' }).waitFor();
    }
    await viewer.close();
  });

  it('the host picks a provider and a finished month, approves the statement, and adds a correction line', async () => {
    const host = await signIn(HOST);
    await host.getByRole('link', { name: 'Afregninger', exact: true }).click();
    await host.waitForURL(settlementsUrl());
    await host.getByLabel('Udbyder', { exact: true }).selectOption({ label: 'Karrierebroen ApS' });
    await host.getByLabel('Måned', { exact: true }).fill('2019-03');
    await host.getByRole('button', { name: 'Vis afregningen' }).click();
    await host.waitForURL(settlementsUrl(`?provider=${karrierebroenId}&month=2019-03`));

    const courses = host.getByRole('table', { name: 'Forløb afregnet i marts 2019, linje for linje' });
    const fifth = courses.locator('tbody', { hasText: 'E2E-FIFTH' });
    expect(await fifth.textContent()).toContain(LINE);
    expect(await courses.locator('tfoot').textContent()).toMatch(/I alt for forløbene\s*500,00 kr/);
    expect(await host.getByRole('table', { name: 'Forløb, der afventer i marts 2019' }).textContent()).toContain('E2E-RUNNING');
    expect(await host.locator('[data-status]').textContent()).toContain('Kladde');
    expect(await seriousA11yViolations(host)).toEqual([]);

    await host.getByRole('button', { name: 'Godkend afregningen for marts 2019' }).click();
    await host.getByRole('status').filter({ hasText: 'Afregningen er godkendt og låst.' }).waitFor();
    expect(await host.locator('[data-status]').textContent()).toMatch(/Godkendt .* af Helle Jobcenter/);

    await host.getByRole('button', { name: 'Tilføj rettelsen' }).click();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    await host.getByRole('textbox', { name: 'Tekst' }).fill('E2E-FIFTH: slutdato rettet');
    await host.getByRole('textbox', { name: 'Beløb (kr.)' }).fill('34,25');
    await host.getByRole('textbox', { name: 'Begrundelse' }).fill('Forkert slutdato indberettet');
    await host.getByRole('button', { name: 'Tilføj rettelsen' }).click();
    await host.getByRole('status').filter({ hasText: 'Rettelsen er tilføjet.' }).waitFor();
    expect(await host.getByRole('table', { name: 'Rettelseslinjer på afregningen for marts 2019' }).textContent()).toContain('Forkert slutdato indberettet');
    expect(await host.locator('[data-total-with-corrections]').textContent()).toBe('534,25 kr');
    expect(await seriousA11yViolations(host)).toEqual([]);

    // The exports are plain links to the API's files.
    const csvHref = await host.getByRole('link', { name: 'Afregningen som CSV' }).getAttribute('href');
    const csv = await fetch(`${server.url}${csvHref}`, { headers: { cookie: await apiCookie(HOST) } });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain(LINE);
    await host.close();
  });

  it('the host changes the price from the month after the approved one: the approved statement stays exactly the same, the next draft uses the new price', async () => {
    const host = await signIn(HOST);
    const approvedUrl = settlementsUrl(`?provider=${karrierebroenId}&month=2019-03`);
    const statementText = async () => {
      await host.goto(approvedUrl);
      return host.locator('main').innerText();
    };
    const pdfHref = `/api/networks/${networkId}/providers/${karrierebroenId}/settlements/2019-03/statement.pdf?locale=da`;
    const pdf = async () => new Uint8Array(await (await fetch(`${server.url}${pdfHref}`, { headers: { cookie: await apiCookie(HOST) } })).arrayBuffer());
    const screenBefore = await statementText();
    expect(screenBefore).toContain('Godkendt');
    const pdfBefore = PDF_TOOLS ? pdfText(await pdf()) : '';

    await host.goto(contractsUrl());
    await ourContract(host).getByRole('link', { name: 'Ret kontrakten for Karrierebroen ApS' }).click();
    await host.getByRole('heading', { level: 2, name: 'Ret kontrakten for Karrierebroen ApS (bliver version 3)' }).waitFor();
    await host.getByRole('textbox', { name: 'Pris pr. forløb (kr.)' }).fill('12.000,00');
    await host.getByRole('textbox', { name: 'Begrundelse for ændringen' }).fill('Ny pris efter genforhandling');
    // March is approved: the change cannot reach back into it.
    await host.getByLabel('Gælder fra måned').fill('2019-03');
    await host.getByRole('button', { name: 'Gem ændringen som ny version' }).click();
    await host.locator('#error-summary').getByRole('link', { name: /godkendt til og med 2019-03/ }).waitFor();
    await expect(isFocused(host, '#error-summary')).resolves.toBe(true);
    expect(await seriousA11yViolations(host)).toEqual([]);
    await host.getByLabel('Gælder fra måned').fill('2019-04');
    await host.getByRole('button', { name: 'Gem ændringen som ny version' }).click();
    await host.getByRole('status').filter({ hasText: 'Kontrakten for Karrierebroen ApS er gemt (version 3).' }).waitFor();
    const timeline = ourContract(host).getByRole('region', { name: 'Versioner over tid' }).getByRole('listitem');
    expect(await timeline.count()).toBe(3);
    expect(await timeline.nth(2).textContent()).toContain('Fra april 2019');
    expect(await seriousA11yViolations(host)).toEqual([]);

    // The approved statement, on screen and in its PDF, is exactly what it was.
    expect(await statementText()).toBe(screenBefore);
    if (PDF_TOOLS) expect(pdfText(await pdf())).toBe(pdfBefore);
    // April's draft settles April's referral at the new price: 12.000,00 kr × 25 % × 29/365 = 238,36 kr.
    await host.goto(settlementsUrl(`?provider=${karrierebroenId}&month=2019-04`));
    const april = host.getByRole('table', { name: 'Forløb afregnet i april 2019, linje for linje' }).locator('tbody', { hasText: 'E2E-APRIL' });
    expect(await april.textContent()).toContain('25 % af 12.000,00 kr × 29/365 dage = 238,36 kr');
    expect(await host.locator('[data-status]').textContent()).toContain('Kladde');
    await host.close();
  });
});
