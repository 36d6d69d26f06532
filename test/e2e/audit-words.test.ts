// The audit log in words in a real browser against the real server: a report corrected through the
// API shows on the host's audit page as a Danish sentence whose object links to the reports page;
// the filters are a plain GET form (they work without JavaScript) and a bad filter is named in the
// error summary; axe-core finds no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { NetworkDetail, NetworkSummary } from '../../realtime/wire/networks.ts';
import { DEMO_HOST, DEMO_PASSWORD, DEMO_PROVIDERS } from '../../db/seed.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const [KARRIEREBROEN] = DEMO_PROVIDERS;
const REASON = 'En jobstart var talt med i forkert måned';
const report = { month: '2019-10', referred: 9, active: 41, jobStarts: 3, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 };

describe.skipIf(!available)('the audit log in words, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let networkId: string;

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    const cookie = await sessionCookie(server.url, DEMO_HOST.email, DEMO_PASSWORD);
    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/api${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
    const { networks } = (await (await api('/networks')).json()) as { networks: NetworkSummary[] };
    networkId = networks[0].id;
    const network = (await (await api(`/networks/${networkId}`)).json()) as NetworkDetail;
    const providerId = network.providers.find((p) => p.shortName === KARRIEREBROEN.shortName)!.id;
    const reports = `/networks/${networkId}/providers/${providerId}/reports`;
    expect((await api(reports, { method: 'POST', body: JSON.stringify(report) })).status).toBe(201);
    expect((await api(reports, { method: 'POST', body: JSON.stringify({ ...report, jobStarts: 4, reason: REASON }) })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host reads a correction as a Danish sentence with a link to the reports, filters it by a GET form, and axe finds nothing serious', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, DEMO_HOST.email, DEMO_PASSWORD);
    await page.goto(`${server.url}/networks/${networkId}/audit`);
    // A plain GET form: the filters end up in the address, with or without JavaScript.
    expect(await page.locator('form.audit-filters').getAttribute('method')).toBe('GET');
    await page.getByLabel('Handling', { exact: true }).selectOption({ label: 'rettede …' });
    await page.getByLabel('Hvem', { exact: true }).selectOption({ label: DEMO_HOST.name });
    await page.getByRole('button', { name: 'Vis', exact: true }).click();
    await page.waitForURL(/action=report\.correct/);

    const table = page.getByRole('table', { name: 'Revisionsspor, nyeste først' });
    const row = table.locator('tbody tr', { hasText: 'oktober 2019' });
    const label = `${KARRIEREBROEN.name}' rapport for oktober 2019 (version 2)`;
    expect((await row.locator('td').textContent())!.replace(/\s+/g, ' ').trim()).toBe(`Helle Jobcenter rettede ${label}: jobstart 3 → 4. Begrundelse: ${REASON}`);
    expect(await row.getByRole('link', { name: label }).getAttribute('href')).toBe(`/networks/${networkId}/reports`);
    expect(await table.textContent()).not.toMatch(/report\.correct|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await page.getByRole('link', { name: 'Hent som CSV' }).getAttribute('href')).toContain('action=report.correct');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A period that ends before it starts is named in the error summary, linked to its field.
    await page.goto(`${server.url}/networks/${networkId}/audit?from=2026-12-05&to=2026-12-01`);
    await page.locator('#error-summary').getByRole('link', { name: 'Til-datoen ligger før fra-datoen.' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });
});
