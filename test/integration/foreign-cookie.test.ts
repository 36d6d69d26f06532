// Finding F1: the browser sends every cookie of the domain, other sites' too. One that is not valid
// percent-encoding (an analytics cookie's `50%off`) must not cost anyone the API, the live socket or
// a co-edited document; a malformed session cookie is simply no session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, liveClient, rawUpgrade, yjsClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FOREIGN = 'analytics=50%off';

let server: TestServer;
let session: string;
let minutes: string;

beforeAll(async () => {
  server = await startTestServer();
  session = await server.login('host@jobcenter.example');
  const network = await (await server.api(`/api/networks/${server.networkId}`, { cookie: session })).json();
  minutes = `meeting:${network.nextMeeting.id}:minutes`;
});
afterAll(async () => {
  await server?.close();
});

describe("another site's undecodable cookie next to the session cookie", () => {
  it('/api/health answers', async () => {
    const res = await server.api('/api/health', { cookie: `${FOREIGN}; ${session}` });
    expect(res.status).toBe(200);
  });

  it('/api/me knows who is signed in, whichever side of the session cookie it is on', async () => {
    for (const cookie of [`${FOREIGN}; ${session}`, `${session}; ${FOREIGN}`]) {
      const res = await server.api('/api/me', { cookie });
      expect(res.status, cookie).toBe(200);
      expect((await res.json()).user.email).toBe('host@jobcenter.example');
    }
  });

  it('signing in works, and so does signing out', async () => {
    const login = await server.api('/api/auth/login', {
      method: 'POST',
      cookie: FOREIGN,
      body: JSON.stringify({ email: 'viewer@jobcenter.example', password: 'samspil-demo' }),
    });
    expect(login.status).toBe(200);
    const viewer = login.headers.get('set-cookie')!.split(';')[0];
    const logout = await server.api('/api/auth/logout', { method: 'POST', cookie: `${FOREIGN}; ${viewer}`, headers: { origin: server.url } });
    expect(logout.status).toBe(204);
    expect((await server.api('/api/me', { cookie: viewer })).status).toBe(401);
  });

  it('socket.io connects', async () => {
    const socket = liveClient(server.url, { cookie: `${FOREIGN}; ${session}` });
    try {
      await connected(socket);
    } finally {
      socket.close();
    }
  });

  it('a Yjs document upgrades and syncs', async () => {
    const client = yjsClient(server.url, minutes, { cookie: `${FOREIGN}; ${session}` });
    try {
      await client.synced();
    } finally {
      client.destroy();
    }
  });
});

describe('a malformed session cookie', () => {
  it('is no session: 401 on /api/me, a refused Yjs upgrade, health unaffected', async () => {
    const cookie = 'samspil_session=%E0%A4%A';
    expect((await server.api('/api/me', { cookie })).status).toBe(401);
    expect((await server.api('/api/health', { cookie })).status).toBe(200);
    const ws = `${server.url.replace('http', 'ws')}/yjs/${encodeURIComponent(minutes)}`;
    expect(await rawUpgrade(ws, { cookie })).toEqual({ status: 401, received: 0 });
  });
});
