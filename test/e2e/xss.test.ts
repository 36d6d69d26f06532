// XSS payloads in every text field a user can write — meeting titles, agenda items, decisions and
// actions, addenda, minutes and method notes (written into the editor's Yjs 'content' fragment,
// links included), report correction reasons, supervision findings and responses, commitment notes,
// contract commitments, course programme names (CSV import), settlement correction lines — then
// every page that shows them, as the host, a provider and a viewer, and the exports (the network's
// JSON export included), opened in Chromium. Each page must show the payloads literally, markup and
// entities included, as text (so a page that showed nothing would fail). Each payload sets
// `window.__xss`; the test asserts it never does, that no dialog opens, that the page holds no
// injected element or handler, and that the CSP never had to refuse an injected script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { launchBrowser, signInOn } from '../helpers/browser.ts';
import { chromiumAvailable } from '../helpers/services.ts';
import { startSeededServerProcess } from '../helpers/process.ts';
import { yjsClient } from '../helpers/clients.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = chromiumAvailable();
const HOST = 'host@jobcenter.example';
const PROVIDER_A = 'carl@provider1.example';
const VIEWER = 'viewer@jobcenter.example';
/** A word in every payload, for archive search. */
const WORD = 'xssord';

export const PAYLOADS = [
  `<script>window.__xss=1</script> ${WORD}`,
  `<img src=x onerror="window.__xss=1"> ${WORD}`,
  `<svg onload=window.__xss=1> ${WORD}`,
  `<a href="javascript:window.__xss=1">klik</a> ${WORD}`,
  `"><iframe srcdoc="<script>parent.__xss=1</script>"> ${WORD}`,
  `[klik](javascript:window.__xss=1) ${WORD}`,
  `&lt;img src=x onerror=window.__xss=1&gt; &#60;script&#62;window.__xss=1&#60;/script&#62; ${WORD}`,
  // CSP bypass attempts: a script from a same-origin JSON route, a data: script, a base and a meta refresh.
  `<script src="/api/health?callback=window.__xss=1"></script><script src="data:text/javascript,window.__xss=1"></script> ${WORD}`,
  `<base href="javascript:window.__xss=1//"><meta http-equiv="refresh" content="0;url=javascript:window.__xss=1"> ${WORD}`,
  `{{constructor.constructor('window.__xss=1')()}} ${WORD}`,
  `\${window.__xss=1} #{window.__xss=1} ${WORD}`,
  `<details open ontoggle=window.__xss=1> '';!--"<XSS>=&{()} ${WORD}`,
];

interface Trap {
  dialogs: string[];
  errors: string[];
  refusals: string[];
}

/** Checks the current document for anything a payload could have injected. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) found.push('window.__xss is set');
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        const v = attr.value;
        if (/^on/i.test(attr.name) && v.includes('__xss')) found.push(`<${el.localName} ${attr.name}>`);
        if (['href', 'src', 'action', 'formaction', 'data', 'srcdoc'].includes(attr.name) && (/^\s*(javascript|data|vbscript):/i.test(v) || (attr.name === 'srcdoc' && v.includes('__xss')))) {
          found.push(`<${el.localName} ${attr.name}="${v}">`);
        }
      }
      // SvelteKit's own start script carries the page data (payloads included) as serialized strings.
      const ownScript = el.localName === 'script' && (el.textContent ?? '').includes('__sveltekit_');
      if (!ownScript && ['script', 'iframe', 'object', 'embed', 'base', 'meta'].includes(el.localName) && (el.outerHTML.includes('__xss') || el.getAttribute('srcdoc') !== null)) {
        found.push(el.outerHTML.slice(0, 120));
      }
      if (el.localName === 'svg' && el.getAttribute('onload')) found.push('<svg onload>');
      if (el.localName === 'details' && el.getAttribute('ontoggle')) found.push('<details ontoggle>');
    }
    return found;
  });
}

/** The month `back` months before this one, as YYYY-MM. */
function monthsAgo(back: number): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
}

