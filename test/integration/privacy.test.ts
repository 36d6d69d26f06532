// Privacy and data retention: a CPR number typed into a note and deleted is gone from the stored
// bytes after the host's purge; a network's data is exported whole and deleted whole, leaving no
// row that refers to it in any table, on SQLite and on PostgreSQL.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { NETWORK_TABLES } from '../../db/queries/networkData.ts';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';

const HOST = 'host@jobcenter.example';
const CPR = '0101901234';

async function tokenFor(server: TestServer, email: string): Promise<string> {
  const cookie = await server.login(email);
  return (await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token;
}

/** Every byte the store holds for a document: the snapshot and each logged update. */
async function storedBytes(server: TestServer, name: string): Promise<Buffer> {
  const doc = await server.ctx.db.selectFrom('yjs_documents').select('snapshot').where('name', '=', name).executeTakeFirst();
  const log = await server.ctx.db.selectFrom('yjs_updates').select('data').where('name', '=', name).execute();
  return Buffer.concat([...(doc?.snapshot ? [Buffer.from(doc.snapshot)] : []), ...log.map((u) => Buffer.from(u.data))]);
}

/** Every byte of the SQLite database on disk, free pages and unused cell space included: the file and its write-ahead log. */
function fileBytes(server: TestServer): Buffer {
  const path = server.database.url.slice('file:'.length);
  return Buffer.concat([readFileSync(path), ...(existsSync(`${path}-wal`) ? [readFileSync(`${path}-wal`)] : [])]);
}

/** The updates (as the server stores them, byte for byte) found anywhere in `bytes`. */
function foundIn(bytes: Buffer, updates: Uint8Array[]): Uint8Array[] {
  return updates.filter((u) => bytes.includes(Buffer.from(u)));
}

describe('purging a meeting document', () => {
  let server: TestServer;
  let meetingId: string;
  let name: string;
  let host: string;
  beforeAll(async () => {
    server = await startTestServer();
    meetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
    name = `meeting:${meetingId}:minutes`;
    host = await tokenFor(server, HOST);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a CPR number typed and deleted is in the stored log until the purge, and in no stored byte after it; the rest stays', async () => {
    const client = yjsClient(server.url, name, { token: host, acks: true });
    await client.synced();
    const closes: number[] = [];
    client.provider.on('connection-close', (event: { code: number } | null) => void (event && closes.push(event.code)));
    const text = client.doc.getText('purge-test');
    // Typed one keystroke at a time, as an editor sends it, then deleted.
    text.insert(0, 'Borgeren mødte op. CPR: ');
    // Each keystroke's update, as the client sends it and the server logs it: the digit with its item id.
    const keystrokes: Uint8Array[] = [];
    const capture = (update: Uint8Array) => keystrokes.push(update);
    client.doc.on('update', capture);
    for (const digit of CPR) text.insert(text.length, digit);
    client.doc.off('update', capture);
    expect(keystrokes).toHaveLength(CPR.length);
    text.insert(text.length, ' Aftale om praktik.');
    const start = text.toString().indexOf(CPR);
    text.delete(start, CPR.length);
    const expected = text.toString();
    expect(expected).not.toContain(CPR);
    await eventually(() => allStored(client), 'the edits to be stored');

    // Stored one keystroke per update: each digit is a byte of its own, so scan for the ASCII digits in order.
    const before = await storedBytes(server, name);
    expect(containsInOrder(before, CPR), 'the deleted digits are still in the stored log').toBe(true);
    expect(foundIn(fileBytes(server), keystrokes), 'the keystrokes are in the database file or its WAL').toHaveLength(CPR.length);

    const res = await server.api(`/api/meetings/${meetingId}/documents/purge`, { method: 'POST', token: host, body: JSON.stringify({ names: [name] }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.documents).toHaveLength(1);
    expect(body.documents[0]).toMatchObject({ name });
    console.log(`purge of ${name}: ${body.documents[0].bytesBefore} → ${body.documents[0].bytesAfter} stored bytes, ${body.documents[0].updatesRemoved} logged updates folded`);

    const after = await storedBytes(server, name);
    expect(after.includes(Buffer.from(CPR))).toBe(false);
    expect(containsInOrder(after, CPR), 'no trace of the digits, even scattered').toBe(false);
    expect(await server.ctx.db.selectFrom('yjs_updates').select('id').where('name', '=', name).execute()).toEqual([]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, after);
    expect(stored.getText('purge-test').toString()).toBe(expected);
    // Not only the rows: no byte of the file or its write-ahead log holds a keystroke (freed pages included).
    const disk = fileBytes(server);
    console.log(`after the purge: ${disk.byteLength} bytes in the database file and its WAL, ${foundIn(disk, keystrokes).length} of ${CPR.length} keystrokes found`);
    expect(foundIn(disk, keystrokes)).toEqual([]);

    // The open connection was closed with rightsChanged; the client reconnects, converges, and brings nothing back.
    await eventually(() => closes.includes(YjsCloseCode.rightsChanged), 'the connection to be closed');
    await client.synced();
    text.insert(text.length, ' Næste møde i uge 48.');
    await eventually(() => allStored(client), 'the new edit to be stored');
    const fresh = yjsClient(server.url, name, { token: host });
    await fresh.synced();
    expect(fresh.doc.getText('purge-test').toString()).toBe(`${expected} Næste møde i uge 48.`);
    expect(containsInOrder(await storedBytes(server, name), CPR)).toBe(false);
    expect(foundIn(fileBytes(server), keystrokes)).toEqual([]);
    client.destroy();
    fresh.destroy();

    const audit = await server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'documents.purge').execute();
    expect(audit).toHaveLength(1);
  });

  it('the purge itself rewrites a stored log that no compaction has folded yet', async () => {
    const other = (await server.ctx.db.selectFrom('meetings').select('id').where('id', '!=', meetingId).executeTakeFirstOrThrow()).id;
    const target = `meeting:${other}:minutes`;
    const store = new DatabaseDocumentStore({ db: server.ctx.db, postgres: false, now: () => new Date() });
    await store.create(target, async () => null);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('t').insert(0, `Før ${CPR} efter`);
    doc.getText('t').delete(4, CPR.length + 1);
    await store.append(target, updates);
    expect((await storedBytes(server, target)).includes(Buffer.from(CPR))).toBe(true);
    const result = await store.purge(target);
    expect(result).toMatchObject({ updatesRemoved: 2 });
    const after = await storedBytes(server, target);
    expect(after.includes(Buffer.from(CPR))).toBe(false);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, after);
    expect(reloaded.getText('t').toString()).toBe('Før efter');
    expect(fileBytes(server).includes(Buffer.from(CPR, 'utf8')), 'the pasted number, in UTF-8 as Yjs stores strings').toBe(false);
  });

  it('a CPR number that a compaction folded into the snapshot before it was deleted is in no byte on disk after the purge', async () => {
    const meetings = await server.ctx.db.selectFrom('meetings').select('id').where('id', '!=', meetingId).execute();
    const target = `meeting:${meetings[meetings.length - 1].id}:minutes`;
    const store = new DatabaseDocumentStore({ db: server.ctx.db, postgres: false, now: () => new Date() });
    await store.create(target, async () => null);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    // Pasted into a long note (larger than a page: SQLite keeps it on overflow pages), then everyone
    // left: the last one out compacts, so the snapshot holds the number.
    doc.getText('t').insert(0, `Før ${CPR} efter. ${'Referat af mødet. '.repeat(500)}`);
    await store.append(target, updates.splice(0));
    await store.compact(target);
    // Deleted later, and the log compacted again: the live rows no longer hold it, the freed space may.
    doc.getText('t').delete(4, CPR.length + 1);
    await store.append(target, updates.splice(0));
    await store.compact(target);
    expect((await storedBytes(server, target)).includes(Buffer.from(CPR))).toBe(false);
    await store.purge(target);
    expect(fileBytes(server).includes(Buffer.from(CPR, 'utf8'))).toBe(false);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, (await store.load(target))!);
    expect(reloaded.getText('t').toString()).toMatch(/^Før efter\. Referat/);
  });

  it('only the host may purge', async () => {
    const anna = await tokenFor(server, 'anna@provider1.example');
    const res = await server.api(`/api/meetings/${meetingId}/documents/purge`, { method: 'POST', token: anna, body: '{}' });
    expect(res.status).toBe(403);
    const unknown = await server.api(`/api/meetings/${meetingId}/documents/purge`, { method: 'POST', token: host, body: JSON.stringify({ names: ['meeting:other:minutes'] }) });
    expect(unknown.status).toBe(404);
  });
});

