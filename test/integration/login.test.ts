// Sign-in hardening beyond auth.test.ts: rate limits per account and per address, no timing or
// message difference between an unknown email and a wrong password, session rotation, sign-out
// everywhere, and revoking a session or token closing its open Yjs and socket.io connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword, hashPassword } from '../../realtime/auth/password.ts';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { connected, eventually, liveClient, yjsClient, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const login = (server: TestServer, email: string, password: string, headers: Record<string, string> = {}) =>
  server.api('/api/auth/login', { method: 'POST', headers, body: JSON.stringify({ email, password }) });

describe('sign-in rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('per account: after 10 failures the account answers 429 with Retry-After, even to the right password; other accounts are unaffected', async () => {
    for (let i = 0; i < 10; i++) expect((await login(server, 'anna@provider1.example', `wrong-${i}`)).status).toBe(401);
    for (const password of ['wrong-again', 'samspil-demo']) {
      const res = await login(server, 'Anna@Provider1.example', password);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect((await res.json()).error).toEqual({ code: 'rate_limited', message: expect.stringMatching(/Too many failed sign-ins/) });
    }
    // An unknown email is limited the same way (the limit does not tell who exists).
    for (let i = 0; i < 10; i++) expect((await login(server, 'ghost@jobcenter.example', `wrong-${i}`)).status).toBe(401);
    expect((await login(server, 'ghost@jobcenter.example', 'x')).status).toBe(429);
    expect((await login(server, 'bo@provider2.example', 'samspil-demo')).status).toBe(200);
  });

  it('per address: after 100 failures from one address, every account is refused from it', async () => {
    // 20 failures so far from 127.0.0.1 (the test above; answers of 429 are not failures); spread the rest over many accounts.
    for (let i = 0; i < 80; i++) expect((await login(server, `spray-${i}@example.org`, 'guess')).status).toBe(401);
    const res = await login(server, 'carl@provider1.example', 'samspil-demo');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  }, 180_000);
});

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`sign-in limits shared by instances, on ${dialect}`, () => {
    let a: TestServer;
    let b: TestServer;
    beforeAll(async () => {
      a = await startTestServer({ dialect });
      // A second instance on the same database, as behind a load balancer.
      b = await startTestServer({ database: a.database });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('failures spread over two instances count together: 5 + 5 wrong passwords close the account on both', async () => {
      for (let i = 0; i < 5; i++) expect((await login(a, 'emil@provider4.example', `wrong-a-${i}`)).status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await login(b, 'emil@provider4.example', `wrong-b-${i}`)).status).toBe(401);
      for (const server of [a, b]) expect((await login(server, 'emil@provider4.example', 'samspil-demo')).status).toBe(429);
      // Stored under hashes: no email or address of the attempts is in the table.
      const rows = await a.ctx.db.selectFrom('sign_in_failures').selectAll().execute();
      expect(rows.length).toBe(20); // ten per account key, ten per address key
      expect(JSON.stringify(rows)).not.toMatch(/emil|provider4|127\.0\.0\.1/);
    });

    it('once the window has passed, the account signs in again and the old failures are forgotten', async () => {
      a.advanceClock(15 * 60_000 + 1000);
      expect((await login(a, 'emil@provider4.example', 'samspil-demo')).status).toBe(200);
      // The next failure (any account) drops every failure older than the window.
      expect((await login(a, 'frida@provider5.example', 'wrong')).status).toBe(401);
      const left = await a.ctx.db.selectFrom('sign_in_failures').selectAll().execute();
      expect(left.length).toBe(2); // frida's account and the address, just now
    });
  });
}

