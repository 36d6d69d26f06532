// A change of rights that lands while a Yjs connection is still being opened (its access decided,
// its document loading) takes effect on that connection too: it is not opened with the old rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostedNetwork } from '../../db/queries/networks.ts';
import { addMembership } from '../../db/queries/members.ts';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { eventually, yjsClient } from '../helpers/clients.ts';
import { MemoryDocumentStore } from '../helpers/memoryDocumentStore.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const HOST = 'host@jobcenter.example';
const CARL = 'carl@provider1.example';

/** An in-memory store whose loads wait while held, so a test can act between the access decision and the open. */
class HeldStore extends MemoryDocumentStore {
  #held: { reached: () => void; release: Promise<void> } | null = null;
  /** Holds the next load until `release` is called; `reached` resolves once a load is waiting. */
  hold(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const reachedPromise = new Promise<void>((r) => (reached = r));
    this.#held = { reached, release: new Promise<void>((r) => (release = r)) };
    return { reached: reachedPromise, release };
  }
  override async loadDoc(name: string) {
    const held = this.#held;
    if (held) {
      this.#held = null;
      held.reached();
      await held.release;
    }
    return super.loadDoc(name);
  }
}

describe('rights changed while a Yjs connection opens', () => {
  let server: TestServer;
  const store = new HeldStore();
  let carlId: string;
  let note: string;
  let minutes: string;
  const editors: Array<ReturnType<typeof yjsClient>> = [];

  beforeAll(async () => {
    server = await startTestServer({ documentStore: store });
    const db = server.ctx.db;
    const meetingId = (await db.selectFrom('meetings').select('id').where('status', '=', 'planned').executeTakeFirstOrThrow()).id;
    const providerId = (await db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', server.networkId).orderBy('position').executeTakeFirstOrThrow()).organisation_id;
    carlId = (await db.selectFrom('users').select('id').where('email', '=', CARL).executeTakeFirstOrThrow()).id;
    note = `meeting:${meetingId}:note:${providerId}`;
    minutes = `meeting:${meetingId}:minutes`; // not yet loaded when the second test opens it
    // Carl is also a viewer elsewhere: losing this network leaves him signed in, so only the membership check can act.
    const now = new Date().toISOString();
    await createHostedNetwork(db, { now, newId: server.ctx.newId, email: 'host@elsewhere.example', name: 'Else Host', passwordHash: 'x', jobcenter: 'Andetsted Jobcenter', network: 'Andet netværk', targetGroup: 'Alle' });
    const other = (await db.selectFrom('networks').select('id').where('name', '=', 'Andet netværk').executeTakeFirstOrThrow()).id;
    await addMembership(db, { id: server.ctx.newId(), user_id: carlId, network_id: other, role: 'viewer', organisation_id: null, created_at: now, disabled_at: null, provider_admin: 0, invited_by: null });
  });
  afterAll(async () => {
    for (const e of editors) e.destroy();
    await server?.close();
  });

  const opening = async (cookie: string, name: string) => {
    const held = store.hold();
    const editor = yjsClient(server.url, name, { cookie });
    editors.push(editor);
    const closes: number[] = [];
    editor.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    await held.reached; // identified, access decided, the document loading
    return { editor, closes, release: held.release };
  };

  it('a deactivation during the open closes the new connection instead of leaving it writable', async () => {
    const { editor, closes, release } = await opening(await server.login(CARL), note);
    const res = await server.api(`/api/networks/${server.networkId}/members/${carlId}`, { method: 'PATCH', cookie: await server.as(HOST), body: JSON.stringify({ disabled: true }) });
    expect(res.status).toBe(200);
    release();
    await eventually(() => closes.some((c) => c === YjsCloseCode.rightsChanged || c === YjsCloseCode.forbidden), 'the connection opened with the old rights to be closed', 10_000);
    editor.destroy();
    expect((await server.api(`/api/networks/${server.networkId}/members/${carlId}`, { method: 'PATCH', cookie: await server.as(HOST), body: JSON.stringify({ disabled: false }) })).status).toBe(200);
  });

  it('a sign-out during the open closes the new connection instead of leaving it open on an ended session', async () => {
    const cookie = await server.login(CARL);
    const { editor, closes, release } = await opening(cookie, minutes);
    expect((await server.api('/api/auth/logout', { method: 'POST', cookie })).status).toBeLessThan(300);
    release();
    await eventually(() => closes.some((c) => c === YjsCloseCode.rightsChanged || c === YjsCloseCode.sessionRevoked), 'the connection opened on the ended session to be closed', 10_000);
    editor.destroy();
  });
});
