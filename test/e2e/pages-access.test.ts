// Every page of the web app against every role, on the real built server: the page table (PAGES)
// says for each role whether the page is shown (200), refused (403/404 with the error page) or sends
// the browser to sign in; the test fails when a page is added under web/routes without a row. The
// API routes, socket.io events and Yjs documents have their own table (test/access/table.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../realtime/auth/identity.ts';
import { SESSION_COOKIE } from '../../realtime/wire/session.ts';
import { pagePaths, pageRoutes } from '../helpers/pages.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const ROLES = ['anonymous', 'viewer', 'providerA', 'providerB', 'host', 'otherHost', 'signedOut', 'expiredSession'] as const;
type Role = (typeof ROLES)[number];
/** Shown, refused with the error page, or sent to /login (signed out) or / (signed in, for /login). */
type Outcome = 200 | 403 | 404 | 'login' | 'home';

const SIGNED_OUT = { anonymous: 'login', signedOut: 'login', expiredSession: 'login' } as const;
const signedIn = (viewer: Outcome, providerA: Outcome, providerB: Outcome, host: Outcome, otherHost: Outcome): Record<Role, Outcome> => ({
  ...SIGNED_OUT,
  viewer,
  providerA,
  providerB,
  host,
  otherHost,
});
const members = (outsider: Outcome = 403) => signedIn(200, 200, 200, 200, outsider);
/** The jobcenter and the providers (each its own), not viewers. */
const hostAndProviders = () => signedIn(403, 200, 200, 200, 403);

/**
 * One row per page route. Meetings are the demo's planned meeting; a note is provider A's draft
 * (drafts are for their provider and the host until published).
 */
const PAGES: Record<string, Record<Role, Outcome>> = {
  '': members(200), // the home page lists the caller's own networks
  // The link is the credential: a pending invitation shows to whoever opens it.
  'invitations/[token]': { anonymous: 200, signedOut: 200, expiredSession: 200, viewer: 200, providerA: 200, providerB: 200, host: 200, otherHost: 200 },
  account: members(200), // one's own account
  // A forgotten password: open to all; an unknown link gets a page saying so (and what to do).
  'password-reset': { anonymous: 200, signedOut: 200, expiredSession: 200, viewer: 200, providerA: 200, providerB: 200, host: 200, otherHost: 200 },
  'password-reset/[token]': { anonymous: 200, signedOut: 200, expiredSession: 200, viewer: 200, providerA: 200, providerB: 200, host: 200, otherHost: 200 },
  login: { anonymous: 200, signedOut: 200, expiredSession: 200, viewer: 'home', providerA: 'home', providerB: 'home', host: 'home', otherHost: 'home' },
  'meetings/[meetingId]': members(),
  'meetings/[meetingId]/minutes': members(),
  'meetings/[meetingId]/notes/[providerId]': signedIn(403, 200, 403, 200, 403),
  'networks/new': signedIn(403, 403, 403, 200, 200), // jobcenter staff: a host of any network
  'networks/[networkId]': members(),
  'networks/[networkId]/archive': members(),
  'networks/[networkId]/audit': signedIn(403, 403, 403, 200, 403),
  'networks/[networkId]/commitments': hostAndProviders(),
  'networks/[networkId]/contracts': hostAndProviders(),
  'networks/[networkId]/contracts/preview': signedIn(403, 403, 403, 200, 403),
  // A provider's administrator (Anna for A, Bo for B) manages their own staff; plain members do not.
  'networks/[networkId]/members': signedIn(403, 200, 200, 200, 403),
  'networks/[networkId]/meetings': members(),
  'networks/[networkId]/providers': members(), // the list; only the host gets the form and the links
  // The host manages providers; provider A's member is its administrator and keeps its name and CVR.
  'networks/[networkId]/providers/[providerId]': signedIn(403, 200, 403, 200, 403),
  'networks/[networkId]/reports': hostAndProviders(),
  'networks/[networkId]/results': members(),
  'networks/[networkId]/settings': signedIn(403, 403, 403, 200, 403),
  'networks/[networkId]/settlements': hostAndProviders(),
  'networks/[networkId]/supervision': hostAndProviders(),
  // The accessibility statement is for everyone, signed in or not.
  tilgaengelighed: { anonymous: 200, signedOut: 200, expiredSession: 200, viewer: 200, providerA: 200, providerB: 200, host: 200, otherHost: 200 },
};

let dir: string;
let server: ServerProcess;
const cookies = {} as Record<Role, string>;
const values: Record<string, string[]> = {};

