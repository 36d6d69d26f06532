// A jobcenter adopts Samspil on a real deployment's first day, in Chromium against the server process:
// an empty database (SEED=false) where `create-host` made the first host, and a real SMTP server.
// The host creates a network and adds six providers through the pages, invites a member of the first
// provider; the member opens the link from the received e-mail, sets a name and a password and lands
// on the network; the member's monthly report reaches the host's open leaderboard without a reload;
// the host deactivates the member while the member's method note is open, and the editor says the
// person is signed out and keeps the unsaved text in the browser; a forgotten password is reset from
// the e-mailed link. axe-core finds no serious or critical violation on any of the new pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { freePort, startFreshDeploymentProcess } from '../helpers/process.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp.ts';

const HOST = { email: 'lene@aalborg.example', name: 'Lene Kragh', password: 'fjord-cykel-lampe-kaffe', jobcenter: 'Jobcenter Aalborg', network: 'Aalborg forsøg' };
const NETWORK = 'Aalborg unge ledige';
const PROVIDERS = [
  { name: 'Karrierebroen ApS', shortName: 'Karrierebroen' },
  { name: 'Jobvejen A/S', shortName: 'Jobvejen' },
  { name: 'Nordlys Beskæftigelse ApS', shortName: 'Nordlys' },
  { name: 'Trinet ApS', shortName: 'Trinet' },
  { name: 'Havnens Jobhus I/S', shortName: 'Jobhuset' },
  { name: 'Limfjord Kompetence ApS', shortName: 'Limfjord' },
];
const MEMBER = { email: 'mette@karrierebroen.example', name: 'Mette Lund', password: 'bro-regn-vindue-sommer' };
const NEW_HOST_PASSWORD = 'mole-tang-skib-morgen';
const LONG = { timeout: 20_000 };

