// A forgotten password, reset through the link in a real e-mail, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { PASSWORD_PROBLEM_TEXT } from '../../domain/passwordPolicy.ts';
import type { Logger } from '../../realtime/context.ts';
import { connected, eventually, liveClient } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../helpers/smtp.ts';

const NEW_PASSWORD = 'kaffe-cykel-fjord-lampe';
const LINK = /http:\/\/127\.0\.0\.1:\d+\/password-reset\/([A-Za-z0-9_-]{43})/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every line handed to the logger, unredacted, so a token that reached it is caught. */
function capturingLogger(lines: string[]): Logger {
  const keep = (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f ?? {})}`);
  return { info: keep, warn: keep, error: keep };
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`password reset on ${dialect}`, () => {
    let server: TestServer;
    let catcher: SmtpCatcher;
    const logLines: string[] = [];

    beforeAll(async () => {
      catcher = await startSmtpCatcher();
      server = await startTestServer({ dialect, smtpUrl: catcher.url });
      server.ctx.log = capturingLogger(logLines);
    });
    afterAll(async () => {
      await server?.close();
      await catcher?.close();
    });

    const ask = (email: string) => server.api('/api/auth/password-reset', { method: 'POST', body: JSON.stringify({ email }) });
    /** Asks for a link for `email` and answers the mail it brought (the next one to arrive). */
    async function linkFor(email: string): Promise<{ mail: CaughtMail; token: string; path: string }> {
      const before = catcher.received.length;
      expect((await ask(email)).status).toBe(202);
      const mail = (await catcher.waitFor(before + 1))[before];
      expect(mail.to).toEqual([email.toLowerCase()]);
      const token = mail.text.match(LINK)![1];
      return { mail, token, path: `/api/auth/password-reset/${token}` };
    }

    it('the page can tell that reset links are sent by e-mail', async () => {
      const res = await server.api('/api/auth/password-reset');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ byEmail: true, passwords: true });
    });

    it('an unknown, a disabled and a known address get the same 202; only the known one gets a mail', async () => {
      await server.ctx.db.updateTable('users').set({ disabled_at: new Date().toISOString() }).where('email', '=', 'gustav@provider6.example').execute();
      const before = catcher.received.length;
      const answers = [];
      for (const email of ['nobody@nowhere.example', 'gustav@provider6.example', ' Carl@Provider1.example ']) {
        const res = await ask(email);
        answers.push({ status: res.status, body: await res.json() });
      }
      expect(answers).toEqual([0, 1, 2].map(() => ({ status: 202, body: { byEmail: true, passwords: true } })));
      const mails = await catcher.waitFor(before + 1);
      // The unknown and the disabled address sent nothing (no send was even started), so the one that came is Carl's.
      expect(mails.slice(before).map((m) => m.to)).toEqual([['carl@provider1.example']]);
    });

    it('the mail is in the account language and links to a working, single-use reset; only its hash is stored', async () => {
      const { mail, token, path } = await linkFor('anna@provider1.example');
      expect(mail.subject).toBe('Nulstil din adgangskode til Samspil');
      expect(mail.text).toContain('Hej Anna Holm');
      expect(mail.text).toContain('i en time');
      const stored = await server.ctx.db.selectFrom('password_resets').selectAll().execute();
      expect(stored.some((r) => r.token_hash === sha256(token))).toBe(true);
      expect(JSON.stringify(stored)).not.toContain(token);

      const inspect = await server.api(path);
      expect(inspect.status).toBe(200);
      expect(await inspect.json()).toEqual({ email: 'anna@provider1.example' });

      const done = await server.api(path, { method: 'POST', body: JSON.stringify({ password: NEW_PASSWORD }) });
      expect(done.status).toBe(204);
      await server.login('anna@provider1.example', NEW_PASSWORD);
      await expect(server.login('anna@provider1.example')).rejects.toThrow(/401/);

      for (const again of [await server.api(path), await server.api(path, { method: 'POST', body: JSON.stringify({ password: 'another-long-passphrase' }) })]) {
        expect(again.status).toBe(410);
        const body = await again.json();
        expect(body.error.code).toBe('gone');
        expect(body.error.message).toMatch(/used or has expired/);
      }
      await server.login('anna@provider1.example', NEW_PASSWORD);
    });

    it('an account that chose English gets the mail in English', async () => {
      const cookie = await server.login('bo@provider2.example');
      expect((await server.api('/api/me', { method: 'PATCH', cookie, body: JSON.stringify({ locale: 'en' }) })).status).toBe(200);
      const { mail } = await linkFor('bo@provider2.example');
      expect(mail.subject).toBe('Reset your Samspil password');
      expect(mail.text).toContain('Hello Bo');
    });

    it('a new password that breaks a rule is refused naming the rule, and the link still works', async () => {
      const { path } = await linkFor('dorthe@provider3.example');
      for (const [password, problem] of [['short', 'tooShort'], ['password1234', 'tooCommon'], ['abcabcabcabc', 'repetitive']] as const) {
        const res = await server.api(path, { method: 'POST', body: JSON.stringify({ password }) });
        expect(res.status).toBe(422);
        const body = await res.json();
        expect(body.error.issues).toEqual([{ path: 'password', message: PASSWORD_PROBLEM_TEXT[problem].en }]);
      }
      expect((await server.api(path)).status).toBe(200);
    });

    it('a reset ends every session and API token of the account, and the token reached no log line', async () => {
      const email = 'emil@provider4.example';
      const cookies = [await server.login(email), await server.login(email)];
      const token = await server.tokenOf(email);
      for (const cookie of cookies) expect((await server.api('/api/me', { cookie })).status).toBe(200);
      // Live connections opened with the old session and the token close too.
      const sockets = [liveClient(server.url, { cookie: cookies[0] }), liveClient(server.url, { token })];
      const reasons: string[][] = [[], []];
      for (const [i, socket] of sockets.entries()) {
        await connected(socket);
        socket.on('disconnect', (reason) => reasons[i].push(reason));
      }
      const { token: resetToken, path } = await linkFor(email);
      expect((await server.api(path, { method: 'POST', body: JSON.stringify({ password: NEW_PASSWORD }) })).status).toBe(204);
      await eventually(() => reasons.every((r) => r.includes('io server disconnect')), 'the live connections of the old credentials to close');
      for (const socket of sockets) socket.close();
      for (const cookie of cookies) expect((await server.api('/api/me', { cookie })).status).toBe(401);
      expect((await server.api('/api/me', { token })).status).toBe(401);
      expect(logLines.join('\n')).not.toContain(resetToken);
    });

    it('two tabs sending the same link at once: one sets the password, the other is told the link is used', async () => {
      const { path } = await linkFor('frida@provider5.example');
      const send = (password: string) => server.api(path, { method: 'POST', body: JSON.stringify({ password }) });
      const statuses = (await Promise.all([send('first-long-passphrase'), send('second-long-passphrase')])).map((r) => r.status).sort();
      expect(statuses).toEqual([204, 410]);
    });

    it('a link asked for earlier stops working once another one was used', async () => {
      const first = await linkFor('viewer@jobcenter.example');
      const second = await linkFor('viewer@jobcenter.example');
      expect((await server.api(second.path, { method: 'POST', body: JSON.stringify({ password: NEW_PASSWORD }) })).status).toBe(204);
      expect((await server.api(first.path)).status).toBe(410);
    });

    it('a link stops working when the account is disabled', async () => {
      const { path } = await linkFor('carl@provider1.example');
      const users = server.ctx.db.updateTable('users').where('email', '=', 'carl@provider1.example');
      await users.set({ disabled_at: new Date().toISOString() }).execute();
      expect((await server.api(path)).status).toBe(410);
      expect((await server.api(path, { method: 'POST', body: JSON.stringify({ password: NEW_PASSWORD }) })).status).toBe(410);
      await users.set({ disabled_at: null }).execute();
    });

    it('an unknown link gets 404 with what to do', async () => {
      const res = await server.api(`/api/auth/password-reset/${'x'.repeat(43)}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toMatch(/ask for a new one/);
    });

    it('a link expires after one hour', async () => {
      const { path } = await linkFor('host@jobcenter.example');
      server.advanceClock(59 * 60_000);
      expect((await server.api(path)).status).toBe(200);
      server.advanceClock(2 * 60_000);
      expect((await server.api(path)).status).toBe(410);
      expect((await server.api(path, { method: 'POST', body: JSON.stringify({ password: NEW_PASSWORD }) })).status).toBe(410);
      await server.login('host@jobcenter.example');
    });

    it('requests are limited per address typed, the same for an account and for none', async () => {
      // The clock moved on an hour above: earlier requests are out of the window.
      for (const email of ['carl@provider1.example', 'nobody-else@nowhere.example']) {
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await ask(email)).status);
        expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      }
      const refused = await ask('CARL@provider1.example');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await refused.json()).error.code).toBe('rate_limited');
      // Sign-in is counted apart: asking for links does not lock anyone out.
      await server.login('carl@provider1.example');
    });
  });
}

