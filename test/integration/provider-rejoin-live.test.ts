// A provider's periods change its staff's rights, and the change reaches their open connections at
// once: when a provider that has left rejoins, sockets opened under the narrower rights are closed
// (the client reconnects with the new ones), and boards are pushed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { connected, eventually, liveClient, type LiveClient } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`a provider rejoining, on ${dialect}`, () => {
    let server: TestServer;
    let nordlys: string;
    const sockets: LiveClient[] = [];
    beforeAll(async () => {
      server = await startTestServer({ dialect });
      const db = server.ctx.db;
      nordlys = (await db.selectFrom('network_providers').select('organisation_id').orderBy('position').execute())[1].organisation_id;
      await db.updateTable('network_providers').set({ last_month: addMonths(copenhagenMonth(server.ctx.now()), -2) }).where('organisation_id', '=', nordlys).execute();
    });
    afterAll(async () => {
      for (const s of sockets) s.close();
      await server?.close();
    });

    it('closes the sockets its staff opened while it had left, and not anyone else’s', async () => {
      const open = async (email: string) => {
        const socket = liveClient(server.url, { cookie: await server.login(email) });
        sockets.push(socket);
        await connected(socket);
        const reasons: string[] = [];
        socket.on('disconnect', (reason) => reasons.push(reason));
        return { socket, reasons };
      };
      const bo = await open('bo@provider2.example');
      const anna = await open('anna@provider1.example');
      // While Nordlys has left, Bo may not follow the live board.
      expect((await bo.socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId })).ok).toBe(false);

      const res = await server.api(`/api/networks/${server.networkId}/providers/${nordlys}`, {
        method: 'PATCH',
        cookie: await server.as('host@jobcenter.example'),
        body: JSON.stringify({ rejoinFromMonth: copenhagenMonth(server.ctx.now()) }),
      });
      expect(res.status).toBe(200);
      await eventually(() => bo.reasons.includes('io server disconnect'), 'Bo’s socket to be closed so it reconnects with his new rights');
      expect(anna.socket.connected).toBe(true);

      const again = await open('bo@provider2.example');
      expect((await again.socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId })).ok).toBe(true);
    });
  });
}
