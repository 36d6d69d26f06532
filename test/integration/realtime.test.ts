// socket.io and the Yjs endpoint share the API's identities: real clients, real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minutesDocName, methodNoteDocName } from '../../realtime/yjs/documents.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connected, eventually, liveClient, rawUpgrade, yjsClient } from '../helpers/clients.ts';

let server: TestServer;
let upcomingMeetingId: string;
let providerIds: string[];

beforeAll(async () => {
  server = await startTestServer();
  const meeting = await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow();
  upcomingMeetingId = meeting.id;
  providerIds = await server.providerIds();
});
afterAll(async () => {
  await server?.close();
});

async function tokenFor(email: string): Promise<string> {
  const cookie = await server.login(email);
  const res = await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' });
  return (await res.json()).token;
}

describe('socket.io', () => {
  it('accepts a session cookie or a token, and refuses a connection with neither', async () => {
    const cookie = await server.login('host@jobcenter.example');
    const byCookie = liveClient(server.url, { cookie });
    await connected(byCookie);
    const byToken = liveClient(server.url, { token: await tokenFor('viewer@jobcenter.example') });
    await connected(byToken);
    const anonymous = liveClient(server.url, {});
    await expect(connected(anonymous)).rejects.toThrow(/unauthenticated/);
    for (const s of [byCookie, byToken, anonymous]) s.close();
  });

  it('presence lists who is in a network, and refuses outsiders and bad payloads', async () => {
    const host = liveClient(server.url, { cookie: await server.login('host@jobcenter.example') });
    const anna = liveClient(server.url, { cookie: await server.login('anna@provider1.example') });
    await Promise.all([connected(host), connected(anna)]);
    const first = await host.emitWithAck('presence:join', { networkId: server.networkId });
    expect(first).toMatchObject({ ok: true });
    const updates: string[][] = [];
    host.on('presence:updated', (p) => updates.push(p.present.map((x) => x.name)));
    const second = await anna.emitWithAck('presence:join', { networkId: server.networkId });
    expect(second.ok && second.data.present.map((p) => p.name)).toEqual(['Anna Holm', 'Helle Jobcenter']);
    await eventually(() => updates.some((u) => u.includes('Anna Holm')), 'host to see Anna arrive');

    const outsider = await anna.emitWithAck('presence:join', { networkId: 'another-network' });
    expect(outsider).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const bad = await anna.emitWithAck('presence:join', { networkId: 42 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    anna.close();
    await eventually(() => updates.at(-1)?.join() === 'Helle Jobcenter', 'host to see Anna leave');
    host.close();
  });
});

describe('the Yjs endpoint', () => {
  it('two stock y-websocket clients sync a document: one by token, one by cookie', async () => {
    const name = minutesDocName(upcomingMeetingId);
    const hostToken = await tokenFor('host@jobcenter.example');
    const a = yjsClient(server.url, name, { token: hostToken });
    const b = yjsClient(server.url, name, { cookie: await server.login('host@jobcenter.example') });
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getText('t').insert(0, 'Velkommen til mødet');
    await eventually(() => b.doc.getText('t').toString() === 'Velkommen til mødet', 'b to receive the text');
    b.doc.getText('t').insert(0, '» ');
    await eventually(() => a.doc.getText('t').toString() === '» Velkommen til mødet', 'a to receive b’s edit');
    // A late joiner gets the whole state.
    const c = yjsClient(server.url, name, { token: hostToken });
    await c.synced();
    expect(c.doc.getText('t').toString()).toBe('» Velkommen til mødet');
    for (const x of [a, b, c]) x.destroy();
  });

  it("a viewer reads live but its edits never reach the document or other clients", async () => {
    const name = minutesDocName(upcomingMeetingId);
    const host = yjsClient(server.url, name, { token: await tokenFor('host@jobcenter.example') });
    const viewer = yjsClient(server.url, name, { token: await tokenFor('viewer@jobcenter.example') });
    await Promise.all([host.synced(), viewer.synced()]);
    host.doc.getText('v').insert(0, 'host text');
    await eventually(() => viewer.doc.getText('v').toString() === 'host text', 'viewer to read');
    viewer.doc.getText('v').insert(0, 'VIEWER ');
    await new Promise((r) => setTimeout(r, 300));
    expect(host.doc.getText('v').toString()).toBe('host text');
    const late = yjsClient(server.url, name, { token: await tokenFor('host@jobcenter.example') });
    await late.synced();
    expect(late.doc.getText('v').toString()).toBe('host text');
    for (const x of [host, viewer, late]) x.destroy();
  });

  it('an unauthenticated upgrade is refused before any document byte is sent', async () => {
    const result = await rawUpgrade(`${server.url.replace('http', 'ws')}/yjs/${minutesDocName(upcomingMeetingId)}`);
    expect(result).toEqual({ status: 401, received: 0 });
    const badToken = await rawUpgrade(`${server.url.replace('http', 'ws')}/yjs/${minutesDocName(upcomingMeetingId)}?token=sp_nope`);
    expect(badToken).toEqual({ status: 401, received: 0 });
  });

  it("unknown documents are 404; another provider's draft note is 403", async () => {
    const token = await tokenFor('bo@provider2.example');
    const ws = server.url.replace('http', 'ws');
    expect((await rawUpgrade(`${ws}/yjs/meeting:nope:minutes?token=${token}`)).status).toBe(404);
    expect((await rawUpgrade(`${ws}/yjs/whatever?token=${token}`)).status).toBe(404);
    expect((await rawUpgrade(`${ws}/yjs/${methodNoteDocName(upcomingMeetingId, providerIds[0])}?token=${token}`)).status).toBe(403);
    const own = await rawUpgrade(`${ws}/yjs/${methodNoteDocName(upcomingMeetingId, providerIds[1])}?token=${token}`);
    expect(own.status).toBe(101);
    expect(own.received).toBeGreaterThan(0);
  });

  it('upgrades from an origin that is not allowed are refused', async () => {
    const token = await tokenFor('host@jobcenter.example');
    const result = await rawUpgrade(`${server.url.replace('http', 'ws')}/yjs/${minutesDocName(upcomingMeetingId)}?token=${token}`, { origin: 'https://evil.example' });
    expect(result.status).toBe(403);
  });
});

describe('the Yjs endpoint for scripts', () => {
  it('accepts an Authorization: Bearer header on the upgrade', async () => {
    const token = await tokenFor('host@jobcenter.example');
    const ws = server.url.replace('http', 'ws');
    const result = await rawUpgrade(`${ws}/yjs/${minutesDocName(upcomingMeetingId)}`, { authorization: `Bearer ${token}` });
    expect(result.status).toBe(101);
    expect(result.received).toBeGreaterThan(0);
  });
});
