// Access control, exhaustively: every HTTP route, socket.io event and Yjs document kind against
// every role, from the one table in test/access/table.ts. A route or event without a row fails.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../realtime/auth/identity.ts';
import { createApi } from '../../realtime/http/app.ts';
import { KNOWN_EVENTS } from '../../realtime/live/io.ts';
import { parseDocumentName } from '../../realtime/yjs/documents.ts';
import type { ClientToServerEvents } from '../../realtime/wire/socket.ts';
import { connected, liveClient, rawUpgrade, yjsClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DOC_KINDS, DOC_KINDS_BY_REF, DOCUMENTS, EVENTS, ROLES, ROUTES, THROUGH_OWN_NETWORK, type DocKind, type DocOutcome, type EventOutcome, type Fixture, type RoleName } from '../access/table.ts';

const EMAIL: Partial<Record<RoleName, string>> = {
  viewer: 'viewer@jobcenter.example',
  providerA: 'anna@provider1.example',
  providerB: 'bo@provider2.example',
  host: 'host@jobcenter.example',
  otherHost: 'host@sydby.example',
};
/** Past the 12-hour session lifetime of the test server. */
const EXPIRY_SHIFT = 13 * 3600_000;

let server: TestServer;
let fx: Fixture;
let cookies = new Map<RoleName, Promise<string>>();
let revokedToken = '';
const docNames = {} as Record<DocKind, string>;

const cookieOf = (role: RoleName): Promise<string> => {
  if (!cookies.has(role)) cookies.set(role, server.login(EMAIL[role]!));
  return cookies.get(role)!;
};

interface Credential {
  cookie?: string;
  token?: string;
}

/** The credential a role presents; the expired session is made now and used inside `withShift`. */
async function credentialOf(role: RoleName, ownSession = false): Promise<Credential> {
  if (role === 'anonymous') return {};
  if (role === 'revokedToken') return { token: revokedToken };
  if (role === 'expiredSession') return { cookie: await server.login(EMAIL.host!) };
  return { cookie: ownSession ? await server.login(EMAIL[role]!) : await cookieOf(role) };
}

/** Runs `f` with the clock moved past the session lifetime when the role is the expired session. */
async function withShift<T>(role: RoleName, f: () => Promise<T>): Promise<T> {
  if (role !== 'expiredSession') return f();
  server.advanceClock(EXPIRY_SHIFT);
  try {
    return await f();
  } finally {
    server.advanceClock(-EXPIRY_SHIFT);
  }
}

