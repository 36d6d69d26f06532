// The protective headers, crawled on the real built server: every page (every +page under web/routes,
// signed in as the host), every route of the OpenAPI document (those that change something sent a
// body they refuse), socket.io's engine.io answers, the Yjs endpoint's refusals, static files,
// redirects and error pages. Pages, the API and socket.io carry a CSP with object-src 'none',
// base-uri 'none', frame-ancestors and no inline script; everything carries nosniff and a
// Referrer-Policy; HSTS only when served over HTTPS.
// Also: SvelteKit pages and endpoints refuse cross-site POSTs whatever their Content-Type.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pagePaths, pageRoutes } from '../helpers/pages.ts';
import { startSeededServerProcess, startServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

type Server = Awaited<ReturnType<typeof startSeededServerProcess>>;
let server: Server;
let cookie: string;
let ids: { networkId: string; meetingIds: string[]; providerId: string; token: string };

async function signIn(base: string, headers: Record<string, string> = {}): Promise<string> {
  return sessionCookie(base, 'host@jobcenter.example', undefined, headers);
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers: { cookie, ...headers }, redirect: 'manual' });

/** A WebSocket upgrade request that the server refuses: its answer, as a Response for the checks below. */
function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), ...headers },
    });
    req.once('response', (res) => {
      res.resume();
      const answer = new Headers();
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') answer.set(name, value);
      resolve(new Response(null, { status: res.statusCode, headers: answer }));
    });
    req.once('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error(`${url}: upgraded, expected a refusal`));
    });
    req.once('error', reject);
    req.end();
  });
}

