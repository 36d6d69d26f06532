// The public API: health, networks, errors, OpenAPI and cross-site protection, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function otherNetworkHost(): Promise<string> {
  // A second jobcenter with its own network and host, to prove networks are walled off.
  const { db } = server.ctx;
  const at = new Date().toISOString();
  await db.insertInto('organisations').values({ id: 'jc-2', kind: 'jobcenter', name: 'Jobcenter Sydby', short_name: 'Sydby', created_at: at }).execute();
  await db.insertInto('networks').values({ id: 'net-2', name: 'Sydby netværk', host_organisation_id: 'jc-2', target_group: 'x', meeting_cadence_months: 1, activation_requirement_pct: 40, created_at: at }).execute();
  const hash = (await db.selectFrom('users').select('password_hash').where('email', '=', 'host@jobcenter.example').executeTakeFirstOrThrow()).password_hash;
  await db.insertInto('users').values({ id: 'u-2', email: 'host@sydby.example', name: 'Sydby Host', password_hash: hash, locale: 'da', created_at: at, disabled_at: null }).execute();
  await db.insertInto('memberships').values({ id: 'm-2', user_id: 'u-2', network_id: 'net-2', role: 'host', organisation_id: 'jc-2', created_at: at }).execute();
  return server.login('host@sydby.example');
}

describe('the public API', () => {
  it('GET /api/health reports the database', async () => {
    const res = await server.api('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, database: { ok: true, dialect: 'sqlite' } });
  });

  it('GET /api/networks lists the caller’s networks with their role', async () => {
    const cookie = await server.login('bo@provider2.example');
    const body = await (await server.api('/api/networks', { cookie })).json();
    expect(body.networks).toHaveLength(1);
    expect(body.networks[0]).toMatchObject({ id: server.networkId, role: 'provider', host: { kind: 'jobcenter', name: 'Jobcenter Nordby' } });
  });

  it('GET /api/networks/:id shows the jobcenter, the six providers, the next meeting and what the caller may do', async () => {
    const cookie = await server.login('host@jobcenter.example');
    const res = await server.api(`/api/networks/${server.networkId}`, { cookie });
    expect(res.status).toBe(200);
    const n = await res.json();
    expect(n.providers).toHaveLength(6);
    expect(n.providers.map((p: { shortName: string }) => p.shortName)).toEqual(['Karrierebroen', 'Nordlys', 'Fjordhuset', 'Brobyg', 'Vækstpunkt', 'Trinvis']);
    expect(n.nextMeeting).toMatchObject({ status: 'planned' });
    expect(Date.parse(n.nextMeeting.startsAt)).toBeGreaterThan(Date.now());
    expect(n.capabilities).toMatchObject({ role: 'host', runMeetings: true });
  });

  it("a provider sees its own organisation in its capabilities, a viewer may only read", async () => {
    const anna = await server.login('anna@provider1.example');
    const n = await (await server.api(`/api/networks/${server.networkId}`, { cookie: anna })).json();
    expect(n.capabilities.ownProviderId).toBe(n.providers[0].id);
    const viewer = await server.login('viewer@jobcenter.example');
    const v = await (await server.api(`/api/networks/${server.networkId}`, { cookie: viewer })).json();
    expect(v.capabilities).toMatchObject({ role: 'viewer', writeOwnReports: false, writeMinutes: false, readArchive: true });
  });

  it('a host of another network is refused with 403; an unknown network is 404; no sign-in is 401', async () => {
    const other = await otherNetworkHost();
    const res = await server.api(`/api/networks/${server.networkId}`, { cookie: other });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    const own = await (await server.api('/api/networks', { cookie: other })).json();
    expect(own.networks.map((n: { id: string }) => n.id)).toEqual(['net-2']);
    expect((await server.api('/api/networks/does-not-exist', { cookie: other })).status).toBe(404);
    const anon = await server.api(`/api/networks/${server.networkId}`);
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('Sign in') } });
  });

  it('unknown API routes answer JSON 404, never HTML or a stack trace', async () => {
    const res = await server.api('/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('the OpenAPI document describes the public routes and their schemas', async () => {
    const doc = await (await server.api('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/health', '/api/auth/login', '/api/auth/logout', '/api/auth/tokens', '/api/me', '/api/networks', '/api/networks/{networkId}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it('cross-site state-changing requests are refused whatever their content type', async () => {
    const cookie = await server.login('host@jobcenter.example');
    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'TEXT/PLAIN', '']) {
      const headers: Record<string, string> = { origin: 'https://evil.example' };
      if (contentType) headers['content-type'] = contentType;
      const res = await server.api('/api/auth/tokens', { method: 'POST', cookie, headers, body: '{}' });
      expect(res.status, contentType).toBe(403);
    }
    const sameOrigin = await server.api('/api/auth/tokens', { method: 'POST', cookie, headers: { origin: server.url }, body: '{}' });
    expect(sameOrigin.status).toBe(201);
  });

  it('API responses carry protective headers', async () => {
    const res = await server.api('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