describe.skipIf(!available)('XSS payloads in every text field, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startSeededServerProcess>>;
  let browser: Browser;
  const cookies: Record<string, string> = {};
  let networkId: string;
  let providerA: string;
  let liveMeeting: string;
  let archivedMeeting: string;
  const pagesVisited: string[] = [];
  let stored = 0;
  /** Payloads found shown as text, over all page visits. */
  let shownTotal = 0;

  async function login(email: string): Promise<string> {
    return sessionCookie(server.url, email);
  }

  async function api(who: string, method: string, path: string, body?: unknown, raw?: { contentType: string; text: string }, extra: Record<string, string> = {}): Promise<any> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: cookies[who], ...extra, ...(raw ? { 'content-type': raw.contentType } : body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(raw ? { body: raw.text } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    if (method !== 'GET') stored++;
    return text ? JSON.parse(text) : null;
  }

  /** Writes every payload into a document's 'content' fragment: as text, as a javascript: link, and as raw elements. */
  async function writeDocument(who: string, name: string) {
    const client = yjsClient(server.url, name, { cookie: cookies[who], acks: true });
    await client.synced();
    const fragment = client.doc.getXmlFragment('content');
    client.doc.transact(() => {
      const nodes: Y.XmlElement[] = [];
      for (const p of PAYLOADS) {
        const para = new Y.XmlElement('paragraph');
        const text = new Y.XmlText();
        // Positions counted here: reading a type's length before it is in a document only warns.
        let at = 0;
        const append = (s: string, attributes?: Record<string, unknown>) => {
          text.insert(at, s, attributes);
          at += s.length;
        };
        append(p);
        append(' link', { link: { href: 'javascript:window.__xss=1' } });
        append(' data', { link: { href: 'data:text/html,<script>parent.__xss=1</script>' } });
        append(' escape', { link: { href: 'https://example.org/)[x](javascript:window.__xss=1)"onmouseover="window.__xss=1' } });
        para.insert(0, [text]);
        nodes.push(para);
      }
      // Elements outside the editor's schema, with handler attributes.
      const img = new Y.XmlElement('img');
      img.setAttribute('src', 'x');
      img.setAttribute('onerror', 'window.__xss=1');
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', '2" onmouseover="window.__xss=1');
      heading.setAttribute('onclick', 'window.__xss=1');
      heading.insert(0, [new Y.XmlText(PAYLOADS[0])]);
      fragment.insert(fragment.length, [...nodes, img, heading]);
    });
    const sent = Y.encodeStateVector(client.doc);
    const mine = Y.decodeStateVector(sent).get(client.doc.clientID)!;
    const start = Date.now();
    while ((client.acked().get(client.doc.clientID) ?? 0) < mine) {
      if (Date.now() - start > 10_000) throw new Error(`${name}: not acknowledged`);
      await new Promise((r) => setTimeout(r, 20));
    }
    client.destroy();
  }

  async function newPage(email: string): Promise<{ page: Page; trap: Trap; email: string }> {
    const page = await browser.newPage({ locale: 'da-DK', viewport: { width: 1280, height: 900 } });
    const trap: Trap = { dialogs: [], errors: [], refusals: [] };
    page.on('dialog', (d) => {
      trap.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => trap.errors.push(String(e)));
    page.on('console', (m) => {
      if (/Refused to (execute|load|frame|apply)/i.test(m.text())) trap.refusals.push(m.text());
    });
    await signInOn(page, server.url, email);
    return { page, trap, email };
  }

  /**
   * Opens a page as one user and checks nothing a payload carries ran. `minShown`: how many payloads
   * must appear on it literally, markup and entities included, as inert text (0 where this user sees
   * none of them: a page refused to its role).
   */
  async function visit(who: { page: Page; trap: Trap; email: string }, path: string, minShown: number, extra?: (page: Page) => Promise<unknown>) {
    const { page, trap } = who;
    await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
    await extra?.(page);
    // Hover and focus everything with text in it: handlers on mouseover/focus would fire.
    await page.mouse.move(10, 10);
    await page.mouse.move(600, 450);
    await page.waitForTimeout(150);
    const where = `${who.email} ${path}`;
    expect(await injected(page), `${where}: injected markup`).toEqual([]);
    expect(trap.dialogs, `${where}: dialogs`).toEqual([]);
    expect(trap.errors.filter((e) => e.includes('__xss')), `${where}: page errors`).toEqual([]);
    expect(trap.refusals, `${where}: CSP had to refuse something`).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    const text = await page.locator('body').innerText();
    const shown = PAYLOADS.filter((p) => text.includes(p)).length;
    pagesVisited.push(`${where}: ${shown}/${PAYLOADS.length} payloads shown as text`);
    if (minShown > 0) expect(text, `${where}: the payloads' marker`).toContain(WORD);
    expect(shown, `${where}: payloads shown literally as text`).toBeGreaterThanOrEqual(minShown);
    shownTotal += shown;
  }

  beforeAll(async () => {
    server = await startSeededServerProcess();
    browser = await launchBrowser();
    cookies.host = await login(HOST);
    cookies.a = await login(PROVIDER_A);
    const { networks } = await api('host', 'GET', '/api/networks');
    networkId = networks[0].id;
    const detail = await api('host', 'GET', `/api/networks/${networkId}`);
    providerA = detail.providers.find((p: { name: string }) => /Karrierebroen/.test(p.name))?.id ?? detail.providers[0].id;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`xss: ${PAYLOADS.length} payloads, ${stored} writes, ${shownTotal} payloads shown as text, pages: ${pagesVisited.length}\n  ${pagesVisited.join('\n  ')}`);
  });

  it('stores every payload in every text field through the API and the Yjs endpoint', async () => {
    const net = `/api/networks/${networkId}`;
    const provA = `${net}/providers/${providerA}`;
    const soon = new Date(Date.now() + 14 * 86400_000).toISOString();
    // Meetings titled with each payload; one gets payload agenda items, notes, minutes, entries and addenda.
    const ids: string[] = [];
    for (const title of PAYLOADS) ids.push((await api('host', 'POST', `${net}/meetings`, { title, startsAt: soon })).id);
    [liveMeeting, archivedMeeting] = [ids[0], ids[1]];
    for (const id of [liveMeeting, archivedMeeting]) {
      await api('host', 'PUT', `/api/meetings/${id}/agenda`, { agenda: PAYLOADS.map((title) => ({ title })) });
      await writeDocument('a', `meeting:${id}:note:${providerA}`);
      await api('a', 'POST', `/api/meetings/${id}/notes/${providerA}/publish`);
      await api('host', 'POST', `/api/meetings/${id}/start`, { confirmEarly: true });
      await writeDocument('host', `meeting:${id}:minutes`);
      for (const text of PAYLOADS) {
        await api('host', 'POST', `/api/meetings/${id}/entries`, { kind: 'decision', text });
        await api('host', 'POST', `/api/meetings/${id}/entries`, { kind: 'action', text, owner: text, dueDate: '2027-01-01' });
      }
    }
    await api('host', 'POST', `/api/meetings/${archivedMeeting}/close`);
    for (const text of PAYLOADS) await api('host', 'POST', `/api/meetings/${archivedMeeting}/addenda`, { text });

    // Report corrections (a new version with a reason) of last month.
    const lastMonth = monthsAgo(1);
    const report = { month: lastMonth, referred: 9, active: 41, jobStarts: 6, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 };
    for (const reason of PAYLOADS) await api('a', 'POST', `${provA}/reports`, { ...report, reason });

    // Supervision: findings, follow-ups and the provider's responses.
    for (const findings of PAYLOADS.slice(0, 6)) {
      const visit = await api('host', 'POST', `${provA}/supervision`, {
        visitDate: '2026-01-10', kind: 'announced', findings, actions: PAYLOADS.map((text) => ({ text, owner: 'provider', dueDate: '2026-02-01' })),
      });
      await api('a', 'POST', `${net}/supervision/${visit.id}/response`, { response: PAYLOADS.join('\n') });
    }

    // Contract commitments (a new version with a payload reason), then monthly notes on them.
    const { contracts } = await api('host', 'GET', `${net}/contracts`);
    const contract = contracts.find((c: { providerId: string }) => c.providerId === providerA);
    const changed = await api('host', 'PUT', `${net}/contracts/${contract.id}`, {
      periodStart: contract.periodStart,
      periodEnd: contract.periodEnd,
      terms: contract.terms,
      activationRequirementPct: contract.activationRequirementPct,
      documentationDeadlineDay: contract.documentationDeadlineDay,
      commitments: [...contract.commitments, ...PAYLOADS.map((p) => ({ text: p, measure: p }))],
      reason: PAYLOADS[1],
      effectiveFrom: monthsAgo(0),
    }, undefined, { 'if-match': `"${contract.version}"` });
    const commitments = changed.commitments as Array<{ id: string }>;
    for (const [i, c] of commitments.slice(-PAYLOADS.length).entries()) {
      await api('host', 'PUT', `${provA}/commitments/${c.id}/${lastMonth}`, { status: 'partly', note: PAYLOADS[i] });
    }
    await api('a', 'POST', `${provA}/commitments/${commitments.at(-1)!.id}/${lastMonth}/response`, { response: PAYLOADS.join('\n') });

    // Course programme names through the CSV import.
    const csv = ['caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand',
      ...PAYLOADS.map((p, i) => `XSS-${i},"${p.slice(0, 80).replace(/"/g, "\"\"")}",2026-01-05,,,,3-6 mdr,Humaniora,30-39`)].join('\n');
    await api('a', 'POST', `${provA}/courses/import`, undefined, { contentType: 'text/csv', text: csv });

    // Settlement correction lines on an approved month.
    const approved = monthsAgo(2);
    await api('host', 'POST', `${provA}/settlements/${approved}/approve`).catch(() => {});
    for (const p of PAYLOADS) await api('host', 'POST', `${provA}/settlements/${approved}/corrections`, { text: p, amountOre: 1000, reason: p });
  }, 90_000);

  it('every page shows the payloads as text, to the host, a provider and a viewer, and none executes', async () => {
    const host = await newPage(HOST);
    const a = await newPage(PROVIDER_A);
    const viewer = await newPage(VIEWER);
    const n = `/networks/${networkId}`;
    const all = PAYLOADS.length;
    // The CSV import above cuts programme names at 80 characters; the audit log names objects (meeting
    // titles, names) and changed fields in sentences, clipped at 80 characters; the archive shows
    // snippets of 16 words.
    const short = PAYLOADS.filter((p) => p.length <= 80).length;
    const ofProvider = `provider=${providerA}`;
    const searchArchive = async (page: Page) => {
      await page.getByLabel('Søg efter').fill(WORD);
      await page.getByRole('button', { name: 'Søg', exact: true }).click();
      await page.locator('.search-hit').first().waitFor({ timeout: 5000 });
      expect(await page.locator('.search-hit').count()).toBeGreaterThan(0);
    };
    // [who, page, payloads it must show at least]. The home pages show the next meetings (the host's all of
    // them); the viewer is refused reports, contracts, money, supervision, commitments and the audit log,
    // the provider the audit log.
    const pages: Array<[typeof host, string, number, ((page: Page) => Promise<unknown>)?]> = [
      [host, '/', all],
      [a, '/', 1],
      [viewer, '/', 1],
      [host, `${n}/meetings`, all],
      [viewer, `${n}/meetings`, all],
    ];
    for (const meeting of [liveMeeting, archivedMeeting]) {
      for (const who of [host, a, viewer]) {
        pages.push([who, `/meetings/${meeting}`, all], [who, `/meetings/${meeting}/minutes`, all], [who, `/meetings/${meeting}/notes/${providerA}`, all]);
      }
    }
    const providerPages: Array<[string, number]> = [
      [`results?${ofProvider}`, short],
      [`reports?${ofProvider}`, all],
      [`contracts?${ofProvider}`, all],
      [`settlements?${ofProvider}&month=${monthsAgo(2)}`, all],
      [`supervision?${ofProvider}`, all],
      [`commitments?${ofProvider}&month=${monthsAgo(1)}`, all],
    ];
    for (const [path, shows] of providerPages) {
      pages.push([host, `${n}/${path}`, shows], [a, `${n}/${path}`, shows], [viewer, `${n}/${path}`, path.startsWith('results') ? shows : 0]);
    }
    pages.push([host, `${n}/audit`, 1], [a, `${n}/audit`, 0], [viewer, `${n}/audit`, 0]);
    for (const who of [host, a, viewer]) pages.push([who, `${n}/archive`, 1, searchArchive]);
    for (const [who, path, minShown, extra] of pages) await visit(who, path, minShown, extra);
  }, 300_000);

  it('the exports served to the browser are not HTML and do not run anything', async () => {
    const host = await newPage(HOST);
    const n = `/api/networks/${networkId}`;
    const approved = monthsAgo(2);
    const exports = [
      `/api/meetings/${archivedMeeting}/export.md`,
      `/api/meetings/${archivedMeeting}/export.pdf`,
      `${n}/reports/export.csv`,
      `${n}/leaderboard/export.csv`,
      `${n}/audit/export.csv`,
      `${n}/providers/${providerA}/settlements/${approved}/statement.csv`,
      `${n}/export`,
    ];
    for (const path of exports) {
      const res = await host.page.request.get(`${server.url}${path}`);
      expect(res.status(), path).toBe(200);
      const type = res.headers()['content-type'] ?? '';
      expect(type, path).not.toMatch(/html|xml|javascript/i);
      if (path.endsWith('/export')) expect(type, path).toMatch(/^application\/json\b/);
      expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
      // Opened directly in the tab: a download or a text view, never a document that runs script.
      await host.page.goto(`${server.url}${path}`).catch(() => {});
      await host.page.waitForTimeout(200);
      const xss = await host.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss).catch(() => undefined);
      expect(xss, path).toBeUndefined();
      expect(host.trap.dialogs, path).toEqual([]);
      pagesVisited.push(path);
    }
    // The Markdown export keeps the payloads as escaped text.
    const md = await (await host.page.request.get(`${server.url}/api/meetings/${archivedMeeting}/export.md`)).text();
    expect(md).toContain(WORD);
    // Escaped as Markdown text: no raw HTML and no link a Markdown viewer would make live.
    expect(md).not.toMatch(/(^|[^\\])\]\(javascript:/m);
    expect(md).not.toMatch(/(^|[^\\])<(script|img|svg|iframe|a |details|base|meta)/im);
    // The network's JSON export holds every payload, as a JSON string.
    const json = await (await host.page.request.get(`${server.url}${n}/export`)).text();
    for (const p of PAYLOADS) expect(json, p).toContain(JSON.stringify(p).slice(1, -1));
  }, 60_000);
});
