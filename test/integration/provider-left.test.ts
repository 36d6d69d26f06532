// A provider that has left a network (its last month is past) and one that joined later: boards,
// meetings, agendas, reminders and its staff's access follow its periods; its history stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leaderboard } from '../../realtime/wire/leaderboard.ts';
import { addMonths, copenhagenMonth } from '../../domain/time.ts';
import { archiveDemoMeetings } from '../../realtime/meetings/demoArchive.ts';
import { runReminders } from '../../realtime/notifications/reminders.ts';
import { connected, eventually, liveClient, rawUpgrade } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HOST = 'host@jobcenter.example';
const BO = 'bo@provider2.example'; // Nordlys, provider 2: leaves
const ANNA = 'anna@provider1.example'; // Karrierebroen, provider 1: takes part throughout

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`a provider that has left, on ${dialect}`, () => {
    let server: TestServer;
    let providers: string[];
    let left: string;
    let joinedLater: string;
    let thisMonth: string;
    let lastMonth: string;
    let meetings: Array<{ id: string; starts_at: string; status: string }>;
    let boardBefore: Leaderboard;
    let reportsBefore: unknown;

    const board = async (email: string, from: string, to: string) => {
      const res = await server.api(`/api/networks/${server.networkId}/leaderboard?from=${from}&to=${to}&metric=jobRate`, { cookie: await server.as(email) });
      return { status: res.status, body: (await res.json()) as Leaderboard };
    };
    const get = async (email: string, path: string) => server.api(path, { cookie: await server.as(email) });

    beforeAll(async () => {
      server = await startTestServer({ dialect });
      await archiveDemoMeetings(server.ctx, server.networkId);
      const db = server.ctx.db;
      providers = (await db.selectFrom('network_providers').select('organisation_id').orderBy('position').execute()).map((r) => r.organisation_id);
      [, left, joinedLater] = providers;
      thisMonth = copenhagenMonth(server.ctx.now());
      // Nordlys took part through three months ago; Fjordhuset joined last month.
      lastMonth = addMonths(thisMonth, -3);
      meetings = await db.selectFrom('meetings').select(['id', 'starts_at', 'status']).where('network_id', '=', server.networkId).orderBy('starts_at').execute();
      // Nordlys owes the reports of its last month and of the month after it.
      await db.deleteFrom('monthly_reports').where('provider_id', '=', left).where('month', 'in', [lastMonth, addMonths(lastMonth, 1)]).execute();
      // As it stood before the provider left: its board and its report history.
      boardBefore = (await board(HOST, addMonths(lastMonth, -5), lastMonth)).body;
      reportsBefore = await (await get(HOST, `/api/networks/${server.networkId}/providers/${left}/reports`)).json();
      await db.updateTable('network_providers').set({ last_month: lastMonth }).where('network_id', '=', server.networkId).where('organisation_id', '=', left).execute();
      await db.updateTable('network_providers').set({ from_month: addMonths(thisMonth, -1) }).where('network_id', '=', server.networkId).where('organisation_id', '=', joinedLater).execute();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('board rows for months after its last month leave it out; a provider joining later is not on earlier boards', async () => {
      const later = await board(HOST, addMonths(lastMonth, 1), addMonths(thisMonth, -1));
      expect(later.status).toBe(200);
      expect(later.body.rows.map((r) => r.providerId)).not.toContain(left);
      expect(later.body.rows.map((r) => r.providerId)).toContain(joinedLater);
      expect(later.body.rows).toHaveLength(5);
      const earlier = await board(HOST, addMonths(lastMonth, -5), lastMonth);
      expect(earlier.body.rows.map((r) => r.providerId)).not.toContain(joinedLater);
    });

    it('boards up to its last month keep its row exactly as before', async () => {
      const earlier = (await board(HOST, addMonths(lastMonth, -5), lastMonth)).body;
      const row = (b: Leaderboard, id: string) => b.rows.find((r) => r.providerId === id)!;
      expect(row(earlier, left).figures).toEqual(row(boardBefore, left).figures);
      expect(row(earlier, left).figures!.months).toBe(5);
    });

    it('on a board overlapping its periods only the months it took part in count', async () => {
      const year = (await board(HOST, addMonths(thisMonth, -12), addMonths(thisMonth, -1))).body;
      const months = (id: string) => year.rows.find((r) => r.providerId === id)!.figures!.months;
      // Its ten months through its last month, less the one deleted above; Fjordhuset only since it joined.
      expect(months(left)).toBe(9);
      expect(months(joinedLater)).toBe(1);
      expect(months(providers[0])).toBe(12);
    });

    it('its reports stay readable by its own staff and the host, unchanged', async () => {
      const own = await get(BO, `/api/networks/${server.networkId}/providers/${left}/reports`);
      expect(own.status).toBe(200);
      expect(await own.json()).toEqual(reportsBefore);
      expect(await (await get(HOST, `/api/networks/${server.networkId}/providers/${left}/reports`)).json()).toEqual(reportsBefore);
    });

    it('its staff may still enter the report of its last month, not of a month after it', async () => {
      const report = (month: string) => ({ month, referred: 10, active: 8, jobStarts: 2, retained13of26: 1, activationPct: 40, satisfactionResponses: 0 });
      const post = async (month: string) =>
        server.api(`/api/networks/${server.networkId}/providers/${left}/reports`, { method: 'POST', cookie: await server.as(BO), body: JSON.stringify(report(month)) });
      const after = await post(addMonths(lastMonth, 1));
      expect(after.status).toBe(422);
      expect((await after.json()).error.issues).toEqual([{ path: 'month', message: expect.stringContaining('does not take part') }]);
      // Put back afterwards: the reminder test below needs it missing.
      const inLast = await post(lastMonth);
      expect(inLast.status).toBe(201);
      await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', left).where('month', '=', lastMonth).execute();
    });

    it('its staff get 403 on live boards over HTTP and socket.io; the others keep them', async () => {
      for (const path of ['leaderboard', 'leaderboard/export.csv', 'survival']) {
        expect((await get(BO, `/api/networks/${server.networkId}/${path}`)).status, path).toBe(403);
        expect((await get(ANNA, `/api/networks/${server.networkId}/${path}`)).status, path).toBe(200);
      }
      const socket = liveClient(server.url, { cookie: await server.as(BO) });
      try {
        await connected(socket);
        const ack = await socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
        expect(ack.ok).toBe(false);
        if (!ack.ok) expect(ack.error.code).toBe('forbidden');
      } finally {
        socket.close();
      }
    });

    it('its staff read the archive of meetings held while it took part, and get 403 on later and future meetings', async () => {
      const [during, after, planned] = meetings;
      expect(copenhagenMonth(new Date(during.starts_at)) <= lastMonth).toBe(true);
      expect(planned.status).toBe('planned');
      const listed = (await (await get(BO, `/api/networks/${server.networkId}/meetings`)).json()).meetings.map((m: { id: string }) => m.id);
      expect(listed).toEqual([during.id]);
      expect((await get(ANNA, `/api/networks/${server.networkId}/meetings`)).status).toBe(200);

      const archive = await get(BO, `/api/meetings/${during.id}/archive`);
      expect(archive.status).toBe(200);
      const notes = (await archive.json()).notes as Array<{ providerId: string; markdown: string | null }>;
      // Its own notes stay; other providers' notes are gone for it.
      expect(notes.filter((n) => n.providerId !== left).every((n) => n.markdown === null)).toBe(true);
      expect(notes.find((n) => n.providerId === left)?.markdown).not.toBeNull();
      expect((await get(ANNA, `/api/meetings/${during.id}/archive`)).status).toBe(200);

      for (const m of [after, planned]) {
        expect((await get(BO, `/api/meetings/${m.id}`)).status).toBe(403);
        expect((await get(ANNA, `/api/meetings/${m.id}`)).status).toBe(200);
      }
      expect((await get(BO, `/api/meetings/${after.id}/archive`)).status).toBe(403);
      expect((await get(BO, `/api/meetings/${planned.id}/preparation`)).status).toBe(403);

      // The same rule on the Yjs endpoint: no minutes or other providers' notes of later meetings.
      const ws = server.url.replace(/^http/, 'ws');
      const upgrade = async (email: string, name: string) => (await rawUpgrade(`${ws}/yjs/${encodeURIComponent(name)}`, { origin: server.url, cookie: await server.as(email) })).status;
      expect(await upgrade(BO, `meeting:${planned.id}:minutes`)).toBe(403);
      expect(await upgrade(BO, `meeting:${planned.id}:note:${left}`)).toBe(403);
      expect(await upgrade(BO, `meeting:${during.id}:note:${providers[0]}`)).toBe(403);
      expect(await upgrade(BO, `meeting:${during.id}:minutes`)).toBe(101);
      expect(await upgrade(ANNA, `meeting:${planned.id}:minutes`)).toBe(101);
    });

    it('capabilities tell the web what it lost', async () => {
      const res = await get(BO, `/api/networks/${server.networkId}`);
      expect(res.status).toBe(200);
      expect((await res.json()).capabilities).toMatchObject({ providerLeft: true, providerLastMonth: lastMonth, readLiveBoards: false, writeOwnMethodNote: false });
      expect((await (await get(ANNA, `/api/networks/${server.networkId}`)).json()).capabilities).toMatchObject({ providerLeft: false, readLiveBoards: true });
    });

    it('its own contract stays readable; another provider’s is not', async () => {
      expect((await get(BO, `/api/networks/${server.networkId}/contracts`)).status).toBe(200);
      const contracts = (await (await get(BO, `/api/networks/${server.networkId}/contracts`)).json()).contracts as Array<{ providerId: string }>;
      expect(contracts.length).toBeGreaterThan(0);
      expect(contracts.every((c) => c.providerId === left)).toBe(true);
    });

    it('the preparation and the default agenda of a later meeting leave it out', async () => {
      const planned = meetings[2];
      const prep = await (await get(HOST, `/api/meetings/${planned.id}/preparation`)).json();
      const prepared = prep.rows.map((r: { providerId: string }) => r.providerId);
      expect(prepared).not.toContain(left);
      expect(prepared).toContain(providers[0]);
      const startsAt = new Date(`${addMonths(thisMonth, 2)}-15T08:00:00.000Z`).toISOString();
      const created = await server.api(`/api/networks/${server.networkId}/meetings`, {
        method: 'POST', cookie: await server.as(HOST), body: JSON.stringify({ title: 'Næste møde', startsAt, durationMinutes: 120 }),
      });
      expect(created.status).toBe(201);
      const slots = ((await created.json()).agenda as Array<{ providerId: string | null }>).map((a) => a.providerId).filter(Boolean);
      expect(slots).toHaveLength(5);
      expect(slots).not.toContain(left);
      expect(slots).toContain(joinedLater);
    });

    it('reminders are sent for its last month, not for the months after it', async () => {
      await runReminders(server.ctx, null);
      const notices = await server.ctx.db.selectFrom('notifications').select(['subject_key', 'kind']).where('network_id', '=', server.networkId).execute();
      const months = notices.filter((n) => n.subject_key.includes(`|${left}|`)).map((n) => n.subject_key.split('|')[2]);
      expect(months).toContain(lastMonth);
      expect(months).not.toContain(addMonths(lastMonth, 1));
      // Fjordhuset joined last month: nothing is owed for months before that.
      const joined = notices.filter((n) => n.subject_key.includes(`|${joinedLater}|`)).map((n) => n.subject_key.split('|')[2]);
      expect(joined.every((m) => m >= addMonths(thisMonth, -1))).toBe(true);
    });

    it('members subscribed to a live board stop getting it once their provider has left', async () => {
      const EMIL = 'emil@provider4.example'; // Brobyg, provider 4
      const subscribe = async (email: string) => {
        const socket = liveClient(server.url, { cookie: await server.as(email) });
        await connected(socket);
        const boards: Leaderboard[] = [];
        socket.on('leaderboard:updated', (b) => boards.push(b));
        const ack = await socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
        expect(ack.ok).toBe(true);
        return { socket, boards };
      };
      const [anna, emil] = [await subscribe(ANNA), await subscribe(EMIL)];
      try {
        await server.ctx.db.updateTable('network_providers').set({ last_month: lastMonth }).where('network_id', '=', server.networkId).where('organisation_id', '=', providers[3]).execute();
        // A change of the settings pushes fresh boards to every subscriber.
        const put = await server.api(`/api/networks/${server.networkId}/leaderboard/settings`, { method: 'PUT', cookie: await server.as(HOST), body: '{}' });
        expect(put.status).toBe(200);
        await eventually(() => anna.boards.length > 0, 'anna gets the fresh board');
        // Anything sent to Emil in the same push would arrive before this answer on his connection.
        await emil.socket.emitWithAck('leaderboard:unsubscribe', { networkId: 'another' });
        expect(emil.boards).toEqual([]);
        // The board of the last twelve months still shows Brobyg, counting its months through its last.
        expect(anna.boards.at(-1)!.rows.find((r) => r.providerId === providers[3])!.figures!.months).toBe(10);
      } finally {
        anna.socket.close();
        emil.socket.close();
      }
    });
  });
}
