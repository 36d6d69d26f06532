// The members of a network: who sees whom, changing a role or provider, deactivating, reactivating
// and removing a membership; the last host stays; a provider's administrator acts on its own plain
// members only; sessions end when no network is left; every change is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostedNetwork } from '../../db/queries/networks.ts';
import { addMembership } from '../../db/queries/members.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HOST = 'host@jobcenter.example';
const VIEWER = 'viewer@jobcenter.example';
const ANNA = 'anna@provider1.example'; // administrator of provider 1
const CARL = 'carl@provider1.example'; // plain member of provider 1
const BO = 'bo@provider2.example'; // administrator of provider 2
const DORTHE = 'dorthe@provider3.example';

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`members of a network on ${dialect}`, () => {
    let server: TestServer;
    let net: string;
    let providers: string[];
    const userId = async (email: string) => (await server.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const membership = async (email: string) =>
      server.ctx.db.selectFrom('memberships').selectAll().where('network_id', '=', net).where('user_id', '=', await userId(email)).executeTakeFirst();
    const patch = async (as: string, email: string, body: unknown) =>
      server.api(`/api/networks/${net}/members/${await userId(email)}`, { method: 'PATCH', cookie: await server.login(as), body: JSON.stringify(body) });
    const audit = async (action: string, subject: string) =>
      server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('subject_id', '=', await userId(subject)).orderBy('at', 'desc').execute();

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      net = server.networkId;
      providers = (await server.ctx.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', net).orderBy('position').execute()).map((r) => r.organisation_id);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('the host sees everyone with role, organisation, status, last sign-in and member since', async () => {
      await server.login(CARL);
      const res = await server.api(`/api/networks/${net}/members`, { cookie: await server.login(HOST) });
      expect(res.status).toBe(200);
      const { members } = await res.json();
      const emails = members.map((m: { email: string }) => m.email);
      expect(emails).toEqual(expect.arrayContaining([HOST, VIEWER, ANNA, CARL, BO, DORTHE]));
      const carl = members.find((m: { email: string }) => m.email === CARL);
      expect(carl).toMatchObject({ role: 'provider', organisationId: providers[0], providerAdmin: false, status: 'active', name: 'Carl Vestergaard' });
      expect(Date.parse(carl.lastSignInAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(carl.memberSince).toEqual(expect.any(String));
      expect(members.find((m: { email: string }) => m.email === ANNA).providerAdmin).toBe(true);
      expect(members.find((m: { email: string }) => m.email === VIEWER)).toMatchObject({ role: 'viewer', organisationId: null });
    });

    it("a provider's administrator sees their own provider's members only; plain members and viewers are refused", async () => {
      const res = await server.api(`/api/networks/${net}/members`, { cookie: await server.login(ANNA) });
      expect(res.status).toBe(200);
      const { members } = await res.json();
      expect(members.map((m: { email: string }) => m.email).sort()).toEqual([ANNA, CARL]);
      for (const who of [CARL, VIEWER]) {
        expect((await server.api(`/api/networks/${net}/members`, { cookie: await server.login(who) })).status).toBe(403);
      }
      expect((await server.api(`/api/networks/no-such-network/members`, { cookie: await server.login(HOST) })).status).toBe(404);
    });

    it("a provider's administrator deactivates and reactivates a plain member of their provider; the person's sessions and tokens end with their last network", async () => {
      const carlCookie = await server.login(CARL);
      const carlToken = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie: carlCookie, body: '{}' })).json()).token as string;
      expect((await server.api('/api/me', { token: carlToken })).status).toBe(200);

      const off = await patch(ANNA, CARL, { disabled: true });
      expect(off.status).toBe(200);
      expect(await off.json()).toMatchObject({ email: CARL, status: 'deactivated' });
      expect((await membership(CARL))!.disabled_at).not.toBeNull();
      // Carl is in no other network: his session and token end at once.
      expect((await server.api('/api/me', { cookie: carlCookie })).status).toBe(401);
      expect((await server.api('/api/me', { token: carlToken })).status).toBe(401);
      const [entry] = await audit('member.deactivate', CARL);
      expect(entry).toMatchObject({ network_id: net, actor_user_id: await userId(ANNA) });
      expect(JSON.parse(entry.before_json!)).toEqual({ disabled: false });
      expect(JSON.parse(entry.after_json!)).toEqual({ disabled: true });

      // Signing in still works (the account is not closed), but the network is not his any more.
      const again = await server.login(CARL);
      expect((await server.api(`/api/networks/${net}`, { cookie: again })).status).toBe(403);

      const on = await patch(ANNA, CARL, { disabled: false });
      expect(on.status).toBe(200);
      expect((await membership(CARL))!.disabled_at).toBeNull();
      expect((await server.api(`/api/networks/${net}`, { cookie: await server.login(CARL) })).status).toBe(200);
      expect(await audit('member.reactivate', CARL)).toHaveLength(1);
    });

    it("a provider's administrator cannot touch other providers, hosts or viewers, nor raise anyone; nothing is stored", async () => {
      const before = await membership(CARL);
      const auditCount = async () => Number((await server.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const count = await auditCount();
      for (const [email, body] of [
        [BO, { disabled: true }],
        [HOST, { disabled: true }],
        [VIEWER, { disabled: true }],
        [CARL, { role: 'host' }],
        [CARL, { role: 'viewer' }],
        [CARL, { providerAdmin: true }],
        [CARL, { providerId: providers[1] }],
      ] as const) {
        expect((await patch(ANNA, email, body)).status, `${email} ${JSON.stringify(body)}`).toBe(403);
      }
      expect((await server.api(`/api/networks/${net}/members/${await userId(BO)}`, { method: 'DELETE', cookie: await server.login(ANNA) })).status).toBe(403);
      // Plain members and viewers manage no one.
      expect((await patch(CARL, ANNA, { disabled: true })).status).toBe(403);
      expect((await patch(VIEWER, CARL, { disabled: true })).status).toBe(403);
      expect(await membership(CARL)).toEqual(before);
      expect(await auditCount()).toBe(count);
    });

    it('the host changes role, provider and administrator flag, each recorded with before and after', async () => {
      const moved = await patch(HOST, CARL, { providerId: providers[1], providerAdmin: true });
      expect(moved.status).toBe(200);
      expect(await moved.json()).toMatchObject({ role: 'provider', organisationId: providers[1], providerAdmin: true });
      const [entry] = await audit('member.update', CARL);
      expect(JSON.parse(entry.before_json!)).toEqual({ organisationId: providers[0], providerAdmin: false });
      expect(JSON.parse(entry.after_json!)).toEqual({ organisationId: providers[1], providerAdmin: true });
      // A viewer has no provider: the flag goes with the role.
      const viewer = await patch(HOST, CARL, { role: 'viewer' });
      expect(await viewer.json()).toMatchObject({ role: 'viewer', organisationId: null, providerAdmin: false });
      const back = await patch(HOST, CARL, { role: 'provider', providerId: providers[0] });
      expect(await back.json()).toMatchObject({ role: 'provider', organisationId: providers[0], providerAdmin: false });
      // A provider member needs a provider; an unknown provider is not found.
      expect((await patch(HOST, VIEWER, { role: 'provider' })).status).toBe(422);
      expect((await patch(HOST, CARL, { providerId: 'no-such-provider' })).status).toBe(404);
      expect((await patch(HOST, CARL, {})).status).toBe(422);
    });

    it('nobody is moved into a provider that has left the network', async () => {
      await server.ctx.db.updateTable('network_providers').set({ last_month: '2020-01' }).where('network_id', '=', net).where('organisation_id', '=', providers[5]).execute();
      try {
        const res = await patch(HOST, CARL, { providerId: providers[5] });
        expect(res.status).toBe(409);
        expect((await membership(CARL))!.organisation_id).toBe(providers[0]);
      } finally {
        await server.ctx.db.updateTable('network_providers').set({ last_month: null }).where('network_id', '=', net).where('organisation_id', '=', providers[5]).execute();
      }
    });

    it('the last active host can be neither deactivated, downgraded nor removed; with a second host it can', async () => {
      expect((await patch(HOST, HOST, { disabled: true })).status).toBe(409);
      expect((await patch(HOST, HOST, { role: 'viewer' })).status).toBe(409);
      const del = await server.api(`/api/networks/${net}/members/${await userId(HOST)}`, { method: 'DELETE', cookie: await server.login(HOST) });
      expect(del.status).toBe(409);
      expect(await membership(HOST)).toMatchObject({ role: 'host', disabled_at: null });

      expect((await patch(HOST, VIEWER, { role: 'host' })).status).toBe(200);
      expect((await patch(VIEWER, HOST, { role: 'viewer' })).status).toBe(200);
      // Now the viewer-made-host is the last one.
      expect((await patch(VIEWER, VIEWER, { disabled: true })).status).toBe(409);
      expect((await patch(VIEWER, HOST, { role: 'host' })).status).toBe(200);
      expect((await patch(HOST, VIEWER, { role: 'viewer' })).status).toBe(200);
    });

    it('a deactivation keeps sessions of someone still in another network; only this network is closed to them', async () => {
      const now = new Date().toISOString();
      await createHostedNetwork(server.ctx.db, { now, newId: server.ctx.newId, email: 'host@elsewhere.example', name: 'Else Host', passwordHash: 'x', jobcenter: 'Andetsted Jobcenter', network: 'Andet netværk', targetGroup: 'Alle' });
      const other = (await server.ctx.db.selectFrom('networks').select('id').where('name', '=', 'Andet netværk').executeTakeFirstOrThrow()).id;
      await addMembership(server.ctx.db, { id: server.ctx.newId(), user_id: await userId(DORTHE), network_id: other, role: 'viewer', organisation_id: null, created_at: now, disabled_at: null, provider_admin: 0, invited_by: null });
      const cookie = await server.login(DORTHE);
      expect((await patch(HOST, DORTHE, { disabled: true })).status).toBe(200);
      expect((await server.api('/api/me', { cookie })).status).toBe(200);
      expect((await server.api(`/api/networks/${net}`, { cookie })).status).toBe(403);
      expect((await server.api(`/api/networks/${other}`, { cookie })).status).toBe(200);
      expect((await patch(HOST, DORTHE, { disabled: false })).status).toBe(200);
    });

    it('the host removes a membership: gone from the list, sessions ended, recorded', async () => {
      const cookie = await server.login(BO);
      const res = await server.api(`/api/networks/${net}/members/${await userId(BO)}`, { method: 'DELETE', cookie: await server.login(HOST) });
      expect(res.status).toBe(204);
      expect(await membership(BO)).toBeUndefined();
      expect((await server.api('/api/me', { cookie })).status).toBe(401);
      const [entry] = await audit('member.remove', BO);
      expect(JSON.parse(entry.before_json!)).toMatchObject({ role: 'provider', organisationId: providers[1], providerAdmin: true, disabled: false });
      const again = await server.api(`/api/networks/${net}/members/${await userId(BO)}`, { method: 'DELETE', cookie: await server.login(HOST) });
      expect(again.status).toBe(404);
    });
  });
}
