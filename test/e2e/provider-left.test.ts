// A real browser as staff of a provider that has left: the network page says so (Danish and
// English), the links to live results and meetings are gone, the archive link stays; axe-core finds
// no serious or critical WCAG 2.1 AA violation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { launchBrowser, seriousA11yViolations, signInOn } from '../helpers/browser.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { chromiumAvailable } from '../helpers/services.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('a provider that has left, in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  const lastMonth = addMonths(copenhagenMonth(new Date()), -3);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samspil-left-'));
    const file = join(dir, 'samspil.db');
    server = await startServerProcess({ DATABASE_URL: `file:${file}`, PORT: '0' });
    // Nordlys (provider 2, Bo's organisation) took part through three months ago.
    const db = new Sqlite(file);
    try {
      db.prepare(
        `UPDATE network_providers SET last_month = ? WHERE organisation_id = (SELECT organisation_id FROM network_providers ORDER BY position LIMIT 1 OFFSET 1)`,
      ).run(lastMonth);
    } finally {
      db.close();
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the network page tells its staff what they can still read and hides live results and meetings', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'bo@provider2.example');
    const month = new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastMonth}-01T00:00:00Z`));
    const notice = page.getByRole('status').filter({ hasText: 'Din organisation har forladt netværket' });
    expect(await notice.textContent()).toContain(`forlod netværket efter ${month}`);
    const main = page.locator('main');
    expect(await main.locator('a[href$="/results"]').count()).toBe(0);
    expect(await main.locator('a[href$="/meetings"]').count()).toBe(0);
    expect(await main.locator('a[href$="/archive"]').count()).toBe(1);
    expect(await main.locator('a[href$="/reports"]').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.getByRole('status').filter({ hasText: 'Your organisation has left this network' }).textContent()).toContain('left this network after');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.close();
  });

  it('a provider still taking part sees no notice and keeps its links', async () => {
    const page = await signInOn(await browser.newPage({ locale: 'da-DK' }), server.url, 'anna@provider1.example');
    expect(await page.getByText('Din organisation har forladt netværket').count()).toBe(0);
    expect(await page.locator('main a[href$="/results"]').count()).toBe(1);
    expect(await page.locator('main a[href$="/meetings"]').count()).toBe(1);
    await page.close();
  });
});