async function signIn(email: string, password = 'samspil-demo'): Promise<string> {
  return sessionCookie(server.url, email, password);
}

/** `npm run create-host`, as an operator runs it, for a second network with a host of its own. */
function createHost(databaseUrl: string, email: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'create-host', '--email', email, '--name', 'Other Host', '--jobcenter', 'Jobcenter Andetsteds', '--network', 'Andet netværk'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: databaseUrl, SAMSPIL_PASSWORD: 'other-host-password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`create-host exited with ${code}: ${out}`))));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'samspil-pages-'));
  const file = join(dir, 'samspil.db');
  server = await startServerProcess({ DATABASE_URL: `file:${file}`, PORT: '0' });
  await createHost(`file:${file}`, 'other-host@andetsteds.example');
  cookies.viewer = await signIn('viewer@jobcenter.example');
  cookies.providerA = await signIn('anna@provider1.example');
  cookies.providerB = await signIn('bo@provider2.example');
  cookies.host = await signIn('host@jobcenter.example');
  cookies.otherHost = await signIn('other-host@andetsteds.example', 'other-host-password');
  cookies.signedOut = await signIn('host@jobcenter.example');
  const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: cookies.signedOut, 'content-type': 'application/json' }, body: '{}' });
  expect(out.status).toBeLessThan(300);
  cookies.expiredSession = await signIn('host@jobcenter.example');
  const db = new Database(file);
  try {
    const id = sha256(decodeURIComponent(cookies.expiredSession.slice(SESSION_COOKIE.length + 1)));
    expect(db.prepare('update sessions set expires_at = ? where id = ?').run('2020-01-01T00:00:00.000Z', id).changes).toBe(1);
  } finally {
    db.close();
  }

  const api = async (path: string) => (await fetch(server.url + path, { headers: { cookie: cookies.host } })).json();
  const networkId = (await api('/api/networks')).networks[0].id as string;
  const network = await api(`/api/networks/${networkId}`);
  const meetings = (await api(`/api/networks/${networkId}/meetings`)).meetings as Array<{ id: string; status: string }>;
  values.networkId = [networkId];
  values.meetingId = [meetings.find((m) => m.status === 'planned')!.id];
  values.providerId = [network.providers[0].id]; // Anna's provider: provider A
  // Without SMTP the invitation's answer carries its link.
  const invited = await fetch(`${server.url}/api/networks/${networkId}/invitations`, {
    method: 'POST',
    headers: { cookie: cookies.host, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'pages-test@provider1.example', role: 'provider', providerId: network.providers[0].id }),
  });
  // The same token serves a password-reset link that does not exist.
  values.token = [String((await invited.json()).link).split('/invitations/')[1]];
}, 120_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function outcome(role: Role, path: string): Promise<Outcome | string> {
  const res = await fetch(server.url + path, { headers: role === 'anonymous' ? {} : { cookie: cookies[role] }, redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status >= 300 && res.status < 400) {
    const to = new URL(res.headers.get('location') ?? '', server.url);
    if (to.pathname === '/login') return 'login';
    if (to.pathname === '/') return 'home';
    return `${res.status} → ${to.pathname}`;
  }
  if (res.status !== 200 && !res.headers.get('content-type')?.startsWith('text/html')) return `${res.status} without the error page`;
  return res.status as Outcome;
}

describe('every page against every role', () => {
  it('has a row for every page under web/routes', () => {
    expect(Object.keys(PAGES).sort()).toEqual(pageRoutes());
  });

  it('a viewer refused the reports, contracts and settlements pages is shown the way to the results', async () => {
    const [networkId] = values.networkId;
    for (const page of ['reports', 'contracts', 'settlements']) {
      const res = await fetch(`${server.url}/networks/${networkId}/${page}`, { headers: { cookie: cookies.viewer } });
      expect(res.status, page).toBe(403);
      const html = await res.text();
      // resolve() renders paths relative to the page (SvelteKit's paths.relative).
      expect(html, page).toMatch(new RegExp(`<a href="[./]*/?networks/${networkId}/results">Gå til resultattavlen</a>`));
    }
  });

  for (const [route, expected] of Object.entries(PAGES)) {
    it(`/${route}`, async () => {
      const actual = {} as Record<Role, Outcome | string>;
      for (const path of pagePaths(route, values)) for (const role of ROLES) actual[role] = await outcome(role, path);
      expect(actual).toEqual(expected);
    });
  }
});