describe('sign-in answers and sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an unknown email, a wrong password and a disabled account get byte-identical answers', async () => {
    await server.ctx.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('email', '=', 'viewer@jobcenter.example').execute();
    const answers = [];
    for (const [email, password] of [
      ['host@jobcenter.example', 'wrong'],
      ['nobody@jobcenter.example', 'wrong'],
      ['viewer@jobcenter.example', 'samspil-demo'],
    ]) {
      const res = await login(server, email, password);
      answers.push({ status: res.status, type: res.headers.get('content-type'), cookie: res.headers.get('set-cookie'), body: await res.text() });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]).toEqual({ status: 401, type: expect.stringContaining('application/json'), cookie: null, body: '{"error":{"code":"unauthenticated","message":"Wrong email or password."}}' });
  });

  it('an unknown email costs as much time as a wrong password (one scrypt either way)', async () => {
    const time = async (email: string) => {
      const start = performance.now();
      await login(server, email, 'not-the-password');
      return performance.now() - start;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so load from elsewhere falls on both; distinct accounts keep clear of the limit.
    for (let i = 0; i < 4; i++) {
      known.push(await time(['carl@provider1.example', 'dorte@provider3.example', 'emil@provider4.example', 'gustav@provider6.example'][i]));
      unknown.push(await time(`nobody-${i}@jobcenter.example`));
    }
    // Without the dummy scrypt an unknown email would answer in a millisecond or two.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('passwords are compared in constant time on the derived key, and odd stored hashes are refused, not thrown', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterz', stored)).toBe(false);
    const [, n, r, p, salt] = stored.split('$');
    expect(await verifyPassword('correct horse battery', ['scrypt', n, r, p, salt, 'c2hvcnQ'].join('$'))).toBe(false); // a shorter key
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('signing in with a session cookie already set ends that session and issues a new id (no fixation)', async () => {
    const old = await server.login('bo@provider2.example');
    const res = await login(server, 'bo@provider2.example', 'samspil-demo', { cookie: old });
    expect(res.status).toBe(200);
    const fresh = res.headers.get('set-cookie')!.split(';')[0];
    expect(fresh).not.toBe(old);
    expect((await server.api('/api/me', { cookie: old })).status).toBe(401);
    expect((await server.api('/api/me', { cookie: fresh })).status).toBe(200);
    // A value the attacker planted is never adopted.
    const planted = 'samspil_session=planted-by-attacker-0123456789abcdefghijklmnopqrstuvwxyz';
    const again = await login(server, 'bo@provider2.example', 'samspil-demo', { cookie: planted });
    expect(again.headers.get('set-cookie')).not.toContain('planted-by-attacker');
    expect((await server.api('/api/me', { cookie: planted })).status).toBe(401);
  });
});

describe('ending sessions closes their live connections', () => {
  let server: TestServer;
  let minutes: string;
  const opened: Array<{ destroy(): void }> = [];
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    const host = await server.login('host@jobcenter.example');
    const network = await (await server.api(`/api/networks/${server.networkId}`, { cookie: host })).json();
    minutes = `meeting:${network.nextMeeting.id}:minutes`;
  });
  afterAll(async () => {
    for (const c of opened) c.destroy();
    for (const s of sockets) s.close();
    await server?.close();
  });

  /** A Yjs and a socket.io connection opened with this credential, and how each ended. */
  async function open(auth: { cookie?: string; token?: string }) {
    const yjs = yjsClient(server.url, minutes, auth);
    opened.push(yjs);
    const closes: number[] = [];
    yjs.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    await yjs.synced();
    const socket = liveClient(server.url, auth);
    sockets.push(socket);
    await connected(socket);
    const reasons: string[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    return {
      closedBySignOut: () => closes.includes(YjsCloseCode.sessionRevoked) && reasons.includes('io server disconnect'),
      open: () => yjs.provider.wsconnected && socket.connected,
      stop: () => {
        yjs.provider.disconnect();
        socket.close();
      },
    };
  }

  it('revoking an API token closes the Yjs and socket.io connections opened with it, and only those', async () => {
    const cookie = await server.login('host@jobcenter.example');
    const created = await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{"name":"live"}' })).json();
    const viaToken = await open({ token: created.token });
    const viaCookie = await open({ cookie });
    expect((await server.api(`/api/auth/tokens/${created.id}`, { method: 'DELETE', cookie })).status).toBe(204);
    await eventually(viaToken.closedBySignOut, 'the token connections to close with 4410 / server disconnect');
    expect(viaCookie.open()).toBe(true);
    viaToken.stop();
    viaCookie.stop();
  });

  it('signing out closes that session’s connections; a password change closes the other sessions’ ones', async () => {
    const a = await server.login('anna@provider1.example');
    const b = await server.login('anna@provider1.example');
    const liveA = await open({ cookie: a });
    const liveB = await open({ cookie: b });
    expect((await server.api('/api/auth/logout', { method: 'POST', cookie: a })).status).toBe(204);
    await eventually(liveA.closedBySignOut, 'the signed-out session to be disconnected');
    expect(liveB.open()).toBe(true);

    const c = await server.login('anna@provider1.example');
    const liveC = await open({ cookie: c });
    const changed = await server.api('/api/auth/password', { method: 'POST', cookie: c, body: JSON.stringify({ currentPassword: 'samspil-demo', newPassword: 'another-long-password' }) });
    expect(changed.status).toBe(204);
    await eventually(liveB.closedBySignOut, 'the other session to be disconnected');
    expect(liveC.open()).toBe(true);
    for (const l of [liveA, liveB, liveC]) l.stop();
  });

  it('sign-out everywhere ends every session and closes all their connections; tokens stay', async () => {
    const sessions = [await server.login('bo@provider2.example'), await server.login('bo@provider2.example'), await server.login('bo@provider2.example')];
    const token = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie: sessions[0], body: '{"name":"script"}' })).json()).token;
    const live = await Promise.all(sessions.map((cookie) => open({ cookie })));
    const viaToken = await open({ token });

    const res = await server.api('/api/auth/logout-everywhere', { method: 'POST', cookie: sessions[1] });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');
    for (const l of live) await eventually(l.closedBySignOut, 'every session connection to close');
    for (const cookie of sessions) expect((await server.api('/api/me', { cookie })).status).toBe(401);
    expect(viaToken.open()).toBe(true);
    expect((await server.api('/api/me', { token })).status).toBe(200);
    // Needs a sign-in; cross-site it is refused like every other state change.
    expect((await server.api('/api/auth/logout-everywhere', { method: 'POST' })).status).toBe(401);
    expect((await server.api('/api/auth/logout-everywhere', { method: 'POST', token, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    for (const l of [...live, viaToken]) l.stop();
  });
});
