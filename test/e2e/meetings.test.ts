// Meetings in a real browser against the real server: the host plans a meeting (Copenhagen time),
// starts it (confirming, as it is months early) and advances the agenda while a participant's page
// follows within a second; a decision is recorded and the meeting closed into a read-only archive
// whose exports carry the minutes; archive search highlights the words found; axe-core finds no
// serious or critical violation on the planned, live and archived meeting pages and on the archive page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MeetingDetail } from '../../realtime/wire/meetings.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const PASSWORD = 'samspil-demo';
const HOST = 'host@jobcenter.example';
const VIEWER = 'viewer@jobcenter.example';
const ANNA = 'anna@provider1.example';
const TITLE = 'Erfaringsmøde om mentorforløb';
/** A word that occurs nowhere in the seed, so search hits can only come from these minutes. */
const MINUTES_WORD = 'fyrtårnsmetoden';
const MINUTES_TEXT = `Vi drøftede ${MINUTES_WORD} grundigt.`;
const DECISION = 'Alle seks udbydere afprøver mentorforløb fra januar.';

describe.skipIf(!available)('meetings, in Chromium: plan, run live, archive', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let host: Page;
  let viewer: Page;
  let networkId: string;
  let meetingId: string;
  const meetingUrl = () => `${server.url}/meetings/${meetingId}`;

  async function signIn(email: string): Promise<Page> {
    const page = await browser.newPage({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
    return signInOn(page, server.url, email, PASSWORD);
  }

  async function expectNoSeriousViolations(page: Page, where: string) {
    const violations = await seriousA11yViolations(page);
    expect(violations, `${where}: ${JSON.stringify(violations)}`).toEqual([]);
  }

  /** A session cookie for calling the API as that user. */
  async function apiLogin(email: string): Promise<string> {
    return sessionCookie(server.url, email, PASSWORD);
  }

  const currentItem = (page: Page) => page.locator('.live-layout [aria-current="step"]');

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    [host, viewer] = await Promise.all([signIn(HOST), signIn(VIEWER)]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the host plans a meeting in Copenhagen time, and the planned page passes axe-core', async () => {
    await host.getByRole('link', { name: 'Alle møder og kalender' }).click();
    await host.waitForURL(/\/networks\/[^/]+\/meetings$/);
    networkId = new URL(host.url()).pathname.split('/')[2];
    await expect(host.getByRole('heading', { name: 'Kommende møder' }).isVisible()).resolves.toBe(true);

    // A summer date: 10:00 in Copenhagen is 08:00 UTC (CEST, +02:00).
    await host.getByLabel('Titel').fill(TITLE);
    await host.getByLabel('Dato').fill('2027-07-01');
    await host.getByLabel('Klokkeslæt').fill('10:00');
    await host.getByRole('button', { name: 'Planlæg mødet' }).click();
    await host.waitForURL(/\/meetings\/[^/?]+\?created=1$/);
    meetingId = new URL(host.url()).pathname.split('/')[2];

    const stored = (await (await host.request.get(`${server.url}/api/meetings/${meetingId}`)).json()) as MeetingDetail;
    expect(stored.startsAt).toBe('2027-07-01T08:00:00.000Z');
    expect(stored.agenda.length).toBeGreaterThan(3); // the default agenda
    await host.getByRole('heading', { name: 'Start mødet' }).waitFor();
    await host.getByRole('heading', { name: 'Forberedelse før mødet' }).waitFor();
    await expectNoSeriousViolations(host, 'planned meeting, host');

    await viewer.goto(meetingUrl());
    await viewer.getByRole('heading', { name: TITLE }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Start mødet nu' }).count()).toBe(0);
    await expectNoSeriousViolations(viewer, 'planned meeting, viewer');
  });

  it('starting months before the planned date asks the host to confirm, naming the date, and the question passes axe-core', async () => {
    await host.getByRole('button', { name: 'Start mødet nu' }).click();
    const question = host.getByRole('heading', { name: 'Mødet er først planlagt senere' });
    await question.waitFor();
    await expect(host.locator('.early-start').innerText()).resolves.toContain('1. juli 2027');
    // Focus moves to the question, so keyboard and screen-reader users meet it first.
    await expect(host.evaluate(() => document.activeElement?.id)).resolves.toBe('early-start-heading');
    const stored = (await (await host.request.get(`${server.url}/api/meetings/${meetingId}`)).json()) as MeetingDetail;
    expect(stored.status).toBe('planned');
    await expectNoSeriousViolations(host, 'planned meeting, early-start question');
  });

  it("the host advances the agenda and a participant's page follows within a second", async () => {
    // The viewer's page is open on the planned meeting and switches to the live view by itself.
    await host.getByRole('button', { name: 'Ja, start mødet nu alligevel' }).click();
    await currentItem(host).filter({ hasText: 'Velkomst' }).waitFor({ timeout: 15_000 });
    await currentItem(viewer).filter({ hasText: 'Velkomst' }).waitFor({ timeout: 15_000 });
    await viewer.getByText('Du følger mødet live.').waitFor();
    await expect(viewer.locator('.item-timer').innerText()).resolves.toMatch(/af 15:00/);

    const next = host.getByRole('button', { name: 'Næste punkt' });
    const started = Date.now();
    await next.click();
    await currentItem(viewer).filter({ hasText: 'Resultater side om side' }).waitFor({ timeout: 1000 });
    const followedAfter = Date.now() - started;
    expect(followedAfter).toBeLessThan(1000);
    await expect(viewer.locator('.current-item__title').innerText()).resolves.toContain('Resultater side om side');
    await expect(viewer.locator('.item-timer').innerText()).resolves.toMatch(/af 20:00/);

    // Once more, onto the first provider's slot: its presenter is shown with the item.
    await next.click();
    await currentItem(viewer).filter({ hasText: 'Karrierebroen' }).waitFor({ timeout: 1000 });
    await expect(viewer.locator('.current-item__presenter').innerText()).resolves.toContain('Karrierebroen ApS');
    // … with that provider's figures beside it, as the leaderboard shows them to this viewer.
    const figures = viewer.getByRole('region', { name: /Tal for Karrierebroen ApS/ });
    await figures.waitFor({ timeout: 2000 });
    await expect(figures.innerText()).resolves.toContain('Jobrate');

    await expectNoSeriousViolations(host, 'live meeting, host');
    await expectNoSeriousViolations(viewer, 'live meeting, viewer');
  });

  it('a participant signed out elsewhere is told so on the live page, with a way back, instead of "reconnecting" for ever', async () => {
    // Karrierebroen (the current presenter) publishes its note, so the page also reads it live.
    const anna = await apiLogin(ANNA);
    const karrierebroen = ((await (await fetch(`${server.url}/api/meetings/${meetingId}`, { headers: { cookie: anna } })).json()) as MeetingDetail).documents.methodNotes.find(
      (n) => n.providerShortName === 'Karrierebroen',
    )!;
    expect((await fetch(`${server.url}/api/meetings/${meetingId}/notes/${karrierebroen.providerId}/publish`, { method: 'POST', headers: { cookie: anna } })).status).toBe(200);

    const context = await browser.newContext({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
    const page = await signInOn(await context.newPage(), server.url, VIEWER, PASSWORD);
    await page.goto(meetingUrl());
    await page.getByText('Du følger mødet live.').waitFor({ timeout: 15_000 });
    await page.locator('.live-note__text').waitFor({ timeout: 15_000 });
    let liveConnections = 0;
    page.on('websocket', (ws) => {
      if (ws.url().includes('/socket.io/')) liveConnections++;
    });

    // Signed out in another tab: the server ends every connection of that session.
    const cookie = (await context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);

    await page.getByText('Du er logget ud, så siden følger ikke længere mødet.').waitFor({ timeout: 10_000 });
    await page.getByText('Du er logget ud, så metodenotatet opdateres ikke længere.').waitFor({ timeout: 10_000 });
    const again = page.locator('.live-connection').getByRole('link', { name: 'Log ind igen' });
    expect(await again.getAttribute('href')).toBe(`/login?next=${encodeURIComponent(`/meetings/${meetingId}`)}`);
    // It gave up: no new connection over the next few seconds.
    const attempts = liveConnections;
    await page.waitForTimeout(3000);
    expect(liveConnections).toBe(attempts);
    await expectNoSeriousViolations(page, 'live meeting, signed out');

    // The way back lands on the meeting again.
    await again.click();
    await page.getByLabel('E-mail').fill(VIEWER);
    await page.getByLabel('Adgangskode').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(meetingUrl());
    await page.getByText('Du følger mødet live.').waitFor({ timeout: 15_000 });
    await context.close();
  });

  it('a decision is recorded and the meeting closed: the archive is read-only and its exports carry the minutes', async () => {
    const editor = host.locator('.document-text');
    await host.locator('.save-status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 15_000 });
    await editor.locator('p').first().click();
    await host.keyboard.press('End');
    await host.keyboard.type(` ${MINUTES_TEXT}`);
    await host.locator('.save-status').filter({ hasText: 'Alle ændringer er gemt' }).waitFor({ timeout: 15_000 });

    await host.getByLabel('Tekst', { exact: true }).fill(DECISION);
    await host.getByRole('button', { name: 'Registrér beslutningen' }).click();
    await viewer.locator('.entry__text').filter({ hasText: DECISION }).waitFor({ timeout: 5000 });

    await host.getByRole('button', { name: 'Luk og arkivér mødet' }).click();
    const dialog = host.getByRole('dialog', { name: 'Vil du lukke mødet?' });
    await dialog.getByText('Lukning er endelig').waitFor();
    await dialog.getByRole('button', { name: 'Ja, luk og arkivér' }).click();

    // Both pages land on the archived record; nothing in it is editable.
    for (const page of [host, viewer]) {
      await page.locator('.archive-notice').waitFor({ timeout: 15_000 });
      await expect(page.locator('.archive-minutes').innerText()).resolves.toContain(MINUTES_TEXT);
      await expect(page.locator('[contenteditable="true"]').count()).resolves.toBe(0);
      await expect(page.locator('.entry__text').filter({ hasText: DECISION }).count()).resolves.toBe(1);
    }
    expect(await viewer.getByRole('button', { name: 'Tilføj tillægget' }).count()).toBe(0);
    await expectNoSeriousViolations(host, 'archived meeting, host');

    // An addendum is attributed and dated; the record itself does not change.
    await host.getByLabel('Nyt tillæg').fill('Rettelse: mentorforløbene starter i februar.');
    await host.getByRole('button', { name: 'Tilføj tillægget' }).click();
    await host.locator('.addendum').filter({ hasText: 'Rettelse: mentorforløbene starter i februar.' }).waitFor();
    await expect(host.locator('.addendum__meta').first().innerText()).resolves.toContain('Helle Jobcenter');

    // The exports, fetched with the page's own cookies from the links on the page.
    const markdownHref = await host.getByRole('link', { name: 'Hent som Markdown' }).getAttribute('href');
    const markdown = await host.request.get(new URL(markdownHref!, server.url).href);
    expect(markdown.status()).toBe(200);
    const text = await markdown.text();
    expect(text).toContain(MINUTES_WORD);
    expect(text).toContain(DECISION);

    const pdfHref = await host.getByRole('link', { name: 'Hent som PDF' }).getAttribute('href');
    const pdf = await host.request.get(new URL(pdfHref!, server.url).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const bytes = await pdf.body();
    expect(bytes.length).toBeGreaterThan(1024);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('search finds a word from the minutes with a highlighted <mark>, and the archive page passes axe-core', async () => {
    // Typed as soon as the field is there; the page's scripts loading afterwards must keep it.
    await host.goto(`${server.url}/networks/${networkId}/archive`);
    await host.getByLabel('Søg efter').fill(MINUTES_WORD);
    await expect(host.getByLabel('Søg efter').inputValue()).resolves.toBe(MINUTES_WORD);
    await host.getByRole('button', { name: 'Søg', exact: true }).click();
    const marked = host.locator('mark', { hasText: new RegExp(`^${MINUTES_WORD}$`, 'i') });
    const hit = host.locator('.search-hit').filter({ has: marked }).first();
    await hit.waitFor({ timeout: 15_000 });
    // A real element around the word, not markup shown as text.
    expect(await hit.locator('mark').first().evaluate((el) => el.tagName)).toBe('MARK');
    expect(await hit.innerText()).not.toContain('<mark>');
    expect(await hit.getByRole('link', { name: TITLE }).getAttribute('href')).toBe(`/meetings/${meetingId}`);
    // The closed meeting is listed in the archive, newest first among the closed ones.
    await host.getByRole('heading', { name: 'Afholdte møder' }).waitFor();
    await expect(host.locator('.meeting-list__title a').first().innerText()).resolves.toBe(TITLE);
    await expectNoSeriousViolations(host, 'archive page with search hits');
  });
});
