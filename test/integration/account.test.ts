// A person's own account: name, language and sign-in sessions, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connected, eventually, liveClient } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`the account on ${dialect}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => {
      await server?.close();
    });

    const patch = (cookie: string, body: unknown) => server.api('/api/me', { method: 'PATCH', cookie, body: JSON.stringify(body) });
    const sessions = async (cookie: string) => {
      const res = await server.api('/api/me/sessions', { cookie });
      expect(res.status).toBe(200);
      return (await res.json()).sessions as Array<{ id: string; createdAt: string; lastSeenAt: string; current: boolean; userAgent: string | null }>;
    };

    it('a person changes their own name and language, and /api/me says so', async () => {
      const cookie = await server.login('carl@provider1.example');
      const res = await patch(cookie, { name: '  Carl Nørgaard ', locale: 'en' });
      expect(res.status).toBe(200);
      expect((await res.json()).user).toEqual(expect.objectContaining({ name: 'Carl Nørgaard', locale: 'en' }));
      expect((await (await server.api('/api/me', { cookie })).json()).user).toEqual(expect.objectContaining({ name: 'Carl Nørgaard', locale: 'en' }));
      expect((await (await patch(cookie, { locale: 'da' })).json()).user).toEqual(expect.objectContaining({ name: 'Carl Nørgaard', locale: 'da' }));
    });

    it('a bad name or language is refused naming the field, and nothing changes', async () => {
      const cookie = await server.login('bo@provider2.example');
      for (const [body, path] of [
        [{ name: '   ' }, 'name'],
        [{ name: 'Bo 010190-1236' }, 'name'],
        [{ locale: 'fr' }, 'locale'],
        [{ name: 'x'.repeat(201) }, 'name'],
      ] as const) {
        const res = await patch(cookie, body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect((await res.json()).error.issues.map((i: { path: string }) => i.path)).toEqual([path]);
      }
      const empty = await patch(cookie, {});
      expect(empty.status).toBe(422);
      expect((await (await server.api('/api/me', { cookie })).json()).user.name).toBe('Bo Kjær');
    });

    it('the CPR refusal says what is wrong', async () => {
      const cookie = await server.login('bo@provider2.example');
      const body = await (await patch(cookie, { name: 'Bo 010190-1236' })).json();
      expect(body.error.issues[0].message).toMatch(/CPR number/);
    });

    it('without signing in there is no account to change or list', async () => {
      expect((await server.api('/api/me', { method: 'PATCH', body: JSON.stringify({ name: 'X' }) })).status).toBe(401);
      expect((await server.api('/api/me/sessions')).status).toBe(401);
      expect((await server.api('/api/me/sessions/abc', { method: 'DELETE' })).status).toBe(401);
    });

    it('the sessions list shows each live session once, marks the caller, and shows no credential hash', async () => {
      const email = 'dorthe@provider3.example';
      const [a, b] = [await server.login(email), await server.login(email)];
      const list = await sessions(a);
      expect(list).toHaveLength(2);
      expect(list.filter((s) => s.current)).toHaveLength(1);
      const hashes = [a, b].map((c) => sha256(c.split('=')[1]));
      for (const s of list) expect(hashes).not.toContain(s.id);
      // Asked with an API token, none of the sessions is the caller's.
      const tokenList = await server.api('/api/me/sessions', { token: await server.tokenOf(email) });
      expect(((await tokenList.json()).sessions as Array<{ current: boolean }>).every((s) => !s.current)).toBe(true);
    });

    it('each session says which browser signed it in', async () => {
      const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
      const res = await server.api('/api/auth/login', { method: 'POST', headers: { 'user-agent': ua }, body: JSON.stringify({ email: 'host@jobcenter.example', password: 'samspil-demo' }) });
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      expect((await sessions(cookie)).find((s) => s.current)).toEqual(expect.objectContaining({ userAgent: ua }));
    });

    it('a person signs out one other session; it is gone at once and the caller stays', async () => {
      const email = 'frida@provider5.example';
      const [mine, other] = [await server.login(email), await server.login(email)];
      const target = (await sessions(mine)).find((s) => !s.current)!;
      const [theirs, ours] = [liveClient(server.url, { cookie: other }), liveClient(server.url, { cookie: mine })];
      await Promise.all([connected(theirs), connected(ours)]);
      let closed = '';
      theirs.on('disconnect', (reason) => (closed = reason));
      expect((await server.api(`/api/me/sessions/${target.id}`, { method: 'DELETE', cookie: mine })).status).toBe(204);
      await eventually(() => closed === 'io server disconnect', "the signed-out session's live connection to close");
      expect(ours.connected).toBe(true);
      theirs.close();
      ours.close();
      expect((await server.api('/api/me', { cookie: other })).status).toBe(401);
      expect((await server.api('/api/me', { cookie: mine })).status).toBe(200);
      expect((await sessions(mine)).map((s) => s.current)).toEqual([true]);
      expect((await server.api(`/api/me/sessions/${target.id}`, { method: 'DELETE', cookie: mine })).status).toBe(404);
    });

    it("another person's session id is no session of yours: 404, and it stays signed in", async () => {
      const theirs = await server.login('emil@provider4.example');
      const theirId = (await sessions(theirs)).find((s) => s.current)!.id;
      const res = await server.api(`/api/me/sessions/${theirId}`, { method: 'DELETE', cookie: await server.login('gustav@provider6.example') });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
      expect((await server.api('/api/me', { cookie: theirs })).status).toBe(200);
    });

    it('"sign out of the others" ends every other session and keeps this one', async () => {
      const email = 'viewer@jobcenter.example';
      const others = [await server.login(email), await server.login(email)];
      const mine = await server.login(email);
      expect((await server.api('/api/me/sessions', { method: 'DELETE', cookie: mine })).status).toBe(204);
      for (const cookie of others) expect((await server.api('/api/me', { cookie })).status).toBe(401);
      expect((await sessions(mine)).map((s) => s.current)).toEqual([true]);
    });
  });
}
