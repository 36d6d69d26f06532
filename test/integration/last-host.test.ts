// A network always keeps one active host: two hosts deactivating each other at the same moment
// cannot both succeed (PostgreSQL locks the hosts' rows for the check; SQLite writes one at a time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`the last host, on ${dialect}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
    });
    afterAll(async () => server?.close());

    it('of two hosts deactivating each other at once, exactly one succeeds', async () => {
      const db = server.ctx.db;
      const ids = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      const host = await ids('host@jobcenter.example');
      const viewer = await ids('viewer@jobcenter.example');
      const hostCookie = await server.login('host@jobcenter.example');
      const members = `/api/networks/${server.networkId}/members`;
      // Both also belong to a second network, so being deactivated here ends no session: each
      // request reaches the check, and the race is between the two checks.
      const other = await server.api('/api/networks', {
        method: 'POST',
        cookie: hostCookie,
        body: JSON.stringify({ name: 'Andet netværk', targetGroup: 'Ledige', activationRequirementPct: 30, meetingCadenceMonths: 2, minCitizensToRate: 5 }),
      });
      expect(other.status).toBe(201);
      const otherId = (await other.json()).id as string;
      await db.insertInto('memberships').values({ id: `second-${dialect}`, user_id: viewer, network_id: otherId, role: 'viewer', organisation_id: null, created_at: new Date().toISOString() }).execute();
      for (let round = 0; round < 10; round++) {
        // The viewer becomes the second host (again), then both act at once.
        const promoted = await server.api(`${members}/${viewer}`, { method: 'PATCH', cookie: hostCookie, body: JSON.stringify({ role: 'host', disabled: false }) });
        expect(promoted.status).toBe(200);
        await db.updateTable('memberships').set({ disabled_at: null }).where('user_id', '=', host).execute();
        const viewerCookie = await server.login('viewer@jobcenter.example');
        const freshHostCookie = await server.login('host@jobcenter.example');
        const answers = await Promise.all([
          server.api(`${members}/${viewer}`, { method: 'PATCH', cookie: freshHostCookie, body: JSON.stringify({ disabled: true }) }),
          server.api(`${members}/${host}`, { method: 'PATCH', cookie: viewerCookie, body: JSON.stringify({ disabled: true }) }),
        ]);
        // The loser is refused: 409 when both reached the check together, 403 when the other's
        // deactivation was already stored when its request was read (it is no longer a host).
        const [won, lost] = answers.map((a) => a.status).sort();
        expect(won).toBe(200);
        expect([403, 409]).toContain(lost);
        const active = await db.selectFrom('memberships').select('user_id').where('network_id', '=', server.networkId).where('role', '=', 'host').where('disabled_at', 'is', null).execute();
        expect(active).toHaveLength(1);
        // Put things back for the next round: both active, the viewer a viewer again.
        await db.updateTable('memberships').set({ disabled_at: null }).where('network_id', '=', server.networkId).where('user_id', 'in', [host, viewer]).execute();
        await db.updateTable('memberships').set({ role: 'viewer', organisation_id: null }).where('network_id', '=', server.networkId).where('user_id', '=', viewer).execute();
      }
    });
  });
}
