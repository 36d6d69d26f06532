// Method notes and minutes over Yjs: templates, drafts and publishing, durable storage, acks,
// limits and awareness — with real y-websocket clients against the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { METHOD_NOTE_SECTIONS, CONTENT_FIELD } from '../../realtime/yjs/templates.ts';
import { DatabaseDocumentStore, documentText } from '../../realtime/yjs/persistence.ts';
import { YjsCloseCode, YjsMessage } from '../../realtime/wire/yjs.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { eventually, rawUpgrade, yjsClient } from '../helpers/clients.ts';

let server: TestServer;
let meetingId: string;
let providers: Array<{ id: string }>;
const token = (email: string): Promise<string> => server.tokenOf(email);

const ws = () => server.url.replace('http', 'ws');

beforeAll(async () => {
  server = await startTestServer({ yjsLimits: { maxMessageBytes: 64 * 1024, maxDocumentBytes: 512 * 1024 } });
  meetingId = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
  providers = (await server.ctx.db.selectFrom('network_providers').select('organisation_id as id').orderBy('position').execute());
});
afterAll(async () => {
  await server?.close();
});

async function meeting(email: string) {
  const res = await server.api(`/api/meetings/${meetingId}`, { token: await token(email) });
  expect(res.status).toBe(200);
  return res.json();
}

/** Opens a raw protocol connection and collects what the server sends and how it closes. */
function rawClient(url: string) {
  const socket = new WebSocket(url);
  const received: Uint8Array[] = [];
  let closeCode: number | null = null;
  socket.on('message', (d: Buffer) => received.push(new Uint8Array(d)));
  socket.on('close', (code) => (closeCode = code));
  return {
    socket,
    received,
    closeCode: () => closeCode,
    opened: () => new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_q, r) => reject(new Error(`refused ${r.statusCode}`)));
    }),
    send: (build: (e: encoding.Encoder) => void) => {
      const e = encoding.createEncoder();
      build(e);
      socket.send(encoding.toUint8Array(e));
    },
  };
}

