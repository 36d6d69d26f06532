// Two real server processes over one PostgreSQL schema and one Redis: a host's deactivation or
// lowering of a role through instance A closes the person's socket.io and Yjs connections on
// instance B at once; where the new role still reads a document, the editor comes back read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { createHostedNetwork } from '../../db/queries/networks.ts';
import { addMembership } from '../../db/queries/members.ts';
import { YjsCloseCode, YjsMessage } from '../../realtime/wire/yjs.ts';
import { connected, eventually, liveClient, rawUpgrade, yjsClient, type LiveClient } from '../helpers/clients.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { redisServerAvailable, startOwnRedis, type OwnRedis } from '../helpers/redis.ts';
import { postgresAvailable } from '../helpers/services.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const available = (await postgresAvailable()) && redisServerAvailable();

const HOST = 'host@jobcenter.example';
const CARL = 'carl@provider1.example'; // a plain member of the first provider, in no other network

const login = sessionCookie;

describe.skipIf(!available)('a change of membership through instance A closes connections on instance B', () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let networkId: string;
  let providerId: string;
  let meetingId: string;
  let note: string;
  let carlId: string;
  const sockets: LiveClient[] = [];
  const editors: Array<ReturnType<typeof yjsClient>> = [];

  const env = () => ({ DATABASE_URL: database.url, DATABASE_SCHEMA: database.pgSchema!, REDIS_URL: redis.url, PORT: '0' });
  const socketOn = async (url: string, cookie: string) => {
    const socket = liveClient(url, { cookie });
    sockets.push(socket);
    await connected(socket);
    const reasons: string[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    return { socket, reasons };
  };
  const editorOn = async (url: string, cookie: string, options: { acks?: boolean } = {}) => {
    const editor = yjsClient(url, note, { cookie, ...options });
    editors.push(editor);
    await editor.synced();
    const closes: number[] = [];
    editor.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    return { editor, closes };
  };
  /** PATCH of Carl's membership through instance A, as the host; resolves with the status. */
  const changeCarl = async (body: unknown) => {
    const res = await fetch(`${a.url}/api/networks/${networkId}/members/${carlId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: await login(a.url, HOST) },
      body: JSON.stringify(body),
    });
    return res.status;
  };
  /** Makes Carl a viewer of a second network too (created once), so that losing this one leaves him signed in. */
  const keepAnotherNetwork = async () => {
    const now = new Date().toISOString();
    const ids = () => crypto.randomUUID();
    const named = () => database.db.selectFrom('networks').select('id').where('name', '=', 'Andet netværk').executeTakeFirst();
    if (!(await named())) {
      await createHostedNetwork(database.db, { now, newId: ids, email: 'host@elsewhere.example', name: 'Else Host', passwordHash: 'x', jobcenter: 'Andetsted Jobcenter', network: 'Andet netværk', targetGroup: 'Alle' });
    }
    const other = (await named())!.id;
    await addMembership(database.db, { id: ids(), user_id: carlId, network_id: other, role: 'viewer', organisation_id: null, created_at: now, disabled_at: null, provider_admin: 0, invited_by: null });
    return other;
  };
  const upgradeStatus = async (url: string, cookie: string) => (await rawUpgrade(`${url.replace(/^http/, 'ws')}/yjs/${encodeURIComponent(note)}`, { cookie })).status;

  beforeAll(async () => {
    database = await freshDatabase('postgres', { migrate: false });
    redis = await startOwnRedis();
    a = await startServerProcess({ ...env(), SEED: 'true' });
    b = await startServerProcess({ ...env(), SEED: 'false' });
    networkId = (await database.db.selectFrom('networks').select('id').executeTakeFirstOrThrow()).id;
    meetingId = (await database.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
    providerId = (await database.db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
    carlId = (await database.db.selectFrom('users').select('id').where('email', '=', CARL).executeTakeFirstOrThrow()).id;
    note = `meeting:${meetingId}:note:${providerId}`;
  }, 120_000);

  afterAll(async () => {
    if (process.env.DEBUG_CLUSTER) console.log(a?.output().slice(-3000), b?.output().slice(-3000));
    for (const s of sockets) s.disconnect();
    for (const e of editors) e.destroy();
    await a?.kill('SIGTERM');
    await b?.kill('SIGTERM');
    await redis?.stop();
    await database?.drop();
  });

  it('deactivating a person in no other network closes their socket and their note editor on B, and B refuses them afterwards', async () => {
    const cookie = await login(b.url, CARL);
    const { reasons } = await socketOn(b.url, cookie);
    const { editor, closes } = await editorOn(b.url, cookie);
    expect(editor.provider.wsconnected).toBe(true);

    expect(await changeCarl({ disabled: true })).toBe(200);
    await eventually(() => reasons.includes('io server disconnect'), "Carl's socket on B to be closed by the server", 15_000);
    // Either path may come first: the membership (no access) or the session ending with the last membership.
    await eventually(() => closes.some((c) => c === YjsCloseCode.forbidden || c === YjsCloseCode.sessionRevoked), "Carl's note editor on B to be closed", 15_000);
    // A stock client does not retry after 44xx; a new attempt on B is refused: the session ended with his last membership.
    expect(await upgradeStatus(b.url, cookie)).toBe(401);
    const again = liveClient(b.url, { cookie });
    sockets.push(again);
    await expect(connected(again)).rejects.toThrow();

    expect(await changeCarl({ disabled: false })).toBe(200);
  }, 60_000);

  it('deactivating a person who keeps another network closes only this network on B: the note is refused, the session lives on', async () => {
    const other = await keepAnotherNetwork();
    try {
      const cookie = await login(b.url, CARL);
      const { reasons } = await socketOn(b.url, cookie);
      const { closes } = await editorOn(b.url, cookie);

      expect(await changeCarl({ disabled: true })).toBe(200);
      await eventually(() => reasons.includes('io server disconnect'), "Carl's socket on B to be closed by the server", 15_000);
      await eventually(() => closes.includes(YjsCloseCode.forbidden), "Carl's note editor on B to be closed as forbidden", 15_000);
      expect(closes).not.toContain(YjsCloseCode.sessionRevoked);
      // Still signed in (the other network), but this network's note is no longer his.
      expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(200);
      expect(await upgradeStatus(b.url, cookie)).toBe(403);
      const reconnected = await socketOn(b.url, cookie);
      expect(reconnected.socket.connected).toBe(true);
      const joined = await reconnected.socket.emitWithAck('presence:join', { networkId });
      expect(joined.ok).toBe(false);
    } finally {
      await database.db.deleteFrom('memberships').where('network_id', '=', other).where('user_id', '=', carlId).execute();
      expect(await changeCarl({ disabled: false })).toBe(200);
    }
  }, 60_000);

  it('lowering a provider member to viewer: his unpublished note on B is closed as forbidden and refused afterwards', async () => {
    const cookie = await login(b.url, CARL);
    const { reasons } = await socketOn(b.url, cookie);
    const { closes } = await editorOn(b.url, cookie);

    expect(await changeCarl({ role: 'viewer' })).toBe(200);
    await eventually(() => reasons.includes('io server disconnect'), "Carl's socket on B to be closed (joined under the old role)", 15_000);
    await eventually(() => closes.includes(YjsCloseCode.forbidden), "Carl's note editor on B to be closed as forbidden", 15_000);
    // A viewer reads a provider's note only once it is published (domain/access.ts).
    expect(await upgradeStatus(b.url, cookie)).toBe(403);
    // As a viewer he still belongs to the network: a new socket joins it.
    const reconnected = await socketOn(b.url, cookie);
    expect((await reconnected.socket.emitWithAck('presence:join', { networkId })).ok).toBe(true);

    expect(await changeCarl({ role: 'provider', providerId })).toBe(200);
  }, 60_000);

  it('lowering a provider member to viewer: his published note on B is closed with rightsChanged and comes back read-only', async () => {
    const cookie = await login(b.url, CARL);
    const publish = await fetch(`${a.url}/api/meetings/${meetingId}/notes/${providerId}/publish`, { method: 'POST', headers: { cookie: await login(a.url, 'anna@provider1.example') } });
    expect(publish.status).toBe(200);
    const { editor, closes } = await editorOn(b.url, cookie, { acks: true });
    const text = editor.doc.getText('cluster');
    text.insert(0, 'written as provider ');
    await eventually(() => editor.acked().size > 0, "B to store Carl's edit", 15_000);

    expect(await changeCarl({ role: 'viewer' })).toBe(200);
    await eventually(() => closes.includes(YjsCloseCode.rightsChanged), "Carl's note editor on B to be closed with rightsChanged", 15_000);
    expect(closes).not.toContain(YjsCloseCode.forbidden);
    // y-websocket reconnects on 43xx; the new connection is read-only.
    await eventually(() => editor.provider.wsconnected && editor.provider.synced, "Carl's editor to be back on B", 15_000);
    expect(await upgradeStatus(b.url, cookie)).toBe(101);
    text.insert(0, 'written as viewer ');
    // B handles a connection's messages in order: once it answers a later query, it has dealt with the edit.
    const answered = new Promise<void>((resolve) => {
      const handler = editor.provider.messageHandlers[YjsMessage.awareness];
      editor.provider.messageHandlers[YjsMessage.awareness] = (...args: Parameters<typeof handler>) => {
        handler(...args);
        resolve();
      };
    });
    const query = encoding.createEncoder();
    encoding.writeVarUint(query, YjsMessage.queryAwareness);
    editor.provider.ws!.send(encoding.toUint8Array(query));
    await answered;
    // A fresh reader on B sees what B holds: the provider's edit, not the viewer's.
    const reader = await editorOn(b.url, await login(b.url, HOST));
    const held = reader.editor.doc.getText('cluster').toString();
    expect(held).toContain('written as provider');
    expect(held).not.toContain('written as viewer');

    expect(await changeCarl({ role: 'provider', providerId })).toBe(200);
  }, 60_000);

  it('removing the membership of a person who keeps another network closes his socket and note editor on B', async () => {
    const other = await keepAnotherNetwork();
    try {
      const cookie = await login(b.url, CARL);
      const { reasons } = await socketOn(b.url, cookie);
      const { closes } = await editorOn(b.url, cookie);

      const removed = await fetch(`${a.url}/api/networks/${networkId}/members/${carlId}`, { method: 'DELETE', headers: { cookie: await login(a.url, HOST) } });
      expect(removed.status).toBe(204);
      await eventually(() => reasons.includes('io server disconnect'), "Carl's socket on B to be closed by the server", 15_000);
      await eventually(() => closes.includes(YjsCloseCode.forbidden), "Carl's note editor on B to be closed as forbidden", 15_000);
      expect((await fetch(`${b.url}/api/me`, { headers: { cookie } })).status).toBe(200);
      expect(await upgradeStatus(b.url, cookie)).toBe(403);
    } finally {
      await database.db.deleteFrom('memberships').where('network_id', '=', other).where('user_id', '=', carlId).execute();
      const now = new Date().toISOString();
      await addMembership(database.db, { id: crypto.randomUUID(), user_id: carlId, network_id: networkId, role: 'provider', organisation_id: providerId, created_at: now, disabled_at: null, provider_admin: 0, invited_by: null });
    }
  }, 60_000);
});