/** The CSP directives of a response, by name. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name.toLowerCase(), values]));
}

/** What every response must carry; answers the problems found (empty when fine). */
function commonProblems(res: Response, https = false): string[] {
  const problems: string[] = [];
  if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  const referrer = res.headers.get('referrer-policy');
  if (!referrer || !['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(referrer)) problems.push(`Referrer-Policy ${referrer}`);
  const hsts = res.headers.get('strict-transport-security');
  if (https && !/max-age=\d{7,}/.test(hsts ?? '')) problems.push(`HSTS over HTTPS: ${hsts}`);
  if (!https && hsts) problems.push(`HSTS over plain HTTP: ${hsts}`);
  return problems;
}

/** A CSP that locks plugins, <base> and framing, and allows no inline or eval'd script. */
function cspProblems(res: Response): string[] {
  const d = csp(res);
  const problems: string[] = [];
  if (d.get('object-src')?.join(' ') !== "'none'") problems.push(`object-src ${d.get('object-src')}`);
  if (d.get('base-uri')?.join(' ') !== "'none'") problems.push(`base-uri ${d.get('base-uri')}`);
  if (!d.get('frame-ancestors')?.length) problems.push('no frame-ancestors');
  const script = d.get('script-src') ?? d.get('default-src');
  if (!script) problems.push('no script-src or default-src');
  else if (script.some((v) => ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:'].includes(v))) problems.push(`script-src ${script.join(' ')}`);
  return problems;
}

beforeAll(async () => {
  server = await startSeededServerProcess();
  cookie = await signIn(server.url);
  const list = await (await get('/api/networks')).json();
  const networkId = list.networks[0].id;
  const network = await (await get(`/api/networks/${networkId}`)).json();
  const meetings = await (await get(`/api/networks/${networkId}/meetings`)).json();
  // A pending invitation's page is a page like any other (without SMTP the answer carries its link);
  // the same token is an unknown password-reset link, whose page explains that.
  const invited = await fetch(`${server.url}/api/networks/${networkId}/invitations`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'headers-test@provider1.example', role: 'provider', providerId: network.providers[0].id }),
  });
  const token = String((await invited.json()).link).split('/invitations/')[1];
  ids = { networkId, providerId: network.providers[0].id, meetingIds: meetings.meetings.map((m: { id: string }) => m.id), token };
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

describe('headers on every page', () => {
  it('every page under web/routes, signed in as the host, carries the CSP and the common headers', async () => {
    const routes = pageRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const urls: string[] = [];
    for (const route of routes) urls.push(...pagePaths(route, { networkId: [ids.networkId], meetingId: ids.meetingIds, providerId: [ids.providerId], token: [ids.token] }));
    const failures: string[] = [];
    let pages = 0;
    for (const url of urls) {
      // The sign-in page redirects the signed-in; see it signed out.
      const res = url === '/login' ? await fetch(server.url + url) : await get(url);
      await res.arrayBuffer();
      if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/html')) {
        failures.push(`${url}: ${res.status} ${res.headers.get('content-type')}`);
        continue;
      }
      pages++;
      for (const p of [...commonProblems(res), ...cspProblems(res)]) failures.push(`${url}: ${p}`);
    }
    expect(failures).toEqual([]);
    expect(pages).toBe(urls.length);
    expect(pages).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it('error pages, redirects, endpoints and static files carry them too', async () => {
    const failures: string[] = [];
    const page = await get('/');
    const assets = (page.headers.get('link') ?? '').match(/<\.?(\/_app\/immutable\/[^>]+)>/g)?.map((l) => l.slice(1, -1).replace(/^\./, '')) ?? [];
    expect(assets.length).toBeGreaterThan(0);
    const checks: Array<[string, RequestInit & { expectCsp: boolean }]> = [
      ['/no-such-page', { expectCsp: true }],
      [`/networks/no-such-network/results`, { expectCsp: true }],
      ['/logout', { expectCsp: true }], // GET redirects
      ['/locale', { expectCsp: true }],
      ['/accessibility', { expectCsp: true }], // redirects to the accessibility statement
      ['/was', { expectCsp: true }],
      ['/favicon.svg', { expectCsp: false }],
      ...assets.slice(0, 3).map((a): [string, { expectCsp: boolean }] => [a, { expectCsp: false }]),
    ];
    for (const [path, { expectCsp }] of checks) {
      const res = await get(path);
      await res.arrayBuffer();
      for (const p of commonProblems(res)) failures.push(`${path} (${res.status}): ${p}`);
      if (expectCsp) for (const p of cspProblems(res)) failures.push(`${path} (${res.status}): ${p}`);
    }
    // Signed out, the root redirects to the sign-in page.
    const redirect = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(redirect.status).toBeGreaterThanOrEqual(300);
    for (const p of [...commonProblems(redirect), ...cspProblems(redirect)]) failures.push(`/ signed out (${redirect.status}): ${p}`);
    expect(failures).toEqual([]);
  });
});

describe('headers on every GET API route', () => {
  it('every GET route of the OpenAPI document (and unknown ones) carries nosniff, Referrer-Policy and a locked CSP', async () => {
    const doc = await (await get('/api/openapi.json')).json();
    const values: Record<string, string> = { networkId: ids.networkId, providerId: ids.providerId, meetingId: ids.meetingIds[0] };
    const failures: string[] = [];
    let routes = 0;
    for (const [path, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!('get' in operations)) continue;
      routes++;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `${name}-x`));
      const res = await get(url);
      await res.arrayBuffer();
      if (res.status >= 500) failures.push(`${url}: ${res.status}`);
      for (const p of [...commonProblems(res), ...cspProblems(res)]) failures.push(`${url} (${res.status}): ${p}`);
    }
    for (const url of ['/api/nope', '/api/openapi.json', '/api/health']) {
      const res = await fetch(server.url + url);
      await res.arrayBuffer();
      for (const p of [...commonProblems(res), ...cspProblems(res)]) failures.push(`${url} (${res.status}): ${p}`);
    }
    console.log(`headers: ${routes} GET API routes`);
    expect(failures).toEqual([]);
    expect(routes).toBeGreaterThanOrEqual(30);
  }, 60_000);
});

describe('headers on the socket.io endpoint', () => {
  it("engine.io's handshake, its polls and its refusals carry nosniff, Referrer-Policy and a locked CSP", async () => {
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;
    const failures: string[] = [];
    const check = async (label: string, answer: Promise<Response>, status: number): Promise<string> => {
      const res = await answer;
      const body = await res.text();
      if (res.status !== status) failures.push(`${label}: ${res.status}, expected ${status}: ${body.slice(0, 100)}`);
      for (const p of [...commonProblems(res), ...cspProblems(res)]) failures.push(`${label} (${res.status}): ${p}`);
      return body;
    };
    const handshake = await check('handshake', fetch(base, { headers: { cookie } }), 200);
    const sid = (JSON.parse(handshake.slice(1)) as { sid: string }).sid;
    // A socket.io CONNECT packet sent, then the poll that answers it (accepted: the cookie signs it in).
    await check('packet sent', fetch(`${base}&sid=${sid}`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain;charset=UTF-8' }, body: '40' }), 200);
    expect(await check('poll', fetch(`${base}&sid=${sid}`, { headers: { cookie } }), 200)).toMatch(/^40\{/);
    await check('foreign origin', fetch(base, { headers: { origin: 'https://evil.example' } }), 403);
    await check('unknown session', fetch(`${base}&sid=no-such-session`), 400);
    await check('unknown transport', fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`), 400);
    await check('unsupported protocol version', fetch(`${server.url}/socket.io/?EIO=9&transport=polling`), 400);
    expect(failures).toEqual([]);
  });
});

describe('headers on refused Yjs upgrades', () => {
  it('the raw answers refusing a /yjs/ upgrade carry nosniff and Referrer-Policy', async () => {
    const minutes = `/yjs/${encodeURIComponent(`meeting:${ids.meetingIds[0]}:minutes`)}`;
    const refusals: Array<[string, string, Record<string, string>, number]> = [
      ['signed out', minutes, {}, 401],
      ['foreign origin', minutes, { cookie, origin: 'https://evil.example' }, 403],
      ['no such document', `/yjs/${encodeURIComponent('meeting:no-such-meeting:minutes')}`, { cookie }, 404],
      ['undecodable name', '/yjs/%E0%A4%A', { cookie }, 404],
    ];
    const failures: string[] = [];
    for (const [label, path, headers, status] of refusals) {
      const res = await refusedUpgrade(server.url + path, headers);
      if (res.status !== status) failures.push(`${label}: ${res.status}, expected ${status}`);
      for (const p of commonProblems(res)) failures.push(`${label} (${res.status}): ${p}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('cross-site POSTs to pages and endpoints', () => {
  it('form actions and endpoints refuse a foreign Origin whatever the Content-Type; the own origin gets through', async () => {
    const targets = ['/login', `/networks/${ids.networkId}/meetings?/create`, `/meetings/${ids.meetingIds[0]}`, '/logout', '/locale'];
    const variants: Array<[string, Record<string, string>, BodyInit | undefined]> = [
      ['form', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 'locale=en'],
      ['FORM', { origin: 'https://evil.example', 'content-type': 'APPLICATION/X-WWW-FORM-URLENCODED' }, 'locale=en'],
      ['multipart', { origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=B' }, '--B\r\nContent-Disposition: form-data; name="locale"\r\n\r\nen\r\n--B--\r\n'],
      ['text/plain', { origin: 'https://evil.example', 'content-type': 'Text/Plain' }, 'locale=en'],
      ['no content type', { origin: 'https://evil.example' }, new TextEncoder().encode('locale=en')],
      ['json', { origin: 'https://evil.example', 'content-type': 'application/json' }, '{}'],
      ['null origin', { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, 'locale=en'],
      ['Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, 'locale=en'],
    ];
    const failures: string[] = [];
    for (const target of targets) {
      for (const [label, headers, body] of variants) {
        const res = await fetch(server.url + target, { method: 'POST', headers: { cookie, ...headers }, body, redirect: 'manual' });
        await res.arrayBuffer();
        if (res.status !== 403) failures.push(`${target} [${label}] → ${res.status}`);
        if (res.headers.get('set-cookie')) failures.push(`${target} [${label}] set a cookie`);
      }
    }
    expect(failures).toEqual([]);
    // Still signed in: the cross-site sign-outs did nothing.
    expect((await get('/api/me')).status).toBe(200);
    // The own origin's form post works (the language switch answers with a redirect and a cookie).
    const own = await fetch(`${server.url}/locale`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'locale=en&redirectTo=/',
      redirect: 'manual',
    });
    expect(own.status).toBe(303);
    expect(own.headers.get('set-cookie')).toContain('en');
  });
});

describe('headers on every API route that changes something', () => {
  it('every POST, PUT, PATCH and DELETE route of the OpenAPI document, sent a malformed and an empty JSON body, answers with nosniff, Referrer-Policy and a locked CSP', async () => {
    const doc = await (await get('/api/openapi.json')).json();
    const values: Record<string, string> = { networkId: ids.networkId, providerId: ids.providerId, meetingId: ids.meetingIds[0] };
    const operations = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((method) => ({ method: method.toUpperCase(), path })),
    );
    // A session of its own, signed in wherever a route needs it; the sign-out routes end it, so they come last.
    const session = await signIn(server.url);
    const signsOut = (path: string) => Number(path.startsWith('/api/auth/logout'));
    operations.sort((x, y) => signsOut(x.path) - signsOut(y.path));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const { method, path } of operations) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `${name}-x`));
      for (const body of ['{"', '{}']) {
        const res = await fetch(server.url + url, { method, headers: { cookie: session, 'content-type': 'application/json' }, body, redirect: 'manual' });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${method} ${url} ${body}: ${res.status}`);
        for (const p of [...commonProblems(res), ...cspProblems(res)]) failures.push(`${method} ${url} ${body} (${res.status}): ${p}`);
      }
    }
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
    console.log(`headers: ${operations.length} API routes that change something, ${operations.length * 2} requests (${byStatus})`);
    expect(failures).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(40);
  }, 60_000);
});

describe('served over HTTPS (ORIGIN=https://…)', () => {
  it('pages, static files, the API and socket.io add HSTS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'samspil-https-'));
    const origin = 'https://samspil.example';
    const proc = await startServerProcess({ DATABASE_URL: `file:${join(dir, 'samspil.db')}`, PORT: '0', ORIGIN: origin });
    try {
      const failures: string[] = [];
      for (const path of ['/login', '/favicon.svg', '/api/health', '/api/nope', '/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=4&transport=carrier-pigeon']) {
        const res = await fetch(proc.url + path, { redirect: 'manual' });
        await res.arrayBuffer();
        for (const p of commonProblems(res, true)) failures.push(`${path} (${res.status}): ${p}`);
      }
      expect(failures).toEqual([]);
      // The session cookie is Secure there.
      const login = await fetch(`${proc.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: 'host@jobcenter.example', password: 'samspil-demo' }),
      });
      expect(login.headers.get('set-cookie')).toContain('Secure');
    } finally {
      await proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