async function call(method: string, path: string, cred: Credential, body?: unknown) {
  const res = await server.api(path, { method, ...cred, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function buildFixture(): Promise<Fixture> {
  const { db } = server.ctx;
  // A second jobcenter with its own network and host.
  const at = new Date().toISOString();
  await db.insertInto('organisations').values({ id: 'acc-jc-2', kind: 'jobcenter', name: 'Jobcenter Sydby', short_name: 'Sydby', created_at: at }).execute();
  await db.insertInto('networks').values({ id: 'acc-net-2', name: 'Sydby netværk', host_organisation_id: 'acc-jc-2', target_group: 'x', meeting_cadence_months: 1, activation_requirement_pct: 40, created_at: at }).execute();
  const hash = (await db.selectFrom('users').select('password_hash').where('email', '=', EMAIL.host!).executeTakeFirstOrThrow()).password_hash;
  await db.insertInto('users').values({ id: 'acc-u-2', email: EMAIL.otherHost!, name: 'Sydby Host', password_hash: hash, locale: 'da', created_at: at, disabled_at: null }).execute();
  await db.insertInto('memberships').values({ id: 'acc-m-2', user_id: 'acc-u-2', network_id: 'acc-net-2', role: 'host', organisation_id: 'acc-jc-2', created_at: at }).execute();

  const networkId = server.networkId;
  const host = async (method: string, path: string, body?: unknown) => call(method, path, { cookie: await cookieOf('host') }, body);
  const providerAApi = async (method: string, path: string, body?: unknown) => call(method, path, { cookie: await cookieOf('providerA') }, body);

  const detail = await host('GET', `/api/networks/${networkId}`);
  const providers: string[] = detail.providers.map((p: { id: string }) => p.id);
  const meetings: Array<{ id: string; status: string }> = (await host('GET', `/api/networks/${networkId}/meetings`)).meetings;
  const seededArchive = meetings.find((m) => m.status === 'closed')!;
  const planned = meetings.find((m) => m.status === 'planned')!;
  const contracts = await db.selectFrom('contracts').innerJoin('contract_versions', 'contract_versions.contract_id', 'contracts.id').select(['contracts.id', 'commitments_json']).where('provider_id', '=', providers[0]).execute();

  let disposable = 0;
  let oldMonth = 0;
  const freshOldMonth = () => `${2001 + Math.floor(oldMonth / 12)}-${String((oldMonth++ % 12) + 1).padStart(2, '0')}`;
  let recent = 0;
  const freshRecentMonth = () => {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - 1 - recent++);
    return d.toISOString().slice(0, 7);
  };
  const freshMeeting = async () => (await host('POST', `/api/networks/${networkId}/meetings`, { title: 'Access test meeting', startsAt: new Date(Date.now() + 7 * 86400_000).toISOString() })).id as string;

  const partial: Fixture = {
    networkId,
    otherNetworkId: 'acc-net-2',
    providerA: providers[0],
    providerB: providers[1],
    providers,
    plannedMeetingId: planned.id,
    archivedMeetingId: '',
    olderArchivedMeetingId: '',
    contractA: contracts[0].id,
    contractOther: (await db.selectFrom('contracts').select('id').where('provider_id', '=', providers[5]).executeTakeFirstOrThrow()).id,
    commitmentA: JSON.parse(contracts[0].commitments_json)[0].id,
    recordedCommitmentMonth: '',
    approvedMonth: '',
    freshOldMonth,
    freshRecentMonth,
    host,
    providerAApi,
    freshMeeting,
    async liveMeeting() {
      const id = await freshMeeting();
      await host('POST', `/api/meetings/${id}/start`, { confirmEarly: true });
      return id;
    },
    async hostTokenId() {
      return (await host('POST', '/api/auth/tokens', { name: 'to revoke' })).id;
    },
    async hostNotificationId() {
      const id = server.ctx.newId();
      const userId = (await db.selectFrom('users').select('id').where('email', '=', EMAIL.host!).executeTakeFirstOrThrow()).id;
      await db.insertInto('notifications').values({ id, user_id: userId, network_id: networkId, kind: 'report.overdue', subject_key: `access:${id}`, params_json: '{}', created_at: new Date().toISOString(), read_at: null, emailed_at: null }).execute();
      return id;
    },
    async hostSessionId() {
      const cookie = await server.login(EMAIL.host!);
      const { sessions } = await call('GET', '/api/me/sessions', { cookie });
      return sessions.find((s: { current: boolean }) => s.current).id;
    },
    async passwordResetToken() {
      const userId = 'acc-reset-user';
      if (!(await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) {
        await db.insertInto('users').values({ id: userId, email: 'acc-reset@nowhere.example', name: 'Reset Person', password_hash: 'none', locale: 'da', created_at: new Date().toISOString(), disabled_at: null }).execute();
      }
      const token = randomBytes(32).toString('base64url');
      const now = server.ctx.now();
      await db.insertInto('password_resets').values({ id: server.ctx.newId(), user_id: userId, token_hash: sha256(token), created_at: now.toISOString(), expires_at: new Date(now.getTime() + 3600_000).toISOString(), used_at: null }).execute();
      return token;
    },
    async disposableNetwork() {
      const n = ++disposable;
      const id = `acc-net-d${n}`;
      const name = `Disposable ${n}`;
      const now = new Date().toISOString();
      const jobcenter = (await db.selectFrom('networks').select('host_organisation_id').where('id', '=', networkId).executeTakeFirstOrThrow()).host_organisation_id;
      await db.insertInto('networks').values({ id, name, host_organisation_id: jobcenter, target_group: 'x', meeting_cadence_months: 1, activation_requirement_pct: 30, created_at: now }).execute();
      await db.insertInto('network_providers').values([{ network_id: id, organisation_id: providers[0], position: 0 }, { network_id: id, organisation_id: providers[1], position: 1 }]).execute();
      const people: Array<[RoleName, 'host' | 'provider' | 'viewer', string | null]> = [['host', 'host', jobcenter], ['viewer', 'viewer', null], ['providerA', 'provider', providers[0]], ['providerB', 'provider', providers[1]]];
      for (const [role, as, organisationId] of people) {
        const userId = (await db.selectFrom('users').select('id').where('email', '=', EMAIL[role]!).executeTakeFirstOrThrow()).id;
        await db.insertInto('memberships').values({ id: `${id}-${role}`, user_id: userId, network_id: id, role: as, organisation_id: organisationId, created_at: now }).execute();
      }
      return { id, name };
    },
    async freshMemberOfA() {
      const id = server.ctx.newId();
      const now = new Date().toISOString();
      await db.insertInto('users').values({ id, email: `member-${id}@provider1.example`, name: 'Fresh Member', password_hash: hash, locale: 'da', created_at: now, disabled_at: null }).execute();
      await db.insertInto('memberships').values({ id: `${id}-m`, user_id: id, network_id: networkId, role: 'provider', organisation_id: providers[0], created_at: now }).execute();
      return id;
    },
    async visitA() {
      const visit = await host('POST', `/api/networks/${networkId}/providers/${providers[0]}/supervision`, {
        visitDate: '2026-01-10', kind: 'announced', findings: 'All in order.', actions: [{ text: 'Send the plan', owner: 'provider', dueDate: '2026-02-01' }],
      });
      return { visitId: visit.id, actionId: visit.actions[0].id };
    },
  };
  partial.recordedCommitmentMonth = freshRecentMonth();
  await host('PUT', `/api/networks/${networkId}/providers/${providers[0]}/commitments/${partial.commitmentA}/${partial.recordedCommitmentMonth}`, { status: 'partly', note: 'Half of it.' });
  partial.approvedMonth = freshRecentMonth();
  await host('POST', `/api/networks/${networkId}/providers/${providers[0]}/settlements/${partial.approvedMonth}/approve`);

  // The revoked token: the host's, created and revoked through the API.
  const token = await host('POST', '/api/auth/tokens', { name: 'revoked' });
  await call('DELETE', `/api/auth/tokens/${token.id}`, { cookie: await cookieOf('host') });
  revokedToken = token.token;

  // Documents of every kind; the notes are provider A's.
  const A = providers[0];
  const publish = (meetingId: string) => providerAApi('POST', `/api/meetings/${meetingId}/notes/${A}/publish`);
  const draft = await freshMeeting();
  docNames.minutes = `meeting:${draft}:minutes`;
  docNames.draftNote = `meeting:${draft}:note:${A}`;
  const published = await freshMeeting();
  await publish(published);
  docNames.publishedNote = `meeting:${published}:note:${A}`;
  const held = await freshMeeting();
  await publish(held);
  await host('POST', `/api/meetings/${held}/notes/hold`, { held: true });
  docNames.heldNote = `meeting:${held}:note:${A}`;
  const opened = await freshMeeting();
  await publish(opened);
  await host('POST', `/api/meetings/${opened}/notes/hold`, { held: true });
  await host('POST', `/api/meetings/${opened}/start`, { confirmEarly: true });
  docNames.heldNoteOpened = `meeting:${opened}:note:${A}`;
  // Two meetings run and archived through the API, each with provider A's note published.
  const archive = async () => {
    const id = await freshMeeting();
    await publish(id);
    await host('POST', `/api/meetings/${id}/start`, { confirmEarly: true });
    await host('POST', `/api/meetings/${id}/close`);
    return id;
  };
  partial.olderArchivedMeetingId = await archive();
  const closed = (partial.archivedMeetingId = await archive());
  docNames.archivedMinutes = `meeting:${closed}:minutes`;
  docNames.archivedPublishedNote = `meeting:${closed}:note:${A}`;
  // The seeded closed meeting: provider A never published its note there.
  docNames.archivedDraftNote = `meeting:${seededArchive.id}:note:${A}`;
  return partial;
}

beforeAll(async () => {
  server = await startTestServer();
  fx = await buildFixture();
});
afterAll(async () => {
  await server?.close();
});

describe('the access table covers everything there is', () => {
  it('has a row for every API route in the OpenAPI document, and none for a route that does not exist', async () => {
    const doc = await (await server.api('/api/openapi.json')).json();
    const routes = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(50);
    expect(Object.keys(ROUTES).sort()).toEqual(routes.sort());
  });

  it('has a row for every route the HTTP app serves, OpenAPI or not', () => {
    // The router itself: a route added without createRoute would be missing from the document.
    const served = new Set(
      createApi(server.ctx)
        .routes.filter((r) => r.method !== 'ALL' && r.path !== '/api/openapi.json')
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    expect(Object.keys(ROUTES).sort()).toEqual([...served].sort());
  });

  it('has a row for every socket.io event the server knows', () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(KNOWN_EVENTS).sort());
  });

  it('has rows for every kind of Yjs document the server parses, each row of a kind the server knows', () => {
    expect(Object.values(DOC_KINDS_BY_REF).flat().sort()).toEqual([...DOC_KINDS].sort());
    for (const [kind, rows] of Object.entries(DOC_KINDS_BY_REF)) for (const row of rows) expect(parseDocumentName(docNames[row])?.kind).toBe(kind);
  });
});

describe('every HTTP route against every role', () => {
  for (const [key, row] of Object.entries(ROUTES)) {
    it(key, async () => {
      const method = key.split(' ')[0];
      const actual = {} as Record<RoleName, number | string>;
      for (const role of ROLES) {
        const req = await row.request(fx, role);
        const cred = await credentialOf(role, row.ownSession);
        const headers: Record<string, string> = req.raw ? { 'content-type': req.raw.contentType } : {};
        const body = req.raw ? req.raw.text : req.body === undefined ? undefined : JSON.stringify(req.body);
        const res = await withShift(role, () => server.api(req.path, { method, ...cred, headers, body }));
        const text = await res.text();
        // A surprise shows its body, so a failing cell says why.
        actual[role] = res.status === row.expect[role] ? res.status : `${res.status} ${text.slice(0, 200)}`;
      }
      // Sessions were signed out or passwords changed: everyone signs in again.
      if (row.ownSession) cookies = new Map();
      expect(actual).toEqual(row.expect);
    });
  }
});

describe("another network's host, through its own network's URLs", () => {
  for (const [key, status] of Object.entries(THROUGH_OWN_NETWORK)) {
    it(key, async () => {
      const req = await ROUTES[key].request(fx, 'otherHost');
      const path = req.path.replace(`/api/networks/${fx.networkId}/`, `/api/networks/${fx.otherNetworkId}/`);
      expect(path).toContain(fx.otherNetworkId);
      const headers: Record<string, string> = req.raw ? { 'content-type': req.raw.contentType } : {};
      const body = req.raw ? req.raw.text : req.body === undefined ? undefined : JSON.stringify(req.body);
      const res = await server.api(path, { method: key.split(' ')[0], cookie: await cookieOf('otherHost'), headers, body });
      expect(`${res.status} ${res.status === status ? '' : await res.text()}`).toBe(`${status} `);
    });
  }
});

describe('every socket.io event against every role', () => {
  async function outcome(role: RoleName, event: keyof ClientToServerEvents, payload: unknown): Promise<EventOutcome | string> {
    const cred = await credentialOf(role);
    const socket = liveClient(server.url, cred);
    try {
      const ok = await withShift(role, () => connected(socket).then(() => true, () => false));
      if (!ok) return 'refused';
      const ack = (await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: { code: string } }> } })
        .timeout(5000)
        .emitWithAck(event, payload));
      return ack.ok ? 'ok' : (ack.error?.code ?? 'no code');
    } finally {
      socket.disconnect();
    }
  }

  for (const [event, row] of Object.entries(EVENTS) as Array<[keyof ClientToServerEvents, (typeof EVENTS)[keyof ClientToServerEvents]]>) {
    it(event, async () => {
      const actual = {} as Record<RoleName, EventOutcome | string>;
      for (const role of ROLES) actual[role] = await outcome(role, event, row.payload(fx));
      expect(actual).toEqual(row.expect);
    });
  }
});