describe('documents of a meeting', () => {
  it('GET /api/meetings/:id names the minutes and every method note the caller may read', async () => {
    const forHost = await meeting('host@jobcenter.example');
    expect(forHost.documents.minutes).toMatchObject({ name: `meeting:${meetingId}:minutes`, access: 'write' });
    expect(forHost.documents.methodNotes).toHaveLength(6);
    expect(forHost.documents.methodNotes.every((n: { access: string }) => n.access === 'read')).toBe(true);

    const forAnna = await meeting('anna@provider1.example');
    expect(forAnna.documents.minutes.access).toBe('read');
    expect(forAnna.documents.methodNotes[0]).toMatchObject({ providerId: providers[0].id, access: 'write', published: false, name: `meeting:${meetingId}:note:${providers[0].id}` });
    // Another provider's draft: not even its name.
    expect(forAnna.documents.methodNotes[1]).toMatchObject({ access: 'none', name: null, published: null });
  });

  it('a new method note starts from the Danish template; minutes start from the agenda', async () => {
    const note = yjsClient(server.url, `meeting:${meetingId}:note:${providers[2].id}`, { token: await token('dorthe@provider3.example') });
    await note.synced();
    const text = documentText(note.doc);
    for (const section of METHOD_NOTE_SECTIONS) expect(text).toContain(section);
    const headings = note.doc.getXmlFragment(CONTENT_FIELD).toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'heading');
    expect(headings).toHaveLength(METHOD_NOTE_SECTIONS.length);
    // A second client gets the same template, not a second copy of it.
    const again = yjsClient(server.url, `meeting:${meetingId}:note:${providers[2].id}`, { token: await token('dorthe@provider3.example') });
    await again.synced();
    expect(again.doc.getXmlFragment(CONTENT_FIELD).length).toBe(METHOD_NOTE_SECTIONS.length * 2);

    const minutes = yjsClient(server.url, `meeting:${meetingId}:minutes`, { token: await token('viewer@jobcenter.example') });
    await minutes.synced();
    const minutesText = documentText(minutes.doc);
    expect(minutesText).toContain('Referat: Fælles erfaringsmøde');
    expect(minutesText).toContain('Oplæg: Karrierebroen');
    for (const c of [note, again, minutes]) c.destroy();
  });

  it('publishing opens a note to the network; holding closes it again until the meeting opens', async () => {
    const noteName = `meeting:${meetingId}:note:${providers[0].id}`;
    const bo = await token('bo@provider2.example');
    expect((await rawUpgrade(`${ws()}/yjs/${noteName}?token=${bo}`)).status).toBe(403);

    // Only Karrierebroen's own members may publish it.
    const refused = await server.api(`/api/meetings/${meetingId}/notes/${providers[0].id}/publish`, { method: 'POST', token: bo });
    expect(refused.status).toBe(403);
    const published = await server.api(`/api/meetings/${meetingId}/notes/${providers[0].id}/publish`, { method: 'POST', token: await token('carl@provider1.example') });
    expect(published.status).toBe(200);

    const boNote = yjsClient(server.url, noteName, { token: bo });
    await boNote.synced();
    expect(documentText(boNote.doc)).toContain('Målgruppe');
    expect((await meeting('bo@provider2.example')).documents.methodNotes[0]).toMatchObject({ access: 'read', published: true });

    // Bo's edits are dropped: he may read, not write.
    const anna = yjsClient(server.url, noteName, { token: await token('anna@provider1.example') });
    await anna.synced();
    boNote.doc.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('BO WAS HERE')]);
    anna.doc.getXmlFragment(CONTENT_FIELD).insert(0, [new Y.XmlText('Anna skriver')]);
    await eventually(() => documentText(boNote.doc).includes('Anna skriver'), 'Bo to see Anna');
    await new Promise((r) => setTimeout(r, 200));
    expect(documentText(anna.doc)).not.toContain('BO WAS HERE');

    // The host holds notes: Bo's open connection is closed and he cannot reconnect.
    const hold = await server.api(`/api/meetings/${meetingId}/notes/hold`, { method: 'POST', token: await token('host@jobcenter.example'), body: JSON.stringify({ held: true }) });
    expect(hold.status).toBe(200);
    expect((await hold.json()).notesHeld).toBe(true);
    await eventually(() => !boNote.provider.wsconnected, 'Bo to be disconnected');
    expect((await rawUpgrade(`${ws()}/yjs/${noteName}?token=${bo}`)).status).toBe(403);
    // Anna, its author, still writes.
    expect((await rawUpgrade(`${ws()}/yjs/${noteName}?token=${await token('anna@provider1.example')}`)).status).toBe(101);
    const badHold = await server.api(`/api/meetings/${meetingId}/notes/hold`, { method: 'POST', token: await token('anna@provider1.example'), body: JSON.stringify({ held: false }) });
    expect(badHold.status).toBe(403);
    const invalid = await server.api(`/api/meetings/${meetingId}/notes/hold`, { method: 'POST', token: await token('host@jobcenter.example'), body: JSON.stringify({ held: 'yes' }) });
    expect(invalid.status).toBe(422);
    await server.api(`/api/meetings/${meetingId}/notes/hold`, { method: 'POST', token: await token('host@jobcenter.example'), body: JSON.stringify({ held: false }) });
    for (const c of [boNote, anna]) c.destroy();
  });

  it('archived meetings serve their documents read-only, even to their authors', async () => {
    const closed = (await server.ctx.db.selectFrom('meetings').select('id').where('status', '=', 'closed').executeTakeFirstOrThrow()).id;
    const detail = await (await server.api(`/api/meetings/${closed}`, { token: await token('host@jobcenter.example') })).json();
    expect(detail.documents.minutes.access).toBe('read');
    const annaView = await (await server.api(`/api/meetings/${closed}`, { token: await token('anna@provider1.example') })).json();
    expect(annaView.documents.methodNotes[0].access).toBe('read');
    const publish = await server.api(`/api/meetings/${closed}/notes/${providers[0].id}/publish`, { method: 'POST', token: await token('anna@provider1.example') });
    expect(publish.status).toBe(409);
  });
});

