// Cross-site request forgery and WebSocket hijacking, exhaustively: every state-changing route of the
// OpenAPI document is sent cross-site with every Content-Type a browser can produce without CORS
// (and spelled oddly), and refused with nothing changed; JSON routes take only application/json;
// WebSocket upgrades (Yjs and socket.io) from foreign origins are refused, allowed ones accepted.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { connected, rawUpgrade, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let hostCookie: string;
let hostToken: string;
let tokenId: string;
/** Real ids for path parameters, so a request that got through would act on real data. */
let params: Record<string, string>;
let routes: Array<{ method: string; path: string; jsonBody: boolean }>;

const EVIL = 'https://evil.example';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

beforeAll(async () => {
  server = await startTestServer();
  hostCookie = await server.login('host@jobcenter.example');
  const created = await (await server.api('/api/auth/tokens', { method: 'POST', cookie: hostCookie, body: '{"name":"csrf"}' })).json();
  hostToken = created.token;
  tokenId = created.id;
  const network = await (await server.api(`/api/networks/${server.networkId}`, { cookie: hostCookie })).json();
  params = {
    networkId: server.networkId,
    providerId: network.providers[0].id,
    meetingId: network.nextMeeting.id,
    tokenId,
    month: '2026-01',
    visitId: 'visit-x',
    actionId: 'action-x',
    contractId: 'contract-x',
    commitmentId: 'commitment-x',
    id: 'notification-x',
    entryId: 'entry-x',
    feedId: 'feed-x',
  };
  const doc = await (await server.api('/api/openapi.json')).json();
  routes = [];
  for (const [path, operations] of Object.entries<Record<string, { requestBody?: { content: Record<string, unknown> } }>>(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!STATE_CHANGING.has(method.toUpperCase())) continue;
      const concrete = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        // A parameter without a real value still reaches the guard, which must refuse before any lookup.
        return encodeURIComponent(params[name] ?? `${name}-x`);
      });
      routes.push({ method: method.toUpperCase(), path: concrete, jsonBody: Boolean(op.requestBody?.content['application/json']) });
    }
  }
});
afterAll(async () => {
  await server?.close();
});

/** Every row of every table, to prove a refused request changed nothing. */
async function snapshot(): Promise<string> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(server.ctx.db);
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables.rows) out[name] = (await sql`select * from ${sql.table(name)}`.execute(server.ctx.db)).rows;
  return JSON.stringify(out);
}

function send(method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array) {
  return fetch(server.url + path, { method, headers: { cookie: hostCookie, ...headers }, body: body as BodyInit | undefined, redirect: 'manual' });
}