const percentDa = (fraction: number) => new Intl.NumberFormat('da-DK', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(fraction);

describe.skipIf(!chromiumAvailable())('a jobcenter adopts Samspil on a fresh deployment, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startFreshDeploymentProcess>>;
  let catcher: SmtpCatcher;
  let browser: Browser;
  let host: Page;
  let memberContext: BrowserContext;
  let member: Page;
  let networkId: string;
  let firstProviderId: string;
  let meetingId: string;

  /** No serious or critical axe-core violation on the page in front of us, named in the failure. */
  const accessible = async (page: Page, what: string) => expect({ page: what, violations: await seriousA11yViolations(page) }).toEqual({ page: what, violations: [] });

  /** The link in the latest e-mail to `to` whose path starts with `path`. */
  async function linkFromMail(to: string, path: string, count: number): Promise<string> {
    const mails = await catcher.waitFor(count, 20_000);
    const mail = mails.filter((m) => m.to.includes(to)).at(-1);
    expect(mail, `an e-mail to ${to}`).toBeDefined();
    const link = mail!.text.match(new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`));
    expect(link, `a ${path} link in the e-mail to ${to}`).not.toBeNull();
    return link![0];
  }

  beforeAll(async () => {
    catcher = await startSmtpCatcher();
    // A deployment says where it lives: ORIGIN puts the links in e-mails under that address.
    const port = await freePort();
    server = await startFreshDeploymentProcess(HOST, { SMTP_URL: catcher.url, PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` });
    browser = await launchBrowser();
    host = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, HOST.email, HOST.password);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await catcher?.close();
  });

  it('the host creates a network, adds six providers and invites a member of the first by e-mail', async () => {
    await host.getByRole('main').getByRole('link', { name: 'Opret netværk' }).click();
    await host.getByRole('heading', { level: 1, name: 'Opret netværk' }).waitFor();
    await accessible(host, '/networks/new');
    await host.getByLabel('Netværkets navn').fill(NETWORK);
    await host.getByLabel('Målgruppe').fill('Unge under 30 på uddannelseshjælp');
    await host.getByRole('button', { name: 'Opret netværket' }).click();
    await host.getByRole('heading', { level: 1, name: `Udbydere i ${NETWORK}` }).waitFor(LONG);
    networkId = new URL(host.url()).pathname.split('/')[2];
    await accessible(host, 'providers, empty');

    for (const [i, provider] of PROVIDERS.entries()) {
      await host.getByLabel('Navn', { exact: true }).fill(provider.name);
      await host.getByLabel('Kort navn').fill(provider.shortName);
      await host.getByRole('button', { name: 'Tilføj udbyderen' }).click();
      await host.getByRole('row', { name: new RegExp(provider.name) }).waitFor(LONG);
      expect(await host.locator('tbody tr').count()).toBe(i + 1);
    }
    await accessible(host, 'providers, six');

    await host.getByRole('link', { name: `Administrer ${PROVIDERS[0].name}` }).click();
    await host.getByRole('heading', { level: 1, name: PROVIDERS[0].name }).waitFor(LONG);
    firstProviderId = new URL(host.url()).pathname.split('/')[4];
    await accessible(host, 'provider page');

    await host.goto(`${server.url}/networks/${networkId}/settings`);
    await host.getByRole('heading', { level: 1, name: `Indstillinger for ${NETWORK}` }).waitFor();
    await accessible(host, 'settings');

    await host.goto(`${server.url}/networks/${networkId}/members`);
    await host.getByRole('heading', { level: 1, name: `Medlemmer af ${NETWORK}` }).waitFor();
    await accessible(host, 'members');
    const invite = host.getByRole('form', { name: 'Invitér en person' });
    await invite.getByLabel('E-mailadresse').fill(MEMBER.email);
    await invite.getByLabel('Rolle', { exact: true }).selectOption('provider');
    await invite.getByLabel('Udbyder', { exact: true }).selectOption({ label: PROVIDERS[0].name });
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await host.getByRole('status').filter({ hasText: `Invitationen er sendt til ${MEMBER.email}` }).waitFor(LONG);
    expect(await host.getByRole('row', { name: new RegExp(MEMBER.email) }).textContent()).toContain('Afventer');
    await accessible(host, 'members, invited');
  });

  it('the member opens the link from the e-mail, sees the invitation, chooses a name and a password and lands on the network', async () => {
    const link = await linkFromMail(MEMBER.email, '/invitations', 1);
    expect(link.startsWith(`${server.url}/invitations/`)).toBe(true);
    memberContext = await browser.newContext({ locale: 'da-DK' });
    member = await memberContext.newPage();
    await member.goto(link);
    await member.getByRole('heading', { level: 1, name: `Du er inviteret til ${NETWORK}` }).waitFor();
    const facts = (await member.locator('dl.invitation-facts').textContent())!;
    expect(facts).toContain(PROVIDERS[0].name);
    expect(facts).toContain('Udbyder');
    expect(facts).toContain(HOST.name);
    await accessible(member, 'invitation');

    await member.getByLabel('Dit navn').fill(MEMBER.name);
    await member.getByLabel('Vælg en adgangskode').fill('password1234');
    await member.getByRole('button', { name: 'Tag imod invitationen' }).click();
    await member.locator('#error-summary').filter({ hasText: 'Adgangskoden er blandt de mest brugte' }).waitFor(LONG);
    await accessible(member, 'invitation, refused password');
    await member.getByLabel('Vælg en adgangskode').fill(MEMBER.password);
    await member.getByRole('button', { name: 'Tag imod invitationen' }).click();
    await member.waitForURL(`${server.url}/networks/${networkId}`, LONG);
    await member.getByRole('heading', { level: 1, name: NETWORK }).waitFor();
    expect(await member.textContent('header')).toContain(MEMBER.name);

    // The link was for one use.
    const again = await memberContext.newPage();
    await again.goto(link);
    await again.getByRole('heading', { level: 1, name: 'Invitationslinket kan ikke bruges længere' }).waitFor();
    await accessible(again, 'invitation, used');
    await again.close();
  });

  it("the member's monthly report appears on the host's open leaderboard without a reload", async () => {
    await host.goto(`${server.url}/networks/${networkId}/results?metric=jobRate`);
    await host.locator('.live-status__state--live').waitFor(LONG);
    await host.evaluate(() => ((window as unknown as { samspilMark: boolean }).samspilMark = true));
    const cell = host.locator(`table.leaderboard-table tbody tr[data-provider="${PROVIDERS[0].shortName}"] td[data-metric="jobRate"]`);
    const before = (await cell.textContent())!.trim();

    await member.goto(`${server.url}/networks/${networkId}/reports`);
    await member.getByLabel('Måned', { exact: true }).fill(addMonths(copenhagenMonth(new Date()), -1));
    await member.getByRole('textbox', { name: /^Henviste borgere/ }).fill('14');
    await member.getByRole('textbox', { name: /^Aktive borgere/ }).fill('80');
    await member.getByRole('textbox', { name: /^Jobstart/ }).fill('24');
    await member.getByRole('textbox', { name: /^Fastholdt 13 af 26 uger/ }).fill('11');
    await member.getByRole('textbox', { name: /^Aktivering/ }).fill('40');
    await member.getByRole('textbox', { name: /^Tilfredshed, gennemsnit/ }).fill('4,1');
    await member.getByRole('textbox', { name: /^Tilfredshed, antal svar/ }).fill('30');
    await member.getByRole('button', { name: 'Gem måneden' }).click();
    await member.getByRole('status').filter({ hasText: 'version 1' }).waitFor(LONG);

    const board = (await (await host.request.get(`${server.url}/api/networks/${networkId}/leaderboard?metric=jobRate`)).json()) as Leaderboard;
    const estimate = board.rows.find((r) => r.shortName === PROVIDERS[0].shortName)?.figures?.jobRate?.estimate;
    expect(estimate, 'the stored report gives the provider a job rate').toBeTypeOf('number');
    const expected = percentDa(estimate!);
    expect(expected).not.toBe(before);
    await cell.filter({ hasText: expected }).waitFor(LONG);
    expect(await host.evaluate(() => (window as unknown as { samspilMark?: boolean }).samspilMark === true)).toBe(true);
  });

  it("the host deactivates the member while the member's note is open: the editor says so and keeps the unsaved text", async () => {
    await host.goto(`${server.url}/networks/${networkId}/meetings`);
    await host.getByLabel('Titel').fill('Netværksmøde');
    await host.getByLabel('Dato').fill(`${Number(copenhagenMonth(new Date()).slice(0, 4)) + 1}-03-04`);
    await host.getByLabel('Klokkeslæt').fill('09:00');
    await host.getByRole('button', { name: 'Planlæg mødet' }).click();
    await host.waitForURL(/\/meetings\/[^/?]+\?created=1$/, LONG);
    meetingId = new URL(host.url()).pathname.split('/')[2];

    await member.goto(`${server.url}/meetings/${meetingId}/notes/${firstProviderId}`);
    const editor = member.locator('.document-text');
    const status = member.locator('.save-status__line');
    await editor.waitFor(LONG);
    await status.filter({ hasText: 'Forbundet' }).waitFor(LONG);
    await editor.locator('p').first().click();
    await member.keyboard.press('End');
    await member.keyboard.type('Vi ringer til borgeren dagen efter.');
    await status.filter({ hasText: 'Alle ændringer er gemt' }).waitFor(LONG);

    // The member goes on typing while the host deactivates them.
    await host.goto(`${server.url}/networks/${networkId}/members`);
    const typing = member.keyboard.type(' Og igen efter en uge.', { delay: 30 });
    // Each row's remove button names whom it removes.
    expect(await host.getByRole('button', { name: `Fjern: ${MEMBER.name}`, exact: true }).count()).toBe(1);
    // The hidden ": name" part is its own box, so Chromium names the button "Deaktivér : Mette Lund".
    await host.getByRole('button', { name: new RegExp(`^Deaktivér\\s?: ${MEMBER.name}$`) }).click();
    await host.getByRole('status').filter({ hasText: `${MEMBER.name} er deaktiveret i netværket.` }).waitFor(LONG);
    await typing;

    // The member has no other membership, so their sessions ended: the editor says they are signed out.
    await status.filter({ hasText: 'Forbindelsen er afbrudt' }).waitFor(LONG);
    await member.locator('.save-status__note').filter({ hasText: 'Du er logget ud. Log ind igen for at gemme dine ændringer.' }).waitFor(LONG);

    // What is typed now cannot reach the server, and stays in the editor and in this browser.
    await member.keyboard.type(' Skrevet efter lukningen.');
    await member.locator('.save-status__note').filter({ hasText: 'Ændringerne ligger i denne browser' }).waitFor(LONG);
    const shown = (await editor.textContent())!;
    expect(shown).toContain('Vi ringer til borgeren dagen efter. Og igen efter en uge. Skrevet efter lukningen.');
    await expect.poll(() => locallyStoredNote(member, meetingId, firstProviderId), LONG).toContain('Skrevet efter lukningen.');

    // The server no longer lets the member in at all.
    const me = await member.request.get(`${server.url}/api/me`);
    expect(me.status()).toBe(401);
    await memberContext.close();
  });

  it('a forgotten password is reset from the e-mailed link, and the new one signs in', async () => {
    const context = await browser.newContext({ locale: 'da-DK' });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Glemt adgangskode?' }).click();
    await page.waitForURL(/\/password-reset$/);
    await accessible(page, '/password-reset');
    await page.getByLabel('E-mail').fill(HOST.email);
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.getByRole('status').filter({ hasText: `Hvis der findes en konto med e-mailen ${HOST.email}` }).waitFor(LONG);
    await accessible(page, '/password-reset, sent');

    const link = await linkFromMail(HOST.email, '/password-reset', 2);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Vælg en ny adgangskode' }).waitFor();
    await accessible(page, '/password-reset/[token]');
    await page.getByLabel('Ny adgangskode').fill(NEW_HOST_PASSWORD);
    await page.getByRole('button', { name: 'Gem ny adgangskode' }).click();
    await page.waitForURL(/\/login\?reset=done/, LONG);

    await signInOn(page, server.url, HOST.email, NEW_HOST_PASSWORD);
    await page.getByRole('link', { name: 'Min konto' }).click();
    await page.waitForURL(/\/account$/);
    await accessible(page, '/account');
    // The old password no longer works.
    const old = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: HOST.email, password: HOST.password }) });
    expect(old.status).toBe(401);
    await context.close();
  });
});

/** The note's text as this browser keeps it in IndexedDB (y-indexeddb's stored updates, merged). */
async function locallyStoredNote(page: Page, meetingId: string, providerId: string): Promise<string> {
  const updates = await page.evaluate(
    async ({ meetingId, providerId }) => {
      const databases = await indexedDB.databases();
      const own = databases.find((d) => d.name?.startsWith('samspil:') && d.name.endsWith(`meeting:${meetingId}:note:${providerId}`));
      if (!own?.name) return [];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(own.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        if (!db.objectStoreNames.contains('updates')) return [];
        const all = db.transaction('updates').objectStore('updates').getAll();
        const stored = await new Promise<Uint8Array[]>((resolve, reject) => {
          all.onsuccess = () => resolve(all.result as Uint8Array[]);
          all.onerror = () => reject(all.error);
        });
        return stored.map((u) => Array.from(u));
      } finally {
        db.close();
      }
    },
    { meetingId, providerId },
  );
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, Uint8Array.from(update));
  const text = doc.getXmlFragment('content').toString().replace(/<[^>]+>/g, '');
  doc.destroy();
  return text;
}
