// Invitations by e-mail, through a real SMTP server: the link from the received mail opens the
// invitation once, for seven days; only a hash of its token is stored; who may invite whom; accepting
// creates account, membership and session in one go, or adds the membership to an existing account;
// without SMTP, or when sending fails, the host gets the link to pass on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../realtime/auth/password.ts';
import { sha256 } from '../../realtime/auth/identity.ts';
import { insertUser } from '../../db/queries/users.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../helpers/smtp.ts';

const HOST = 'host@jobcenter.example';
const VIEWER = 'viewer@jobcenter.example';
const ANNA = 'anna@provider1.example'; // administrator of provider 1
const CARL = 'carl@provider1.example'; // plain member of provider 1
const GOOD_PASSWORD = 'korrekt hest batteri hæfteklamme';

const tokenIn = (text: string) => {
  const match = text.match(/https?:\/\/\S+\/invitations\/([A-Za-z0-9_-]{43})/);
  if (!match) throw new Error(`no invitation link in: ${text}`);
  return match[1];
};

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`invitations on ${dialect}`, () => {
    let server: TestServer;
    let catcher: SmtpCatcher;
    let net: string;
    let providers: string[];
    let jobcenterId: string;

    const invite = async (as: string, body: Record<string, unknown>) =>
      server.api(`/api/networks/${net}/invitations`, { method: 'POST', cookie: await server.login(as), body: JSON.stringify(body) });
    const mailTo = async (email: string): Promise<CaughtMail> => {
      const until = Date.now() + 10_000;
      for (;;) {
        const found = catcher.received.filter((m) => m.to.includes(email)).at(-1);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no e-mail to ${email}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const accept = (token: string, body: unknown, cookie?: string) => server.api(`/api/invitations/${token}/accept`, { method: 'POST', cookie, body: JSON.stringify(body) });
    const countOf = async (table: 'invitations' | 'users' | 'memberships' | 'audit_log') =>
      Number((await server.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      catcher = await startSmtpCatcher(0, { refuse: ['bounces@nowhere.example'] });
      server = await startTestServer({ dialect, smtpUrl: catcher.url });
      net = server.networkId;
      providers = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', net).orderBy('position').execute()).map((r) => r.organisation_id);
      jobcenterId = (await server.ctx.db.selectFrom('networks').select('host_organisation_id').where('id', '=', net).executeTakeFirstOrThrow()).host_organisation_id;
    });
    afterAll(async () => {
      await Promise.all([server?.close(), catcher?.close()]);
    });

    it('the invited person gets a Danish e-mail naming network, organisation, role and inviter, with a link stored only as a hash', async () => {
      const res = await invite(HOST, { email: '  Nina@Provider1.Example ', role: 'provider', providerId: providers[0] });
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created).toEqual({ id: expect.any(String), expiresAt: expect.any(String), mailStatus: 'sent' });
      expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(7 * 86400_000 - 60_000);

      const mail = await mailTo('nina@provider1.example');
      expect(mail.subject).toContain('Invitation til netværket');
      expect(mail.text).toContain('Helle Jobcenter har inviteret dig');
      expect(mail.text).toContain('medarbejder hos en udbyder for Karrierebroen');
      expect(mail.text).toContain(`${server.url}/invitations/`);
      const token = tokenIn(mail.text);

      const row = await server.ctx.db.selectFrom('invitations').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ email: 'nina@provider1.example', role: 'provider', organisation_id: providers[0], mail_status: 'sent', token_hash: sha256(token) });
      expect(JSON.stringify(row)).not.toContain(token);
      const entry = await server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'invitation.create').where('subject_id', '=', created.id).executeTakeFirstOrThrow();
      expect(JSON.parse(entry.after_json!)).toMatchObject({ email: 'nina@provider1.example', role: 'provider', organisationId: providers[0], providerAdmin: false });
      expect(entry.after_json).not.toContain(token);

      const preview = await server.api(`/api/invitations/${token}`);
      expect(preview.status).toBe(200);
      expect(await preview.json()).toMatchObject({ organisationName: expect.stringContaining('Karrierebroen'), role: 'provider', invitedByName: 'Helle Jobcenter', email: 'nina@provider1.example', accountExists: false });
    });

    it('accepting checks name and password, then creates account, membership and session once; the link is used up', async () => {
      await invite(HOST, { email: 'olaf@provider2.example', role: 'provider', providerId: providers[1], providerAdmin: true });
      const token = tokenIn((await mailTo('olaf@provider2.example')).text);
      const users = await countOf('users');

      const short = await accept(token, { name: 'Olaf Berg', password: 'kort' });
      expect(short.status).toBe(422);
      expect((await short.json()).error.issues).toEqual([{ path: 'password', message: expect.stringContaining('12 characters') }]);
      const common = await accept(token, { name: 'Olaf Berg', password: 'qwerty123456' });
      expect((await common.json()).error.issues).toEqual([{ path: 'password', message: expect.stringContaining('most common') }]);
      const cpr = await accept(token, { name: 'Olaf 010190-1234', password: GOOD_PASSWORD });
      expect((await cpr.json()).error.issues).toEqual([{ path: 'name', message: expect.stringContaining('CPR') }]);
      expect(await countOf('users')).toBe(users);

      const ok = await accept(token, { name: 'Olaf Berg', password: GOOD_PASSWORD });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toEqual({ networkId: net });
      const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
      const me = await server.api('/api/me', { cookie });
      expect(me.status).toBe(200);
      const user = await server.ctx.db.selectFrom('users').selectAll().where('email', '=', 'olaf@provider2.example').executeTakeFirstOrThrow();
      const m = await server.ctx.db.selectFrom('memberships').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
      const hostId = (await server.ctx.db.selectFrom('users').select('id').where('email', '=', HOST).executeTakeFirstOrThrow()).id;
      expect(m).toMatchObject({ network_id: net, role: 'provider', organisation_id: providers[1], invited_by: hostId, disabled_at: null });
      expect(Number(m.provider_admin)).toBe(1);
      expect((await server.api(`/api/networks/${net}`, { cookie })).status).toBe(200);
      // The new person signs in with the chosen password.
      await server.login('olaf@provider2.example', GOOD_PASSWORD);
      expect(await server.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'invitation.accept').where('actor_user_id', '=', user.id).execute()).toHaveLength(1);

      // Single use.
      expect((await accept(token, { name: 'Olaf Berg', password: GOOD_PASSWORD })).status).toBe(410);
      expect((await server.api(`/api/invitations/${token}`)).status).toBe(410);
      const list = await (await server.api(`/api/networks/${net}/invitations`, { cookie: await server.login(HOST) })).json();
      expect(list.invitations.find((i: { email: string }) => i.email === 'olaf@provider2.example')).toMatchObject({ status: 'accepted', providerAdmin: true, invitedBy: { name: 'Helle Jobcenter' } });
    });

    it('two accepts of one link racing: exactly one account, one membership', async () => {
      await invite(HOST, { email: 'race@provider3.example', role: 'viewer' });
      const token = tokenIn((await mailTo('race@provider3.example')).text);
      const answers = await Promise.all([1, 2, 3].map(() => accept(token, { name: 'Rasmus Race', password: GOOD_PASSWORD })));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 410, 410]);
      expect(await server.ctx.db.selectFrom('users').select('id').where('email', '=', 'race@provider3.example').execute()).toHaveLength(1);
    });

    it('unknown links are 404, expired ones 410; a resend makes a new link and the old one stops working', async () => {
      const unknown = 'A'.repeat(43);
      expect((await server.api(`/api/invitations/${unknown}`)).status).toBe(404);
      expect((await accept(unknown, { name: 'X', password: GOOD_PASSWORD })).status).toBe(404);

      const created = await (await invite(HOST, { email: 'late@provider4.example', role: 'provider', providerId: providers[3] })).json();
      const first = tokenIn((await mailTo('late@provider4.example')).text);
      server.advanceClock(7 * 86400_000 + 60_000);
      try {
        const gone = await server.api(`/api/invitations/${first}`);
        expect(gone.status).toBe(410);
        expect((await gone.json()).error).toMatchObject({ code: 'gone', message: expect.stringContaining('expired') });
        expect((await accept(first, { name: 'Lene Late', password: GOOD_PASSWORD })).status).toBe(410);
        const cookie = await server.login(HOST);
        const listed = await (await server.api(`/api/networks/${net}/invitations`, { cookie })).json();
        expect(listed.invitations.find((i: { id: string }) => i.id === created.id).status).toBe('expired');

        const mails = catcher.received.length;
        const resent = await server.api(`/api/networks/${net}/invitations/${created.id}/resend`, { method: 'POST', cookie });
        expect(resent.status).toBe(200);
        expect(await resent.json()).toMatchObject({ id: created.id, mailStatus: 'sent' });
        await catcher.waitFor(mails + 1);
        const second = tokenIn((await mailTo('late@provider4.example')).text);
        expect(second).not.toBe(first);
        expect((await server.api(`/api/invitations/${first}`)).status).toBe(404);
        expect((await server.api(`/api/invitations/${second}`)).status).toBe(200);
        expect((await accept(second, { name: 'Lene Late', password: GOOD_PASSWORD })).status).toBe(201);
      } finally {
        server.advanceClock(-(7 * 86400_000 + 60_000));
      }
    });

    it('a revoked invitation is 410 and listed as revoked; revoking is recorded', async () => {
      const created = await (await invite(HOST, { email: 'regret@provider5.example', role: 'viewer' })).json();
      const token = tokenIn((await mailTo('regret@provider5.example')).text);
      const res = await server.api(`/api/networks/${net}/invitations/${created.id}`, { method: 'DELETE', cookie: await server.login(HOST) });
      expect(res.status).toBe(204);
      expect((await server.api(`/api/invitations/${token}`)).status).toBe(410);
      const listed = await (await server.api(`/api/networks/${net}/invitations`, { cookie: await server.login(HOST) })).json();
      expect(listed.invitations.find((i: { id: string }) => i.id === created.id).status).toBe('revoked');
      expect(await server.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'invitation.revoke').where('subject_id', '=', created.id).execute()).toHaveLength(1);
    });

    it('inviting an active member is 409; into a provider that has left 409; into a provider not in the network 404', async () => {
      const count = await countOf('invitations');
      expect((await invite(HOST, { email: ' CARL@provider1.example', role: 'provider', providerId: providers[0] })).status).toBe(409);
      expect((await invite(HOST, { email: 'new@x.example', role: 'provider', providerId: 'no-such-provider' })).status).toBe(404);
      await server.ctx.db.updateTable('network_providers').set({ last_month: '2020-01' }).where('network_id', '=', net).where('organisation_id', '=', providers[5]).execute();
      try {
        expect((await invite(HOST, { email: 'new@x.example', role: 'provider', providerId: providers[5] })).status).toBe(409);
      } finally {
        await server.ctx.db.updateTable('network_providers').set({ last_month: null }).where('network_id', '=', net).where('organisation_id', '=', providers[5]).execute();
      }
      expect((await invite(HOST, { email: 'new@x.example', role: 'provider' })).status).toBe(422);
      expect(await countOf('invitations')).toBe(count);
    });

    it("a provider's administrator invites plain members of their own provider only; plain members and viewers invite no one; nothing stored when refused", async () => {
      const count = await countOf('invitations');
      for (const body of [
        { email: 'p@x.example', role: 'provider', providerId: providers[1] },
        { email: 'p@x.example', role: 'host' },
        { email: 'p@x.example', role: 'viewer' },
        { email: 'p@x.example', role: 'provider', providerId: providers[0], providerAdmin: true },
      ]) {
        expect((await invite(ANNA, body)).status, JSON.stringify(body)).toBe(403);
      }
      expect((await invite(CARL, { email: 'p@x.example', role: 'provider', providerId: providers[0] })).status).toBe(403);
      expect((await invite(VIEWER, { email: 'p@x.example', role: 'viewer' })).status).toBe(403);
      expect(await countOf('invitations')).toBe(count);

      const ok = await invite(ANNA, { email: 'colleague@provider1.example', role: 'provider', providerId: providers[0] });
      expect(ok.status).toBe(201);
      // Anna lists her own provider's invitations only.
      const listed = await (await server.api(`/api/networks/${net}/invitations`, { cookie: await server.login(ANNA) })).json();
      expect(listed.invitations.length).toBeGreaterThan(0);
      expect(listed.invitations.every((i: { providerId: string | null }) => i.providerId === providers[0])).toBe(true);
      expect((await server.api(`/api/networks/${net}/invitations`, { cookie: await server.login(CARL) })).status).toBe(403);
    });

    it('hosts invite hosts: the membership belongs to the jobcenter', async () => {
      await invite(HOST, { email: 'second.host@jobcenter.example', role: 'host' });
      const token = tokenIn((await mailTo('second.host@jobcenter.example')).text);
      expect((await accept(token, { name: 'Søren Anden', password: GOOD_PASSWORD })).status).toBe(201);
      const m = await server.ctx.db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['memberships.role', 'memberships.organisation_id'])
        .where('users.email', '=', 'second.host@jobcenter.example')
        .executeTakeFirstOrThrow();
      expect(m).toEqual({ role: 'host', organisation_id: jobcenterId });
    });

    it('an e-mail with an account: sign in as it to accept; the membership is added without a new account or session', async () => {
      await insertUser(server.ctx.db, { id: server.ctx.newId(), email: 'olga@elsewhere.example', name: 'Olga Anden', password_hash: await hashPassword(GOOD_PASSWORD), locale: 'en', created_at: new Date().toISOString(), disabled_at: null, last_sign_in_at: null });
      await invite(HOST, { email: 'olga@elsewhere.example', role: 'viewer' });
      const mail = await mailTo('olga@elsewhere.example');
      // Her account chose English.
      expect(mail.subject).toContain('Invitation to the network');
      const token = tokenIn(mail.text);
      expect(await (await server.api(`/api/invitations/${token}`)).json()).toMatchObject({ accountExists: true });
      const users = await countOf('users');
      expect((await accept(token, {})).status).toBe(401);
      expect((await accept(token, {}, await server.login(HOST))).status).toBe(403);
      const cookie = await server.login('olga@elsewhere.example', GOOD_PASSWORD);
      const ok = await accept(token, {}, cookie);
      expect(ok.status).toBe(201);
      expect(ok.headers.get('set-cookie')).toBeNull();
      expect(await countOf('users')).toBe(users);
      const networks = await (await server.api('/api/networks', { cookie })).json();
      expect(networks.networks.map((n: { id: string }) => n.id)).toContain(net);
    });

    it('when sending fails the invitation stays valid and the host gets the link', async () => {
      const res = await invite(HOST, { email: 'bounces@nowhere.example', role: 'viewer' });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body.mailStatus).toBe('failed');
      const token = body.link.split('/invitations/')[1];
      expect((await server.api(`/api/invitations/${token}`)).status).toBe(200);
      const row = await server.ctx.db.selectFrom('invitations').select('mail_status').where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(row.mail_status).toBe('failed');
    });

    it('unknown links tried from one address are rate-limited; after a while it may try again', async () => {
      // Earlier tests tried a few unknown links too (some at a clock moved ahead): at most 30 in all.
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) statuses.push((await server.api(`/api/invitations/${'B'.repeat(41)}${String(i).padStart(2, '0')}`)).status);
      const allowed = statuses.indexOf(429);
      expect(allowed).toBeGreaterThanOrEqual(25);
      expect(statuses.slice(0, allowed).every((s) => s === 404)).toBe(true);
      expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true);
      server.advanceClock(8 * 86400_000);
      expect((await server.api(`/api/invitations/${'C'.repeat(43)}`)).status).toBe(404);
    });
  });

  describe.skipIf(!available)(`invitations without SMTP on ${dialect}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('the host gets the link to pass on, and it works', async () => {
      const res = await server.api(`/api/networks/${server.networkId}/invitations`, { method: 'POST', cookie: await server.login(HOST), body: JSON.stringify({ email: 'nomail@x.example', role: 'viewer' }) });
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toMatchObject({ mailStatus: 'not_configured', link: expect.stringMatching(/\/invitations\/[A-Za-z0-9_-]{43}$/) });
      const token = body.link.split('/invitations/')[1];
      expect((await server.api(`/api/invitations/${token}`)).status).toBe(200);
      const ok = await server.api(`/api/invitations/${token}/accept`, { method: 'POST', body: JSON.stringify({ name: 'Uden Post', password: GOOD_PASSWORD }) });
      expect(ok.status).toBe(201);
    });
  });
}