/** What a foreign page can make a browser send, plus spellings that have bypassed other frameworks. */
const crossSite = (): Array<{ label: string; headers: Record<string, string>; body?: string | Uint8Array }> => [
  { label: 'text/plain', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: '{"name":"x"}' },
  { label: 'TEXT/PLAIN', headers: { origin: EVIL, 'content-type': 'TEXT/PLAIN;charset=UTF-8' }, body: '{"name":"x"}' },
  { label: 'form-urlencoded', headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' },
  { label: 'Form-Urlencoded', headers: { origin: EVIL, 'content-type': 'Application/X-WWW-Form-Urlencoded' }, body: 'name=x' },
  { label: 'multipart', headers: { origin: EVIL, 'content-type': 'multipart/form-data; boundary=B' }, body: '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--B--\r\n' },
  { label: 'MULTIPART', headers: { origin: EVIL, 'content-type': 'MULTIPART/FORM-DATA; boundary=B' }, body: '--B\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--B--\r\n' },
  { label: 'no content type', headers: { origin: EVIL }, body: new TextEncoder().encode('{"name":"x"}') },
  { label: 'no body', headers: { origin: EVIL } },
  { label: 'application/json', headers: { origin: EVIL, 'content-type': 'application/json' }, body: '{"name":"x"}' },
  { label: 'Application/JSON; charset=utf-8', headers: { origin: EVIL, 'content-type': 'Application/JSON; charset=utf-8' }, body: '{"name":"x"}' },
  { label: 'Origin: null', headers: { origin: 'null', 'content-type': 'text/plain' }, body: '{"name":"x"}' },
  { label: 'look-alike origin', headers: { origin: `${server.url}.evil.example`, 'content-type': 'text/plain' }, body: '{}' },
  { label: 'Sec-Fetch-Site without Origin', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, body: '{"name":"x"}' },
  { label: 'Sec-Fetch-Site, JSON, without Origin', headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, body: '{"name":"x"}' },
];

describe('CSRF on the API', () => {
  it('the OpenAPI document lists the state-changing routes this test covers', () => {
    expect(routes.length).toBeGreaterThanOrEqual(35);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/auth/login', jsonBody: true });
    expect(routes.some((r) => r.path.endsWith('/reports/import'))).toBe(true);
  });

  it('every state-changing route refuses every cross-site variant with 403, and nothing changes', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    let sent = 0;
    const variants = crossSite();
    for (const route of routes) {
      for (const variant of variants) {
        const res = await send(route.method, route.path, variant.headers, variant.body);
        sent++;
        if (res.status !== 403) failures.push(`${route.method} ${route.path} [${variant.label}] → ${res.status}`);
        else {
          const body = await res.json();
          if (body.error?.code !== 'forbidden') failures.push(`${route.method} ${route.path} [${variant.label}] → ${JSON.stringify(body)}`);
        }
        expect(res.headers.get('set-cookie'), `${route.method} ${route.path}`).toBeNull();
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBe(routes.length * variants.length);
    expect(await snapshot()).toBe(before);
    // The session and the token still work: nothing was signed out or revoked.
    expect((await server.api('/api/me', { cookie: hostCookie })).status).toBe(200);
    expect((await server.api('/api/me', { token: hostToken })).status).toBe(200);
  });

  it('same-origin requests to JSON routes with any other body type get 415 with a clear message, and nothing changes', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const variants: Array<[string, Record<string, string>, string | Uint8Array]> = [
      ['text/plain', { 'content-type': 'text/plain' }, '{"name":"x"}'],
      ['form', { 'content-type': 'application/x-www-form-urlencoded' }, 'name=x'],
      ['multipart', { 'content-type': 'multipart/form-data; boundary=B' }, '--B--\r\n'],
      ['none', {}, new TextEncoder().encode('{"name":"x"}')],
      ['json look-alike', { 'content-type': 'application/jsonx' }, '{"name":"x"}'],
      ['text/json', { 'content-type': 'text/json' }, '{"name":"x"}'],
    ];
    const jsonRoutes = routes.filter((r) => !r.path.endsWith('/import'));
    for (const route of jsonRoutes) {
      for (const [label, headers, body] of variants) {
        const res = await send(route.method, route.path, { origin: server.url, ...headers }, body);
        const text = await res.text();
        if (res.status !== 415 || !text.includes('Content-Type: application/json')) failures.push(`${route.method} ${route.path} [${label}] → ${res.status} ${text}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
    const one = await send('POST', '/api/auth/tokens', { origin: server.url, 'content-type': 'text/plain' }, '{}');
    expect(await one.json()).toEqual({
      error: { code: 'bad_request', message: 'Send the request body as JSON with Content-Type: application/json (got "text/plain").' },
    });
  });

  it('application/json is accepted whatever its case or parameters, from the same origin and from scripts', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'APPLICATION/JSON']) {
      const res = await send('POST', '/api/auth/tokens', { origin: server.url, 'content-type': type }, '{"name":"case"}');
      expect(res.status, type).toBe(201);
      expect((await res.json()).name).toBe('case');
    }
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'Application/Json' },
      body: JSON.stringify({ email: 'viewer@jobcenter.example', password: 'samspil-demo' }),
    });
    expect(login.status).toBe(200);
    // Body-less actions need no Content-Type at all.
    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { origin: server.url } });
    expect(logout.status).toBe(204);
  });

  it('file imports keep their CSV and XLSX types (not JSON) from the same origin', async () => {
    const anna = await server.login('anna@provider1.example');
    const path = `/api/networks/${server.networkId}/providers/${params.providerId}/reports/import`;
    const csv = await fetch(server.url + path, { method: 'POST', headers: { cookie: anna, origin: server.url, 'content-type': 'text/csv' }, body: 'month,referred\n' });
    expect(csv.status).not.toBe(415);
    expect(csv.status).not.toBe(403);
    const odd = await fetch(server.url + path, { method: 'POST', headers: { cookie: anna, origin: server.url, 'content-type': 'image/png' }, body: 'x' });
    expect(odd.status).toBe(400);
    expect((await odd.json()).error.message).toContain('text/csv');
  });
});

describe('WebSocket hijacking (CSWSH)', () => {
  const ws = () => server.url.replace('http', 'ws');
  const minutes = () => `${ws()}/yjs/${encodeURIComponent(`meeting:${params.meetingId}:minutes`)}`;

  it('Yjs: a foreign, null or look-alike Origin is refused with 403 before any byte, even with a valid session; the own origin and scripts are accepted', async () => {
    for (const origin of [EVIL, 'null', `${server.url}.evil.example`, 'http://127.0.0.1.evil.example', 'not a url']) {
      expect(await rawUpgrade(minutes(), { origin, cookie: hostCookie }), origin).toEqual({ status: 403, received: 0 });
      expect(await rawUpgrade(`${minutes()}?token=${hostToken}`, { origin }), origin).toEqual({ status: 403, received: 0 });
    }
    const own = await rawUpgrade(minutes(), { origin: server.url, cookie: hostCookie });
    expect(own.status).toBe(101);
    expect(own.received).toBeGreaterThan(0);
    const script = await rawUpgrade(`${minutes()}?token=${hostToken}`);
    expect(script.status).toBe(101);
  });

  it('Yjs: an origin on the configured allow-list is accepted', async () => {
    server.ctx.config.allowedOrigins.push('https://app.samspil.example');
    try {
      const res = await rawUpgrade(minutes(), { origin: 'https://app.samspil.example', cookie: hostCookie });
      expect(res.status).toBe(101);
    } finally {
      server.ctx.config.allowedOrigins.pop();
    }
  });

  it('socket.io: a foreign Origin is refused at the handshake (websocket and polling), the own origin accepted', async () => {
    // The raw websocket transport, as a browser page on evil.example would open it.
    // (engine.io answers a refused upgrade with 400 "Forbidden", a refused polling handshake with 403.)
    const raw = await rawUpgrade(`${ws()}/socket.io/?EIO=4&transport=websocket`, { origin: EVIL, cookie: hostCookie });
    expect(raw).toEqual({ status: 400, received: 0 });
    const rawOwn = await rawUpgrade(`${ws()}/socket.io/?EIO=4&transport=websocket`, { origin: server.url, cookie: hostCookie });
    expect(rawOwn.status).toBe(101);
    // Long-polling handshake.
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: EVIL, cookie: hostCookie } });
    expect(polling.status).toBe(403);
    expect(polling.headers.get('access-control-allow-origin')).not.toBe(EVIL);
    const pollingOwn = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: server.url, cookie: hostCookie } });
    expect(pollingOwn.status).toBe(200);

    // And a real client: refused with a foreign origin, connected with its own.
    const client = (origin: string): LiveClient =>
      io(server.url, { transports: ['websocket'], extraHeaders: { cookie: hostCookie, origin }, reconnection: false, forceNew: true });
    const evil = client(EVIL);
    await expect(connected(evil)).rejects.toThrow();
    evil.close();
    const own = client(server.url);
    await connected(own);
    own.close();
  });
});
