// Sign-in, sessions, sign-out and API tokens over real HTTP, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`sign-in and tokens on ${dialect}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('signing in sets an HttpOnly, SameSite=Lax session cookie and answers who you are', async () => {
      const res = await server.api('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email: 'Host@Jobcenter.example', password: 'samspil-demo' }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^samspil_session=[A-Za-z0-9_-]{40,};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).not.toContain('Secure'); // plain HTTP here
      const me = await res.json();
      expect(me.user.email).toBe('host@jobcenter.example');
      expect(me.memberships).toEqual([expect.objectContaining({ role: 'host', networkId: server.networkId })]);
    });

    it('a wrong password or unknown email gets the same 401 with a clear message', async () => {
      for (const body of [
        { email: 'host@jobcenter.example', password: 'wrong' },
        { email: 'nobody@jobcenter.example', password: 'samspil-demo' },
      ]) {
        const res = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify(body) });
        expect(res.status).toBe(401);
        expect(res.headers.get('set-cookie')).toBeNull();
        expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Wrong email or password.' } });
      }
    });

    it('an invalid body gets 422 naming each bad field; unreadable JSON gets 400', async () => {
      const res = await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: 'not-an-email' }) });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'password']);
      const broken = await server.api('/api/auth/login', { method: 'POST', body: '{"email":' });
      expect(broken.status).toBe(400);
      expect((await broken.json()).error.code).toBe('bad_request');
    });

    it('the session cookie identifies the user until sign-out, and not after', async () => {
      const cookie = await server.login('anna@provider1.example');
      const me = await server.api('/api/me', { cookie });
      expect(me.status).toBe(200);
      expect((await me.json()).user.name).toBe('Anna Holm');
      const out = await server.api('/api/auth/logout', { method: 'POST', cookie });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
      expect((await server.api('/api/me', { cookie })).status).toBe(401);
    });

    it('each sign-in gets a new session id', async () => {
      const first = await server.login('bo@provider2.example');
      const second = await server.login('bo@provider2.example');
      expect(first).not.toBe(second);
    });

    it('a session expires after its time to live', async () => {
      const cookie = await server.login('viewer@jobcenter.example');
      expect((await server.api('/api/me', { cookie })).status).toBe(200);
      server.advanceClock(13 * 3600_000);
      const res = await server.api('/api/me', { cookie });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthenticated');
    });

    it("an API token carries its user's rights, is listed without its secret, and stops working when revoked", async () => {
      const cookie = await server.login('carl@provider1.example');
      const created = await server.api('/api/auth/tokens', { method: 'POST', cookie, body: JSON.stringify({ name: 'monthly import' }) });
      expect(created.status).toBe(201);
      const { token, id } = await created.json();
      expect(token).toMatch(/^sp_/);

      const me = await server.api('/api/me', { token });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: 'carl@provider1.example' }, via: 'token' });

      const list = await (await server.api('/api/auth/tokens', { token })).json();
      expect(list.tokens).toEqual([expect.objectContaining({ id, name: 'monthly import', revokedAt: null })]);
      expect(JSON.stringify(list)).not.toContain(token);

      expect((await server.api(`/api/auth/tokens/${id}`, { method: 'DELETE', cookie })).status).toBe(204);
      expect((await server.api('/api/me', { token })).status).toBe(401);
      expect((await server.api(`/api/auth/tokens/${id}`, { method: 'DELETE', cookie })).status).toBe(404);
    });

    it('changing the password needs the current one, signs out other sessions, and the new one works', async () => {
      const here = await server.login('frida@provider5.example');
      const elsewhere = await server.login('frida@provider5.example');
      const wrong = await server.api('/api/auth/password', { method: 'POST', cookie: here, body: JSON.stringify({ currentPassword: 'nope', newPassword: 'a-much-longer-password' }) });
      expect(wrong.status).toBe(403);
      const short = await server.api('/api/auth/password', { method: 'POST', cookie: here, body: JSON.stringify({ currentPassword: 'samspil-demo', newPassword: 'short' }) });
      expect(short.status).toBe(422);
      expect((await short.json()).error.issues).toEqual([{ path: 'newPassword', message: 'Use at least 12 characters' }]);
      const common = await server.api('/api/auth/password', { method: 'POST', cookie: here, body: JSON.stringify({ currentPassword: 'samspil-demo', newPassword: 'Password2024!' }) });
      expect(common.status).toBe(422);
      expect((await common.json()).error.issues[0]).toMatchObject({ path: 'newPassword', message: expect.stringContaining('most common') });
      const ok = await server.api('/api/auth/password', { method: 'POST', cookie: here, body: JSON.stringify({ currentPassword: 'samspil-demo', newPassword: 'a-much-longer-password' }) });
      expect(ok.status).toBe(204);
      expect((await server.api('/api/me', { cookie: here })).status).toBe(200);
      expect((await server.api('/api/me', { cookie: elsewhere })).status).toBe(401);
      await expect(server.login('frida@provider5.example')).rejects.toThrow(/401/);
      expect(await server.login('frida@provider5.example', 'a-much-longer-password')).toMatch(/^samspil_session=/);
    });

    it('tokens cannot be created without signing in', async () => {
      const res = await server.api('/api/auth/tokens', { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
    });
  });
}
