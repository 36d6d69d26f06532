// The collaborative editor in a real browser against the real server: two writers see each other's
// text and carets; a viewer reads a published note live but cannot write; CPR numbers never reach
// the document; Tab leaves the editor; unsaved changes are tracked from acknowledgements, survive
// offline and a closed tab; axe-core finds no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MeetingDetail } from '../../realtime/wire/meetings.ts';
import type { NetworkDetail, NetworkSummary } from '../../realtime/wire/networks.ts';
import { CPR_MESSAGE } from '../../domain/cpr.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { yjsClient } from '../helpers/clients.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const PASSWORD = 'samspil-demo';
const ANNA = { email: 'anna@provider1.example', name: 'Anna Holm' };
const CARL = { email: 'carl@provider1.example', name: 'Carl Vestergaard' };
const VIEWER = { email: 'viewer@jobcenter.example', name: 'Vibeke Deltager' };

describe.skipIf(!available)('the collaborative editor, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  let meetingUrl: string;
  let noteUrl: string;
  let noteName: string;

  /** A session cookie from the API, for checking what the server stored. */
  async function apiCookie(email: string): Promise<string> {
    return sessionCookie(server.url, email, PASSWORD);
  }

  async function api<T>(path: string, cookie: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  /** The note's text as the server stores it, read by a separate y-websocket client. */
  async function storedText(): Promise<string> {
    const client = yjsClient(server.url, noteName, { cookie: await apiCookie(CARL.email) });
    try {
      await client.synced();
      return client.doc.getXmlFragment('content').toString();
    } finally {
      client.destroy();
    }
  }

  async function signIn(who: { email: string }, context?: BrowserContext): Promise<Page> {
    const page = context ? await context.newPage() : await browser.newPage({ locale: 'da-DK' });
    return signInOn(page, server.url, who.email, PASSWORD);
  }

  const editorOf = (page: Page) => page.locator('.document-text');
  const statusOf = (page: Page) => page.locator('.save-status__line');
  const waitForStatus = (page: Page, text: string) => statusOf(page).filter({ hasText: text }).waitFor({ timeout: 15_000 });

  async function openNote(page: Page) {
    await page.goto(noteUrl);
    await editorOf(page).waitFor();
    await waitForStatus(page, 'Forbundet');
  }

  /**
   * Waits until y-indexeddb has written this browser's copy of the note. Closing the tab before that
   * write completes leaves nothing to reopen offline. y-indexeddb first stores the empty document it
   * starts from (2 bytes), so what counts is the stored size: the template is hundreds of bytes.
   */
  async function localCopyStored(page: Page) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const storedBytes = await page.evaluate(async (name) => {
        const databases = await indexedDB.databases();
        const own = databases.find((d) => d.name?.startsWith('samspil:') && d.name.endsWith(`:${name}`));
        if (!own?.name) return 0;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(own.name!);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        try {
          if (!db.objectStoreNames.contains('updates')) return 0;
          const all = db.transaction('updates').objectStore('updates').getAll();
          const updates = await new Promise<Uint8Array[]>((resolve, reject) => {
            all.onsuccess = () => resolve(all.result as Uint8Array[]);
            all.onerror = () => reject(all.error);
          });
          return updates.reduce((sum, u) => sum + u.byteLength, 0);
        } finally {
          db.close();
        }
      }, noteName);
      if (storedBytes > 200) return;
      if (Date.now() > deadline) throw new Error(`the note was never written to IndexedDB (${storedBytes} bytes stored)`);
      await page.waitForTimeout(100);
    }
  }

  /** Puts the caret at the end of the n-th paragraph of the template (0: under "Målgruppe"). */
  async function typeInParagraph(page: Page, n: number, text: string) {
    await editorOf(page).locator('p').nth(n).click();
    await page.keyboard.press('End');
    await page.keyboard.type(text);
  }

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    const cookie = await apiCookie(ANNA.email);
    const { networks } = await api<{ networks: NetworkSummary[] }>('/api/networks', cookie);
    const network = await api<NetworkDetail>(`/api/networks/${networks[0].id}`, cookie);
    const meetingId = network.nextMeeting!.id;
    const meeting = await api<MeetingDetail>(`/api/meetings/${meetingId}`, cookie);
    const note = meeting.documents.methodNotes.find((n) => n.providerShortName === 'Karrierebroen')!;
    meetingUrl = `${server.url}/meetings/${meetingId}`;
    noteUrl = `${meetingUrl}/notes/${note.providerId}`;
    noteName = note.name!;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('two members of a provider write together and see each other’s text and caret', async () => {
    const anna = await signIn(ANNA);
    // The home page links the next meeting; the meeting page links the note.
    await anna.locator('.meeting-title a').click();
    await anna.waitForURL(meetingUrl);
    expect(await seriousA11yViolations(anna)).toEqual([]);
    await anna.getByRole('link', { name: /Åbn Metodenotat: Karrierebroen/ }).click();
    await anna.waitForURL(noteUrl);
    await editorOf(anna).waitFor();
    await waitForStatus(anna, 'Forbundet');

    const carl = await signIn(CARL);
    await openNote(carl);

    await typeInParagraph(anna, 0, 'Anna: vi bruger virksomhedspraktik tidligt.');
    await typeInParagraph(carl, 5, 'Carl: hvordan måler I fastholdelse?');

    await editorOf(anna).filter({ hasText: 'Carl: hvordan måler I fastholdelse?' }).waitFor();
    await editorOf(carl).filter({ hasText: 'Anna: vi bruger virksomhedspraktik tidligt.' }).waitFor();
    // Each sees the other's caret, labelled with the name the server stamped.
    await anna.locator('.collaboration-carets__label', { hasText: CARL.name }).waitFor();
    await carl.locator('.collaboration-carets__label', { hasText: ANNA.name }).waitFor();
    await anna.locator('.presence').getByText(CARL.name).waitFor();

    await waitForStatus(anna, 'Alle ændringer er gemt');
    await waitForStatus(carl, 'Alle ændringer er gemt');
    expect(await seriousA11yViolations(anna)).toEqual([]);
    await anna.close();
    await carl.close();
  });

  it('a viewer cannot open a draft; once published, reads it live without writing, and is listed as present', async () => {
    const viewer = await signIn(VIEWER);
    await viewer.goto(meetingUrl);
    const row = viewer.getByRole('row').filter({ hasText: 'Karrierebroen' });
    expect(await row.textContent()).toContain('Ikke synligt for dig endnu');
    expect(await row.getByRole('link').count()).toBe(0);
    expect(await seriousA11yViolations(viewer)).toEqual([]);
    const refused = await viewer.goto(noteUrl);
    expect(refused?.status()).toBe(403);
    await viewer.getByRole('heading', { name: 'Ingen adgang' }).waitFor();

    const anna = await signIn(ANNA);
    await anna.goto(meetingUrl);
    await anna.getByRole('button', { name: 'Publicér til netværket' }).click();
    await anna.getByText('Metodenotatet er publiceret til netværket.').waitFor();
    await anna.getByRole('button', { name: 'Træk tilbage' }).waitFor();
    expect(await seriousA11yViolations(anna)).toEqual([]);
    await openNote(anna);

    await viewer.goto(meetingUrl);
    await viewer.getByRole('link', { name: /Åbn Metodenotat: Karrierebroen/ }).click();
    await viewer.waitForURL(noteUrl);
    await editorOf(viewer).waitFor();
    await viewer.getByText('Du kan læse, men ikke skrive: deltagere kan læse, men ikke skrive.').waitFor();
    expect(await editorOf(viewer).getAttribute('contenteditable')).toBe('false');
    expect(await viewer.getByRole('toolbar').count()).toBe(0);

    await typeInParagraph(anna, 1, 'Netop nu: mentorordning for nyuddannede.');
    await editorOf(viewer).filter({ hasText: 'Netop nu: mentorordning for nyuddannede.' }).waitFor();

    // Typing is not possible: the text stays as it was.
    await editorOf(viewer).locator('p').nth(1).click();
    await viewer.keyboard.type('Vibeke var her');
    expect(await editorOf(viewer).textContent()).not.toContain('Vibeke var her');

    await anna.locator('.presence').getByText(VIEWER.name).waitFor();
    await waitForStatus(anna, 'Alle ændringer er gemt');
    expect(await seriousA11yViolations(viewer)).toEqual([]);
    await anna.close();
    await viewer.close();
  });

  it('a CPR number is refused when typed or pasted, with the message, and never reaches the document', async () => {
    const carl = await signIn(CARL);
    await openNote(carl);
    await typeInParagraph(carl, 2, 'Sag 010190-123');
    expect(await carl.getByRole('alert').filter({ hasText: CPR_MESSAGE.da }).count()).toBe(0);
    await carl.keyboard.type('4');
    await carl.getByRole('alert').filter({ hasText: CPR_MESSAGE.da }).waitFor();
    expect(await editorOf(carl).textContent()).toContain('Sag 010190-123');
    expect(await editorOf(carl).textContent()).not.toContain('010190-1234');

    // Pasting is refused as a whole, not trimmed.
    await carl.keyboard.press('Enter');
    await editorOf(carl).evaluate((element) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'Borger 010190-1234');
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    expect(await editorOf(carl).textContent()).not.toContain('Borger');
    await carl.getByRole('alert').filter({ hasText: CPR_MESSAGE.da }).waitFor();

    await carl.keyboard.type('Sagsnøgle K-17');
    await waitForStatus(carl, 'Alle ændringer er gemt');
    const stored = await storedText();
    expect(stored).toContain('Sagsnøgle K-17');
    expect(stored).toContain('Sag 010190-123');
    expect(stored).not.toContain('010190-1234');
    expect(stored).not.toContain('Borger');
    await carl.close();
  });

  it('Tab moves focus out of the editor instead of into the text, also inside a list', async () => {
    const carl = await signIn(CARL);
    await openNote(carl);
    await editorOf(carl).locator('p').last().click();
    await carl.keyboard.press('Tab');
    expect(await carl.evaluate(() => document.activeElement?.closest('.document-text') === null)).toBe(true);
    await carl.keyboard.press('Shift+Tab');
    expect(await carl.evaluate(() => document.activeElement?.classList.contains('document-text'))).toBe(true);
    await carl.keyboard.press('Shift+Tab');
    expect(await carl.evaluate(() => document.activeElement?.closest('[role="toolbar"]') !== null)).toBe(true);

    // Inside a bulleted list, Tab still leaves (it does not nest the item).
    await editorOf(carl).locator('p').last().click();
    await carl.keyboard.press('End');
    await carl.keyboard.press('Enter');
    await carl.getByRole('button', { name: 'Punktopstilling' }).click();
    await carl.keyboard.type('Første punkt');
    await carl.keyboard.press('Enter');
    await carl.keyboard.type('Andet punkt');
    await carl.keyboard.press('Tab');
    expect(await carl.evaluate(() => document.activeElement?.closest('.document-text') === null)).toBe(true);
    expect(await editorOf(carl).locator('ul li').count()).toBe(2);
    expect(await editorOf(carl).locator('ul ul').count()).toBe(0);
    expect(await editorOf(carl).textContent()).not.toContain('\t');
    await waitForStatus(carl, 'Alle ændringer er gemt');
    await carl.close();
  });

  it('unsaved changes are tracked from acknowledgements, shown offline by since when, kept through a closed tab, then saved', async () => {
    const context = await browser.newContext({ locale: 'da-DK' });
    const first = await signIn(ANNA, context);
    await openNote(first);
    await waitForStatus(first, 'Alle ændringer er gemt');
    await localCopyStored(first);
    await first.close();

    // A socket that opens but never answers: connected, yet nothing is acknowledged.
    const silent = await context.newPage();
    await silent.routeWebSocket(/\/yjs\//, () => {});
    await silent.goto(noteUrl);
    await editorOf(silent).locator('p').first().waitFor();
    await typeInParagraph(silent, 4, 'Gemt lokalt');
    await waitForStatus(silent, 'Forbundet – Gemmer…');
    let dialog = '';
    silent.once('dialog', (d) => {
      dialog = d.type();
      void d.accept();
    });
    await silent.close({ runBeforeUnload: true });
    await silent.waitForEvent('close');
    expect(dialog).toBe('beforeunload');

    // Reopened in the same browser: the edit comes back from IndexedDB and is saved.
    const page = await context.newPage();
    await openNote(page);
    await editorOf(page).filter({ hasText: 'Gemt lokalt' }).waitFor();
    await waitForStatus(page, 'Alle ændringer er gemt');
    expect(await storedText()).toContain('Gemt lokalt');

    // Offline: the status says since when the work is unsaved (10.42 in Copenhagen), not how many
    // keystrokes; insertions and deletions are both sent on reconnect.
    await page.clock.setFixedTime(new Date('2026-12-07T09:42:00Z'));
    await context.setOffline(true);
    await waitForStatus(page, 'Offline');
    await typeInParagraph(page, 4, '!!');
    await page.keyboard.press('Backspace');
    await waitForStatus(page, 'Offline – Ikke gemt siden kl. 10.42');
    await page.getByText('Ændringerne ligger i denne browser').waitFor();
    await context.setOffline(false);
    await waitForStatus(page, 'Alle ændringer er gemt');
    expect(await storedText()).toContain('Gemt lokalt!<');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });

  it('a session that ended while offline says "signed out" on reconnecting, instead of reconnecting for ever, and keeps the edits', async () => {
    const context = await browser.newContext({ locale: 'da-DK' });
    const page = await signIn(CARL, context);
    await openNote(page);
    await waitForStatus(page, 'Alle ændringer er gemt');
    await localCopyStored(page);
    let upgrades = 0;
    page.on('websocket', (ws) => {
      if (ws.url().includes('/yjs/')) upgrades++;
    });

    await context.setOffline(true);
    await waitForStatus(page, 'Offline');
    await typeInParagraph(page, 2, 'Skrevet efter udløb');
    await waitForStatus(page, 'ikke gemt');
    // The session ends meanwhile (as when it expires): the server refuses the next upgrade.
    const cookie = (await context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    await context.setOffline(false);

    await waitForStatus(page, 'Forbindelsen er afbrudt');
    await page.getByText('Du er logget ud. Log ind igen for at gemme dine ændringer.').waitFor();
    await page.getByText('Ændringerne ligger i denne browser').waitFor();
    // It stopped trying: no further upgrades over the next few seconds.
    const attempts = upgrades;
    await page.waitForTimeout(3000);
    expect(upgrades).toBe(attempts);
    expect(await storedText()).not.toContain('Skrevet efter udløb');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await context.close();
  });
});
