// Finds the real services tests need (PostgreSQL, Redis, Chromium). Absent ones skip loudly,
// except under CI=true, where an absent service fails the run instead.
import { existsSync } from 'node:fs';
import net from 'node:net';
import pg from 'pg';

export const IN_CI = process.env.CI === 'true';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function absent(what: string, why: string): false {
  const message = `\n!!!!!!!! ${what} is not available (${why}): its tests are SKIPPED !!!!!!!!\n`;
  if (IN_CI) throw new Error(`${what} is required when CI=true but is not available: ${why}`);
  console.warn(message);
  return false;
}

let postgresCheck: Promise<boolean> | null = null;

/** Is PostgreSQL there? Asked once per test file, with retries: a loaded machine may be slow to answer. */
export function postgresAvailable(): Promise<boolean> {
  postgresCheck ??= (async () => {
    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 10_000 });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await client.end().catch(() => {});
      }
    }
    return absent('PostgreSQL', `${POSTGRES_URL}: ${lastError}`);
  })();
  return postgresCheck;
}

export async function redisAvailable(host = '127.0.0.1', port = 6379): Promise<boolean> {
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  return ok || absent('Redis', `${host}:${port} refused`);
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH) || absent('Chromium', `${CHROMIUM_PATH} does not exist (apt-get install chromium)`);
}

/** pdftotext, pdffonts and pdfinfo (poppler-utils from Debian) read documents back as a reader would. */
export function pdfToolsAvailable(): boolean {
  const missing = ['pdftotext', 'pdffonts', 'pdfinfo'].filter((tool) => !['/usr/bin', '/usr/local/bin', '/bin'].some((dir) => existsSync(`${dir}/${tool}`)));
  return missing.length === 0 || absent('poppler-utils', `${missing.join(' and ')} not found (apt-get install poppler-utils)`);
}
