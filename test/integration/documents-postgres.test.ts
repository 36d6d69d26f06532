// The Yjs store on PostgreSQL (bytea, advisory-locked compaction): what clients receive is stored,
// survives a restart, and compaction keeps it exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { postgresAvailable } from '../helpers/services.ts';

const available = await postgresAvailable();

describe.skipIf(!available)('Yjs documents on PostgreSQL', () => {
  let server: TestServer;
  let name: string;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ dialect: 'postgres' });
    const meeting = await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow();
    name = `meeting:${meeting.id}:minutes`;
    const cookie = await server.login('host@jobcenter.example');
    token = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores every relayed edit, compacts without loss, and serves it after a restart', async () => {
    const a = yjsClient(server.url, name, { token });
    const b = yjsClient(server.url, name, { token });
    await Promise.all([a.synced(), b.synced()]);
    const text = a.doc.getText('pg');
    for (let i = 0; i < 40; i++) text.insert(text.length, `${i};`);
    text.delete(0, 6);
    await eventually(() => b.doc.getText('pg').toString() === text.toString(), 'b to converge');
    const store = new DatabaseDocumentStore({ db: server.ctx.db, postgres: true, now: () => new Date() });
    const before = new Y.Doc();
    Y.applyUpdate(before, (await store.load(name))!);
    expect(before.getText('pg').toString()).toBe(text.toString());

    await store.compact(name);
    const row = await server.ctx.db.selectFrom('yjs_documents').select(['snapshot', 'snapshot_seq']).where('name', '=', name).executeTakeFirstOrThrow();
    expect(row.snapshot).not.toBeNull();
    expect(await server.ctx.db.selectFrom('yjs_updates').select('id').where('name', '=', name).execute()).toEqual([]);
    a.destroy();
    b.destroy();

    const restarted = await startTestServer({ database: server.database });
    try {
      const c = yjsClient(restarted.url, name, { token });
      await c.synced();
      expect(c.doc.getText('pg').toString()).toBe(text.toString());
      c.destroy();
    } finally {
      await restarted.close();
    }
  });
});