describe('every Yjs document kind against every role', () => {
  /** Host's view of the document's marker text (the host reads every document of the network). */
  async function storedText(name: string): Promise<string> {
    const reader = yjsClient(server.url, name, { cookie: await cookieOf('host') });
    try {
      await reader.synced();
      return reader.doc.getText('access-test').toString();
    } finally {
      reader.destroy();
    }
  }

  async function outcome(role: RoleName, name: string): Promise<DocOutcome | string> {
    const cred = await credentialOf(role);
    const headers: Record<string, string> = cred.cookie ? { cookie: cred.cookie } : {};
    const query = cred.token ? `?token=${encodeURIComponent(cred.token)}` : '';
    const upgrade = await withShift(role, () => rawUpgrade(`${server.url.replace(/^http/, 'ws')}/yjs/${encodeURIComponent(name)}${query}`, headers));
    if (upgrade.status !== 101) return upgrade.status === 401 || upgrade.status === 403 || upgrade.status === 404 ? upgrade.status : `status ${upgrade.status}`;
    // Served: try to write, then look at what the server holds.
    const marker = `${role}-${Math.random().toString(36).slice(2)}`;
    const client = yjsClient(server.url, name, { ...cred, acks: true });
    try {
      await client.synced();
      client.doc.getText('access-test').insert(0, marker);
      const id = client.doc.clientID;
      const deadline = Date.now() + 1500;
      while (Date.now() < deadline && !(client.acked().get(id) ?? 0)) await new Promise((r) => setTimeout(r, 25));
    } finally {
      client.destroy();
    }
    return (await storedText(name)).includes(marker) ? 'write' : 'read';
  }

  for (const kind of DOC_KINDS) {
    it(kind, async () => {
      const actual = {} as Record<RoleName, DocOutcome | string>;
      for (const role of ROLES) actual[role] = await outcome(role, docNames[kind]);
      expect(actual).toEqual(DOCUMENTS[kind]);
    });
  }
});