/** Whether the server acknowledged storing every edit this client made. */
function allStored(client: ReturnType<typeof yjsClient>): boolean {
  const own = Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID) ?? 0;
  return (client.acked().get(client.doc.clientID) ?? 0) >= own;
}

/** Whether the bytes hold the digits in order (other bytes between them allowed, within a short reach). */
function containsInOrder(bytes: Buffer, digits: string): boolean {
  for (let start = bytes.indexOf(digits.charCodeAt(0)); start !== -1; start = bytes.indexOf(digits.charCodeAt(0), start + 1)) {
    let at = start;
    let k = 1;
    for (; k < digits.length; k++) {
      const next = bytes.indexOf(digits.charCodeAt(k), at + 1);
      if (next === -1 || next - at > 64) break;
      at = next;
    }
    if (k === digits.length) return true;
  }
  return false;
}

const TABLES = Object.keys(NETWORK_TABLES) as Array<keyof Database>;

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`a network's data, exported and deleted whole (${dialect})`, () => {
    let server: TestServer;
    let host: string;
    beforeAll(async () => {
      server = await startTestServer({ dialect });
      host = await tokenFor(server, HOST);
      // Some co-edited content, so the export has a document to carry.
      const meeting = await server.ctx.db.selectFrom('meetings').select('id').where('network_id', '=', server.networkId).where('status', '=', 'planned').executeTakeFirstOrThrow();
      const client = yjsClient(server.url, `meeting:${meeting.id}:minutes`, { token: host, acks: true });
      await client.synced();
      client.doc.getText('export').insert(0, 'Eksporteret tekst');
      await eventually(() => allStored(client), 'the edit to be stored');
      client.destroy();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('the host exports every table of the network as JSON with its documents; no one else may', async () => {
      const anna = await tokenFor(server, 'anna@provider1.example');
      expect((await server.api(`/api/networks/${server.networkId}/export`, { token: anna })).status).toBe(403);
      const res = await server.api(`/api/networks/${server.networkId}/export`, { token: host });
      expect(res.status).toBe(200);
      const data = await res.json();
      expect(data.format).toBe('samspil-network-export');
      expect(data.tables.networks).toHaveLength(1);
      expect(data.tables.meetings.length).toBeGreaterThan(0);
      expect(data.tables.memberships.length).toBeGreaterThan(0);
      expect(data.tables.sessions).toBeUndefined();
      expect(JSON.stringify(data.tables.users)).not.toContain('password');
      expect(data.documents.length).toBeGreaterThan(0);
      for (const d of data.documents) {
        expect(typeof d.markdown).toBe('string');
        const doc = new Y.Doc();
        Y.applyUpdate(doc, Buffer.from(d.stateBase64, 'base64'));
      }
    });

    it('deletion needs the exact name and the host; afterwards no row of any table refers to the network', async () => {
      const anna = await tokenFor(server, 'anna@provider1.example');
      const networkId = server.networkId;
      const network = await server.ctx.db.selectFrom('networks').select('name').where('id', '=', networkId).executeTakeFirstOrThrow();
      const meetingIds = (await server.ctx.db.selectFrom('meetings').select('id').where('network_id', '=', networkId).execute()).map((m) => m.id);
      const contractIds = (await server.ctx.db.selectFrom('contracts').select('id').where('network_id', '=', networkId).execute()).map((m) => m.id);
      const statementIds = (await server.ctx.db.selectFrom('settlement_statements').select('id').where('network_id', '=', networkId).execute()).map((m) => m.id);
      const visitIds = (await server.ctx.db.selectFrom('supervision_visits').select('id').where('network_id', '=', networkId).execute()).map((m) => m.id);
      expect(meetingIds.length).toBeGreaterThan(0);

      const del = (token: string, confirm: string) => server.api(`/api/networks/${networkId}`, { method: 'DELETE', token, body: JSON.stringify({ confirm }) });
      expect((await del(anna, network.name)).status).toBe(403);
      expect((await del(host, 'wrong name')).status).toBe(422);
      expect(await server.ctx.db.selectFrom('networks').select('id').where('id', '=', networkId).executeTakeFirst()).toBeDefined();
      const res = await del(host, network.name);
      expect(res.status).toBe(200);
      const { deleted } = await res.json();
      expect(deleted.networks).toBe(1);

      // Every table, every column: no value equal to the network, one of its meetings, contracts, statements or visits,
      // and no document name of its meetings. Only the global audit entry of the deletion itself names it.
      const ids = new Set([networkId, ...meetingIds, ...contractIds, ...statementIds, ...visitIds]);
      const leftovers: string[] = [];
      for (const table of TABLES) {
        const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(server.ctx.db)).rows;
        for (const row of rows) {
          if (table === 'audit_log' && row.action === 'network.delete' && row.network_id === null) continue;
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string') continue;
            if (ids.has(value) || meetingIds.some((m) => value.startsWith(`meeting:${m}:`))) leftovers.push(`${table}.${column}`);
          }
        }
      }
      expect(leftovers).toEqual([]);
      const audit = await server.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'network.delete').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ network_id: null, subject_id: networkId });
      // The host's next request finds nothing there.
      expect((await server.api(`/api/networks/${networkId}`, { token: host })).status).toBeGreaterThanOrEqual(403);
    });
  });
}