describe('durability and acknowledgements', () => {
  it('every edit is stored before anyone sees it, and survives a restart of the server', async () => {
    const name = `meeting:${meetingId}:note:${providers[3].id}`;
    const emil = await token('emil@provider4.example');
    const a = yjsClient(server.url, name, { token: emil });
    const b = yjsClient(server.url, name, { token: emil });
    await Promise.all([a.synced(), b.synced()]);
    const text = a.doc.getText('scratch');
    for (let i = 0; i < 50; i++) text.insert(text.length, `${i},`);
    await eventually(() => b.doc.getText('scratch').length === text.length, 'b to receive 50 edits');
    // What b has received is in the database already.
    const stored = await server.ctx.db.selectFrom('yjs_updates').select('data').where('name', '=', name).execute();
    const snapshot = await server.ctx.db.selectFrom('yjs_documents').select('snapshot').where('name', '=', name).executeTakeFirst();
    const fromDb = new Y.Doc();
    if (snapshot?.snapshot) Y.applyUpdate(fromDb, snapshot.snapshot);
    for (const u of stored) Y.applyUpdate(fromDb, u.data);
    expect(fromDb.getText('scratch').toString()).toBe(b.doc.getText('scratch').toString());
    a.destroy();
    b.destroy();

    const restarted = await startTestServer({ database: server.database });
    try {
      const c = yjsClient(restarted.url, name, { token: emil });
      await c.synced();
      expect(c.doc.getText('scratch').toString()).toBe(fromDb.getText('scratch').toString());
      c.destroy();
    } finally {
      await restarted.close();
    }
  });

  it('a client asking for acknowledgements gets the stored state vector after each committed update', async () => {
    const name = `meeting:${meetingId}:note:${providers[4].id}`;
    const client = rawClient(`${ws()}/yjs/${name}?acks=1&token=${await token('frida@provider5.example')}`);
    await client.opened();
    const local = new Y.Doc();
    local.getText('t').insert(0, 'acknowledged');
    client.send((e) => {
      encoding.writeVarUint(e, YjsMessage.sync);
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(local));
    });
    const ackedClock = () => {
      for (const m of client.received) {
        const d = decoding.createDecoder(m);
        if (decoding.readVarUint(d) !== YjsMessage.ack) continue;
        const sv = Y.decodeStateVector(decoding.readVarUint8Array(d));
        if ((sv.get(local.clientID) ?? 0) >= 12) return true;
      }
      return false;
    };
    await eventually(ackedClock, 'an ack covering all 12 inserted characters');
    client.socket.close();
  });

  it('a document whose stored state is corrupt is refused, never replaced by an empty one', async () => {
    const name = `meeting:${meetingId}:note:${providers[5].id}`;
    const now = new Date().toISOString();
    await server.ctx.db.insertInto('yjs_documents').values({ name, snapshot: new Uint8Array([1, 2, 3, 250, 251]), snapshot_seq: 0, size_bytes: 5, created_at: now, updated_at: now, cpr_flagged_at: null }).execute();
    const result = await rawUpgrade(`${ws()}/yjs/${name}?token=${await token('gustav@provider6.example')}`);
    expect(result).toEqual({ status: 503, received: 0 });
    const row = await server.ctx.db.selectFrom('yjs_documents').select('snapshot').where('name', '=', name).executeTakeFirstOrThrow();
    expect([...row.snapshot!]).toEqual([1, 2, 3, 250, 251]);
  });
});

