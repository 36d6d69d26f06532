// The results and reports pages in a real browser against the real server: a provider's correction
// reaches the host's leaderboard live; sealing shows a provider only its own figures and revealing
// shows everyone all six, without reloads; a file with bad rows saves nothing and lists every
// problem, a clean one imports with progress; axe-core finds no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import SQLite from 'better-sqlite3';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import type { NetworkDetail, NetworkSummary } from '../../realtime/wire/networks.ts';
import type { MonthlyReportVersion } from '../../realtime/wire/reports.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const PASSWORD = 'samspil-demo';
const HOST = 'host@jobcenter.example';
const ANNA = 'anna@provider1.example';
const BO = 'bo@provider2.example';
const VIEWER = 'viewer@jobcenter.example';

/** The month it is in Denmark, moved `n` months. */
function monthFromNow(n: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  const y = Number(parts.find((p) => p.type === 'year')!.value);
  const m = Number(parts.find((p) => p.type === 'month')!.value);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const percentDa = (fraction: number) => new Intl.NumberFormat('da-DK', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(fraction);

describe.skipIf(!available)('results and monthly reports, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let networkId: string;
  let karrierebroenId: string;
  const cookies = new Map<string, string>();

  async function apiCookie(email: string): Promise<string> {
    if (!cookies.has(email)) {
      cookies.set(email, await sessionCookie(server.url, email, PASSWORD));
    }
    return cookies.get(email)!;
  }

  async function api<T>(path: string, email: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { headers: { cookie: await apiCookie(email) } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  async function signIn(email: string, options: { javaScript?: boolean } = {}): Promise<Page> {
    const page = options.javaScript === false ? await (await browser.newContext({ locale: 'da-DK', javaScriptEnabled: false })).newPage() : await browser.newPage({ locale: 'da-DK' });
    return signInOn(page, server.url, email, PASSWORD);
  }

  const resultsUrl = (query = '') => `${server.url}/networks/${networkId}/results${query}`;
  const reportsUrl = () => `${server.url}/networks/${networkId}/reports`;
  const leaderboard = (page: Page) => page.locator('table.leaderboard-table');
  const rowOf = (page: Page, shortName: string) => leaderboard(page).locator(`tbody tr[data-provider="${shortName}"]`);

  /** Opens the results page and waits until it is subscribed for live updates. */
  async function openResults(page: Page, query = '') {
    await page.goto(resultsUrl(query));
    await page.locator('.live-status__state--live').waitFor({ timeout: 15_000 });
    // Nothing below may come from a reload: a reload would clear this mark.
    await page.evaluate(() => ((window as unknown as { samspilMark: boolean }).samspilMark = true));
  }
  const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { samspilMark?: boolean }).samspilMark === true);

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    const { networks } = await api<{ networks: NetworkSummary[] }>('/api/networks', HOST);
    networkId = networks[0].id;
    const network = await api<NetworkDetail>(`/api/networks/${networkId}`, HOST);
    karrierebroenId = network.providers.find((p) => p.shortName === 'Karrierebroen')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the host's leaderboard page updates live when a provider saves a report in another browser page", async () => {
    const host = await signIn(HOST);
    // The home page links the results.
    await host.getByRole('link', { name: 'Resultater og resultattavle' }).click();
    await host.waitForURL(resultsUrl());
    await openResults(host, '?metric=jobRate');
    const cell = rowOf(host, 'Karrierebroen').locator('td[data-metric="jobRate"] .figure-value');
    const before = (await cell.textContent())!.trim();
    // A report save leaves the course records, and so the survival curves, alone: no screen refetches them.
    const survivalRequests: string[] = [];
    host.on('request', (request) => {
      if (request.url().includes('/survival')) survivalRequests.push(request.url());
    });
    expect(before).toMatch(/^\d+,\d\s%$/);

    const anna = await signIn(ANNA);
    await anna.getByRole('link', { name: 'Månedsrapporter' }).click();
    await anna.waitForURL(reportsUrl());
    const lastMonth = monthFromNow(-1);
    await anna.getByLabel('Måned', { exact: true }).fill(lastMonth);
    await anna.getByRole('textbox', { name: /^Henviste borgere/ }).fill('10');
    await anna.getByRole('textbox', { name: /^Aktive borgere/ }).fill('60');
    await anna.getByRole('textbox', { name: /^Jobstart/ }).fill('60');
    await anna.getByRole('textbox', { name: /^Fastholdt 13 af 26 uger/ }).fill('20');
    await anna.getByRole('textbox', { name: /^Aktivering/ }).fill('35,5');
    await anna.getByRole('textbox', { name: /^Tilfredshed, gennemsnit/ }).fill('4,2');
    await anna.getByRole('textbox', { name: /^Tilfredshed, antal svar/ }).fill('12');
    await anna.getByRole('button', { name: 'Gem måneden' }).click();

    // The month exists: the page explains that a correction is a new version and asks why.
    await anna.getByRole('alert').filter({ hasText: 'er allerede indberettet' }).waitFor();
    const reason = anna.getByRole('textbox', { name: 'Begrundelse for rettelsen' });
    await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    expect(await anna.getByRole('textbox', { name: /^Jobstart/ }).inputValue()).toBe('60');
    await reason.fill('Jobstart var ikke talt med for hele måneden.');
    await anna.getByRole('button', { name: 'Gem rettelsen som ny version' }).click();
    await anna.getByRole('status').filter({ hasText: '(version 2)' }).waitFor();

    // The history keeps both versions.
    const history = anna.locator(`.report-history-table tr[data-month="${lastMonth}"]`);
    await history.nth(1).waitFor();
    expect(await history.nth(0).textContent()).toContain('Jobstart var ikke talt med for hele måneden.');
    expect(await history.nth(1).textContent()).toContain('erstattet');

    // The host's page shows the new figure, pushed over socket.io.
    const board = await api<Leaderboard>(`/api/networks/${networkId}/leaderboard?metric=jobRate`, HOST);
    const expected = percentDa(board.rows.find((r) => r.shortName === 'Karrierebroen')!.figures!.jobRate!.estimate);
    expect(expected).not.toBe(before);
    await cell.filter({ hasText: expected }).waitFor({ timeout: 15_000 });
    expect(await notReloaded(host)).toBe(true);
    expect(survivalRequests).toEqual([]);
    expect(await host.locator('.live-status time').textContent()).toMatch(/^Opdateret \d\d\.\d\d\.\d\d$/);
    await host.close();
    await anna.close();
  });

  it('sealing shows a provider only its own figures, and revealing shows all six on its open page', async () => {
    const host = await signIn(HOST);
    await openResults(host);
    const bo = await signIn(BO);
    await openResults(bo);
    expect(await leaderboard(bo).locator('td[data-metric="jobRate"]').count()).toBe(6);

    await host.getByRole('button', { name: /^Forsegl perioden/ }).click();
    await host.getByRole('status').filter({ hasText: 'Perioden er forseglet' }).waitFor();
    await host.getByRole('heading', { name: 'Tallene er forseglet til mødet' }).waitFor();

    // Bo's page, without a reload: the banner, Nordlys's own figures, the other five sealed.
    await bo.getByRole('heading', { name: 'Tallene er forseglet til mødet' }).waitFor({ timeout: 15_000 });
    expect(await bo.locator('.sealed-banner').textContent()).toContain('Du ser kun din egen organisations tal');
    await expect.poll(() => leaderboard(bo).locator('td.leaderboard-table__sealed').count(), { timeout: 15_000 }).toBe(5);
    expect(await leaderboard(bo).locator('td[data-metric="jobRate"]').count()).toBe(1);
    expect(await rowOf(bo, 'Nordlys').locator('td[data-metric="jobRate"]').count()).toBe(1);
    expect(await rowOf(bo, 'Karrierebroen').textContent()).toContain('Forseglet');
    // The survival curves follow: only Nordlys's own.
    await expect.poll(() => bo.locator('.survival-table tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await seriousA11yViolations(bo)).toEqual([]);

    await host.getByRole('button', { name: 'Afslør for alle' }).click();
    await host.getByRole('status').filter({ hasText: 'Tallene er afsløret for alle' }).waitFor();

    await expect.poll(() => leaderboard(bo).locator('td[data-metric="jobRate"]').count(), { timeout: 15_000 }).toBe(6);
    expect(await leaderboard(bo).locator('td.leaderboard-table__sealed').count()).toBe(0);
    expect(await bo.locator('.sealed-banner').count()).toBe(0);
    expect(await leaderboard(bo).locator('.rank-number').count()).toBe(6);
    await expect.poll(() => bo.locator('.survival-table tbody tr').count(), { timeout: 15_000 }).toBe(6);
    expect(await notReloaded(bo)).toBe(true);
    await host.close();
    await bo.close();
  });

  it('an import with bad rows shows every problem and saves nothing; a clean file imports with progress and result', async () => {
    const anna = await signIn(ANNA);
    await anna.goto(reportsUrl());
    const section = anna.getByRole('region', { name: 'Importér måneder fra en fil' });
    const versions = async () =>
      (await api<{ reports: MonthlyReportVersion[] }>(`/api/networks/${networkId}/providers/${karrierebroenId}/reports`, ANNA)).reports.length;
    const before = await versions();

    // Older months than the seeded year, with Danish column names, semicolons and decimal commas.
    const [m1, m2, m3] = [monthFromNow(-15), monthFromNow(-14), monthFromNow(-13)];
    const header = 'måned;henviste;aktive;jobstart;fastholdt_13_af_26;aktivering_pct;tilfredshed;tilfredshed_svar';
    const bad = [header, `${m1};9;40;5;3;33,5;4,1;12`, `${m2};8;41;mange;2;31,0;4,0;10`, `${m3};7;39;2;4;30,2;3,9;11`].join('\n');
    await section.getByLabel('Fil (CSV eller XLSX, højst 5 MB)').setInputFiles({ name: 'forkert.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await section.getByRole('button', { name: 'Importér filen' }).click();
    await section.getByRole('heading', { name: 'Intet blev importeret' }).waitFor();
    const issues = section.getByRole('table', { name: 'Fejl i filen' }).locator('tbody tr');
    expect(await issues.count()).toBe(2);
    expect(await issues.nth(0).textContent()).toContain('jobstart');
    // Each row error in Danish, with its row, column and value.
    expect(await issues.nth(0).textContent()).toMatch(/^3jobstartmangeJobstart skal være et tal \(fik "mange"\)\.$/);
    expect(await issues.nth(1).textContent()).toContain('fastholdt_13_af_26');
    expect(await issues.nth(1).textContent()).toContain('Fastholdt 13 af 26 uger (4) kan ikke være større end jobstart (2).');
    const template = section.getByRole('link', { name: 'Hent skabelonen (CSV til Excel, danske kolonnenavne)' });
    expect(await template.getAttribute('href')).toBe(`/api/networks/${encodeURIComponent(networkId)}/reports/template.csv?lang=da`);
    expect(await versions()).toBe(before);
    expect(await seriousA11yViolations(anna)).toEqual([]);

    const clean = [header, `${m1};9;40;5;3;33,5;4,1;12`, `${m2};8;41;4;2;31,0;4,0;10`, `${m3};7;39;2;1;30,2;3,9;11`].join('\n');
    await section.getByLabel('Fil (CSV eller XLSX, højst 5 MB)').setInputFiles({ name: 'rigtig.csv', mimeType: 'text/csv', buffer: Buffer.from(clean) });
    await section.getByRole('button', { name: 'Importér filen' }).click();
    await section.getByRole('status').filter({ hasText: 'rigtig.csv er importeret: 3 måneder er gemt.' }).waitFor();
    const progress = section.getByRole('progressbar', { name: 'Fremdrift for importen' });
    expect(await progress.getAttribute('value')).toBe('3');
    expect(await progress.getAttribute('max')).toBe('3');
    expect(await section.textContent()).toContain('Færdig: 3 af 3 rækker');
    expect(await section.getByRole('table', { name: 'Fejl i filen' }).count()).toBe(0);
    expect(await versions()).toBe(before + 3);
    await anna.locator(`.report-history-table tr[data-month="${m1}"]`).waitFor();

    // Course records import the same way.
    const courses = anna.getByRole('region', { name: 'Importér forløbsdata' });
    const courseFile = [
      'sagsnøgle,forløbstype,henvist,afsluttet,første_jobdag,uger_i_job_af_26,ledighed_før,uddannelse,alder',
      `KB-TEST-01,Jobsøgningskursus,${m1}-04,${m2}-20,${m2}-20,,3-6 mdr,Humaniora,30-39`,
      `KB-TEST-02,Virksomhedspraktik,${m2}-11,,,,6-12 mdr,Teknik,40+`,
    ].join('\n');
    await courses.getByLabel('Fil (CSV eller XLSX, højst 5 MB)').setInputFiles({ name: 'forloeb.csv', mimeType: 'text/csv', buffer: Buffer.from(courseFile) });
    await courses.getByRole('button', { name: 'Importér filen' }).click();
    await courses.getByRole('status').filter({ hasText: '2 nye og 0 opdaterede forløb' }).waitFor();
    await anna.close();
  });

  it('axe-core finds no serious or critical violation on the results and reports pages', async () => {
    const host = await signIn(HOST);
    await openResults(host);
    await host.locator('svg[role="img"]').nth(1).waitFor();
    expect(await seriousA11yViolations(host)).toEqual([]);
    await host.goto(reportsUrl());
    expect(await seriousA11yViolations(host)).toEqual([]);
    // The host picks another provider.
    await host.getByLabel('Udbyder', { exact: true }).selectOption({ label: 'Nordlys Job & Kompetence' });
    await host.getByRole('button', { name: 'Vis udbyderen' }).click();
    await host.getByRole('heading', { level: 1, name: 'Månedsrapporter: Nordlys Job & Kompetence' }).waitFor();

    // A form with mistakes: the error summary lists each field.
    await host.getByRole('textbox', { name: /^Aktive borgere/ }).fill('40,5');
    await host.getByRole('button', { name: 'Gem måneden' }).click();
    const summary = host.getByRole('alert').filter({ hasText: 'Måneden blev ikke gemt' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Aktive borgere skal være et helt tal.');
    expect(await seriousA11yViolations(host)).toEqual([]);
    await host.close();

    const viewer = await signIn(VIEWER);
    await openResults(viewer);
    expect(await seriousA11yViolations(viewer)).toEqual([]);
    const response = await viewer.goto(reportsUrl());
    expect(response?.status()).toBe(403);
    await viewer.getByRole('heading', { name: 'Månedsrapporterne er ikke åbne for dig' }).waitFor();
    expect(await seriousA11yViolations(viewer)).toEqual([]);
    await viewer.close();
  });

  it('a board whose session ended elsewhere says "signed out", with a way back, instead of "no connection"', async () => {
    const viewer = await signIn(VIEWER);
    await openResults(viewer);
    // Signed out in another tab: the server ends every connection of that session.
    const cookie = (await viewer.context().cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);

    await viewer.locator('.live-status__state--signedOut').filter({ hasText: 'Du er logget ud, så tallene opdateres ikke længere.' }).waitFor({ timeout: 10_000 });
    const again = viewer.locator('.live-status').getByRole('link', { name: 'Log ind igen' });
    expect(await again.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`/networks/${networkId}/results`)}`);
    expect(await notReloaded(viewer)).toBe(true);
    expect(await seriousA11yViolations(viewer)).toEqual([]);
    await viewer.close();
  });

  it('without JavaScript the period picker, the provider choice and the report form still work', async () => {
    const host = await signIn(HOST, { javaScript: false });
    await host.goto(resultsUrl());
    const month = monthFromNow(-2);
    await host.getByRole('radio', { name: 'Én måned' }).check();
    await host.getByLabel('Måned', { exact: true }).selectOption(month);
    await host.getByRole('button', { name: 'Vis resultater' }).click();
    // The picker's form becomes the plain, shareable ?metric=&from=&to= address.
    await host.waitForURL((url) => url.searchParams.get('from') === month && url.searchParams.get('to') === month && !url.searchParams.has('period'));
    const monthName = new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
    expect(await host.locator('#leaderboard-caption').textContent()).toContain(monthName);
    expect(await leaderboard(host).locator('tbody tr').count()).toBe(6);

    await host.goto(reportsUrl());
    await host.getByLabel('Udbyder', { exact: true }).selectOption({ label: 'Nordlys Job & Kompetence' });
    await host.getByRole('button', { name: 'Vis udbyderen' }).click();
    await host.getByRole('heading', { level: 1, name: 'Månedsrapporter: Nordlys Job & Kompetence' }).waitFor();
    await host.getByRole('textbox', { name: /^Aktive borgere/ }).fill('40,5');
    await host.getByRole('button', { name: 'Gem måneden' }).click();
    await host.getByRole('alert').filter({ hasText: 'Måneden blev ikke gemt' }).waitFor();
    // The answer is about the provider the host chose, with what was typed kept.
    expect(await host.getByRole('heading', { level: 1 }).textContent()).toContain('Nordlys');
    expect(await host.getByRole('textbox', { name: /^Aktive borgere/ }).inputValue()).toBe('40,5');
    await host.close();
  });
  it('a month stored before the report rules is left out of the board with a note naming provider and month', async () => {
    const month = monthFromNow(-5);
    const db = new SQLite(server.databaseFile);
    try {
      const latest = db.prepare('SELECT * FROM monthly_reports WHERE provider_id = ? AND month = ? ORDER BY version DESC LIMIT 1').get(karrierebroenId, month) as Record<string, unknown>;
      db.prepare('INSERT INTO monthly_reports (id, network_id, provider_id, month, version, referred, active, job_starts, retained_13_of_26, activation_pct, satisfaction_mean, satisfaction_responses, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run('e2e-bad-row', latest.network_id, karrierebroenId, month, Number(latest.version) + 1, 5, 20, 30, 3, 30, 4, 5, 'gammel række', latest.created_by, new Date().toISOString());
    } finally {
      db.close();
    }
    const host = await signIn(HOST);
    await host.goto(resultsUrl());
    const note = host.getByRole('status').filter({ hasText: 'Nogle indberetninger er udeladt af tallene' });
    await note.waitFor();
    const monthName = new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
    const text = await note.textContent();
    expect(text).toContain(monthName);
    expect(text).toContain('Karrierebroen');
    expect(text).toContain('Flere jobstart end aktive borgere.');
    expect(await leaderboard(host).locator('tbody tr').count()).toBe(6);
    expect(await seriousA11yViolations(host)).toEqual([]);
    await host.close();
  });
});