describe('password reset without SMTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says links are not e-mailed, answers 202 and stores no link', async () => {
    expect(await (await server.api('/api/auth/password-reset')).json()).toEqual({ byEmail: false, passwords: true });
    const res = await server.api('/api/auth/password-reset', { method: 'POST', body: JSON.stringify({ email: 'anna@provider1.example' }) });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ byEmail: false, passwords: true });
    expect(await server.ctx.db.selectFrom('password_resets').selectAll().execute()).toEqual([]);
  });
});

describe('password reset when the mail server refuses', () => {
  it('still answers 202 and logs the failure without the link', async () => {
    const catcher = await startSmtpCatcher(0, { refuse: ['anna@provider1.example'] });
    const server = await startTestServer({ smtpUrl: catcher.url });
    const lines: string[] = [];
    let failed!: () => void;
    const logged = new Promise<void>((resolve) => (failed = resolve));
    server.ctx.log = { info: () => {}, warn: () => {}, error: (m, f) => (lines.push(`${m} ${JSON.stringify(f ?? {})}`), failed()) };
    try {
      const res = await server.api('/api/auth/password-reset', { method: 'POST', body: JSON.stringify({ email: 'anna@provider1.example' }) });
      expect(res.status).toBe(202);
      await logged;
      expect(lines).toEqual([expect.stringContaining('password reset e-mail not sent')]);
      expect(lines[0]).not.toMatch(/password-reset\/|[A-Za-z0-9_-]{43}/);
    } finally {
      await server.close();
      await catcher.close();
    }
  });
});