describe('limits and hostile messages', () => {
  const minutes = () => `meeting:${meetingId}:minutes`;

  it('an oversized message closes that connection only; others carry on', async () => {
    const host = await token('host@jobcenter.example');
    const bystander = yjsClient(server.url, minutes(), { token: host });
    await bystander.synced();
    const attacker = rawClient(`${ws()}/yjs/${minutes()}?token=${host}`);
    await attacker.opened();
    const big = new Y.Doc();
    big.getText('x').insert(0, 'x'.repeat(100 * 1024));
    attacker.send((e) => {
      encoding.writeVarUint(e, YjsMessage.sync);
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(big));
    });
    await eventually(() => attacker.closeCode() !== null, 'attacker to be closed');
    expect(attacker.closeCode()).toBe(YjsCloseCode.messageTooLarge);
    const writer = yjsClient(server.url, minutes(), { token: host });
    await writer.synced();
    writer.doc.getText('ok').insert(0, 'still fine');
    await eventually(() => bystander.doc.getText('ok').toString() === 'still fine', 'bystander to keep receiving');
    expect(bystander.doc.getText('x').length).toBe(0);
    bystander.destroy();
    writer.destroy();
  });

  it('malformed frames close the connection with a clear code and store nothing', async () => {
    const host = await token('host@jobcenter.example');
    const storedText = async () => {
      const doc = new Y.Doc();
      const update = await new DatabaseDocumentStore({ db: server.ctx.db, postgres: false, now: () => new Date() }).load(minutes());
      if (update) Y.applyUpdate(doc, update);
      return JSON.stringify(doc.toJSON()) + Y.encodeStateVector(doc).join();
    };
    const before = await storedText();
    for (const frame of [
      new Uint8Array([0, 2, 200, 1, 2]), // update with a length prefix beyond the frame
      new Uint8Array([0, 2, 3, 255, 255, 255]), // garbage update
      new Uint8Array([0, 9]), // unknown sync type
      new Uint8Array([77]), // unknown message type
      new Uint8Array([0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]), // truncated varint
    ]) {
      const c = rawClient(`${ws()}/yjs/${minutes()}?token=${host}`);
      await c.opened();
      c.socket.send(frame);
      await eventually(() => c.closeCode() !== null, `close after ${[...frame]}`);
      expect(c.closeCode()).toBe(YjsCloseCode.malformed);
    }
    expect(await storedText()).toBe(before);
    expect((await server.api('/api/health')).status).toBe(200);
  });

  it('a connection cannot set another client’s presence, and its shown name is the signed-in user', async () => {
    const viewerToken = await token('viewer@jobcenter.example');
    const watcher = yjsClient(server.url, minutes(), { token: await token('host@jobcenter.example') });
    await watcher.synced();
    const c = rawClient(`${ws()}/yjs/${minutes()}?token=${viewerToken}`);
    await c.opened();
    const fake = new Y.Doc();
    const aw = new awarenessProtocol.Awareness(fake);
    aw.setLocalState({ user: { name: 'Helle Jobcenter (fake)', color: '#f00' } });
    c.send((e) => {
      encoding.writeVarUint(e, YjsMessage.awareness);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [fake.clientID]));
    });
    await eventually(() => [...watcher.provider.awareness.getStates().values()].some((s) => (s as { user?: { name: string } }).user?.name === 'Vibeke Deltager'), 'the viewer to appear under her own name');
    // Now try to set another client's presence: the watcher's own, and a made-up one. Both are dropped.
    const names = () => [...watcher.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name);
    for (const clientID of [watcher.doc.clientID, 123456789]) {
      c.send((e) => {
        encoding.writeVarUint(e, YjsMessage.awareness);
        const entry = encoding.createEncoder();
        encoding.writeVarUint(entry, 1);
        encoding.writeVarUint(entry, clientID);
        encoding.writeVarUint(entry, 99);
        encoding.writeVarString(entry, JSON.stringify({ user: { name: 'Spoofed' } }));
        encoding.writeVarUint8Array(e, encoding.toUint8Array(entry));
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(names()).not.toContain('Spoofed');
    expect(c.closeCode()).toBeNull();
    c.socket.close();
    await eventually(() => !names().includes('Vibeke Deltager'), 'her presence to go with her');
    watcher.destroy();
  });
});

describe('personal data in notes', () => {
  it('the server flags to the host a stored document that still contains a CPR number, and clears the flag once it is gone', async () => {
    const name = `meeting:${meetingId}:minutes`;
    const host = yjsClient(server.url, name, { token: await token('host@jobcenter.example') });
    await host.synced();
    const text = host.doc.getText('leak');
    text.insert(0, 'Borger 010190-1234 mødte op');
    await new Promise((r) => setTimeout(r, 200));
    host.destroy(); // the last one out compacts and scans
    const flagged = async (email: string) =>
      (await (await server.api(`/api/meetings/${meetingId}`, { token: await token(email) })).json()).documents.minutes.cprFlaggedAt;
    let seen: string | null = null;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = await flagged('host@jobcenter.example');
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).not.toBeNull();
    expect(await flagged('anna@provider1.example')).toBeNull(); // only the host is told

    const again = yjsClient(server.url, name, { token: await token('host@jobcenter.example') });
    await again.synced();
    again.doc.getText('leak').delete(0, again.doc.getText('leak').length);
    await new Promise((r) => setTimeout(r, 200));
    again.destroy();
    let cleared: string | null = 'x';
    for (let i = 0; i < 50 && cleared; i++) {
      cleared = await flagged('host@jobcenter.example');
      if (cleared) await new Promise((r) => setTimeout(r, 50));
    }
    expect(cleared).toBeNull();
  });
});
