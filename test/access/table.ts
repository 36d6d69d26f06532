// THE access table: every HTTP route, socket.io event and Yjs document kind against every role,
// with the outcome each cell must have. test/integration/access.test.ts asserts every cell and
// fails when a route (from the OpenAPI document) or an event (from KNOWN_EVENTS) has no row here.
import type { ClientToServerEvents } from '../../realtime/wire/socket.ts';
import type { DocumentRef } from '../../realtime/yjs/documents.ts';

export const ROLES = ['anonymous', 'viewer', 'providerA', 'providerB', 'host', 'otherHost', 'revokedToken', 'expiredSession'] as const;
export type RoleName = (typeof ROLES)[number];

/** HTTP status per role. */
export type Expect = Record<RoleName, number>;

/** What the test builds before a cell: seeded ids and a host who can create fresh resources. */
export interface Fixture {
  networkId: string;
  otherNetworkId: string;
  providerA: string;
  providerB: string;
  providers: string[];
  plannedMeetingId: string;
  archivedMeetingId: string;
  olderArchivedMeetingId: string;
  contractA: string;
  /** A contract of a provider that is neither A nor B. */
  contractOther: string;
  /** The newest version of a contract now (a change names it in If-Match). */
  contractVersion(contractId: string): Promise<number>;
  commitmentA: string;
  /** A month recorded for commitmentA, for the provider to respond to. */
  recordedCommitmentMonth: string;
  /** An approved settlement month of provider A, for corrections. */
  approvedMonth: string;
  /** A month long ago and not used before: reports, imports (each call gives a new one). */
  freshOldMonth(): string;
  /** A finished month within the seeded contracts not used before (each call gives a new one). */
  freshRecentMonth(): string;
  /** As the host: JSON of a successful request (throws otherwise). */
  host(method: string, path: string, body?: unknown): Promise<any>;
  /** As provider A: JSON of a successful request (throws otherwise). */
  providerAApi(method: string, path: string, body?: unknown): Promise<any>;
  /** A fresh planned meeting of the network, created by the host. */
  freshMeeting(): Promise<string>;
  /** A fresh meeting the host has started. */
  liveMeeting(): Promise<string>;
  /** A token of the host's, not revoked. */
  hostTokenId(): Promise<string>;
  /** A notification of the host's. */
  hostNotificationId(): Promise<string>;
  /** The id (as GET /api/me/sessions shows it) of a fresh session of the host's, not the one the host cell uses. */
  hostSessionId(): Promise<string>;
  /** A fresh, live password reset link's token, of an account no role uses. */
  passwordResetToken(): Promise<string>;
  /** A fresh network with the same people in the same roles (providers A and B, the viewer, the host): to be deleted. */
  disposableNetwork(): Promise<{ id: string; name: string }>;
  /** A new person who is a plain member of provider A (to be removed); their user id. */
  freshMemberOfA(): Promise<string>;
  /** A supervision visit of provider A with one follow-up owned by the provider. */
  visitA(): Promise<{ visitId: string; actionId: string }>;
}

export interface HttpRequest {
  path: string;
  body?: unknown;
  /** A raw body with its content type (CSV imports). */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

export interface RouteRow {
  expect: Expect;
  request(fx: Fixture, role: RoleName): Promise<HttpRequest> | HttpRequest;
  /** The cell signs out or signs out other sessions: use a session of its own, then sign everyone in again. */
  ownSession?: boolean;
}

// ---------------------------------------------------------------- common shapes

const CREDENTIALS_REFUSED = { anonymous: 401, revokedToken: 401, expiredSession: 401 } as const;

/** Anyone signed in, whatever their network. */
const signedIn = (ok: number): Expect => ({ ...CREDENTIALS_REFUSED, viewer: ok, providerA: ok, providerB: ok, host: ok, otherHost: ok });
/** Everyone in the network; the host of another network is refused. */
const members = (ok: number, outsider = 403): Expect => ({ ...CREDENTIALS_REFUSED, viewer: ok, providerA: ok, providerB: ok, host: ok, otherHost: outsider });
/** The network's host only. */
const hostOnly = (ok: number, others = 403): Expect => ({ ...CREDENTIALS_REFUSED, viewer: others, providerA: others, providerB: others, host: ok, otherHost: others });
/** Provider A's members and the host; provider B and viewers refused. */
const hostAndA = (ok: number, others = 403): Expect => ({ ...CREDENTIALS_REFUSED, viewer: others, providerA: ok, providerB: others, host: ok, otherHost: others });
/** Open to the world (the credential is in the request or there is none). */
const everyone = (ok: number): Expect => ({ anonymous: ok, viewer: ok, providerA: ok, providerB: ok, host: ok, otherHost: ok, revokedToken: ok, expiredSession: ok });

const net = (fx: Fixture) => `/api/networks/${fx.networkId}`;
const provA = (fx: Fixture) => `${net(fx)}/providers/${fx.providerA}`;
const future = () => new Date(Date.now() + 30 * 86400_000).toISOString();

const reportBody = (month: string) => ({ month, referred: 9, active: 41, jobStarts: 6, retained13of26: 3, activationPct: 33.5, satisfactionMean: 4.2, satisfactionResponses: 17 });
const contractBody = { periodStart: '2040-01-01', periodEnd: '2040-12-31', terms: { model: 'fixed', priceOre: 100_000 } };
const visitBody = { visitDate: '2026-01-10', kind: 'announced', findings: 'All in order.', actions: [{ text: 'Send the plan', owner: 'provider', dueDate: '2026-02-01' }] };
const COURSES_HEADER = 'caseKey,programme,referralDate,endDate,firstJobDate,weeksEmployedOf26,unemploymentBand,educationField,ageBand';
let courseKey = 0;

let invited = 0;
/** A fresh invitation into provider A, made by the host; without SMTP the answer carries its link. */
const freshInvitationOfA = async (fx: Fixture): Promise<{ id: string; token: string }> => {
  const created = await fx.host('POST', `${net(fx)}/invitations`, { email: `access-${++invited}@provider1.example`, role: 'provider', providerId: fx.providerA });
  return { id: created.id, token: String(created.link).split('/invitations/')[1] };
};
/** The host and the administrators of providers A and B (anna and bo administer their own staff). */
const memberManagers = (ok: number, others = 403): Expect => ({ ...CREDENTIALS_REFUSED, viewer: others, providerA: ok, providerB: ok, host: ok, otherHost: others });

// ---------------------------------------------------------------- HTTP routes

export const ROUTES: Record<string, RouteRow> = {
  // auth and the caller
  'GET /api/health': { expect: everyone(200), request: () => ({ path: '/api/health' }) },
  'GET /api/accessibility': { expect: everyone(200), request: () => ({ path: '/api/accessibility' }) },
  'POST /api/auth/login': {
    expect: everyone(200),
    request: () => ({ path: '/api/auth/login', body: { email: 'carl@provider1.example', password: 'samspil-demo' } }),
  },
  'POST /api/auth/password': {
    expect: signedIn(204),
    ownSession: true,
    request: () => ({ path: '/api/auth/password', body: { currentPassword: 'samspil-demo', newPassword: 'samspil-demo' } }),
  },
  // Which ways in there are (single sign-on, passwords): public, for the sign-in page.
  'GET /api/auth/methods': { expect: everyone(200), request: () => ({ path: '/api/auth/methods' }) },
  'POST /api/auth/logout': { expect: everyone(204), ownSession: true, request: () => ({ path: '/api/auth/logout' }) },
  'POST /api/auth/logout-everywhere': { expect: signedIn(204), ownSession: true, request: () => ({ path: '/api/auth/logout-everywhere' }) },
  'POST /api/auth/tokens': { expect: signedIn(201), request: () => ({ path: '/api/auth/tokens', body: { name: 'access test' } }) },
  'GET /api/auth/tokens': { expect: signedIn(200), request: () => ({ path: '/api/auth/tokens' }) },
  // Someone else's token is "no such token".
  'DELETE /api/auth/tokens/{tokenId}': {
    expect: { ...signedIn(404), host: 204 },
    request: async (fx) => ({ path: `/api/auth/tokens/${await fx.hostTokenId()}` }),
  },
  'GET /api/me': { expect: signedIn(200), request: () => ({ path: '/api/me' }) },
  'PATCH /api/me': { expect: signedIn(200), request: () => ({ path: '/api/me', body: { locale: 'da' } }) },
  'GET /api/me/sessions': { expect: signedIn(200), request: () => ({ path: '/api/me/sessions' }) },
  'DELETE /api/me/sessions': { expect: signedIn(204), ownSession: true, request: () => ({ path: '/api/me/sessions' }) },
  // Someone else's session is "no such session".
  'DELETE /api/me/sessions/{sessionId}': {
    expect: { ...signedIn(404), host: 204 },
    request: async (fx) => ({ path: `/api/me/sessions/${await fx.hostSessionId()}` }),
  },
  // Resetting a forgotten password: no sign-in needed, the link's token is the credential.
  'GET /api/auth/password-reset': { expect: everyone(200), request: () => ({ path: '/api/auth/password-reset' }) },
  // One address per role, so the per-address limit is never what answers.
  'POST /api/auth/password-reset': { expect: everyone(202), request: (_fx, role) => ({ path: '/api/auth/password-reset', body: { email: `reset-${role}@nowhere.example` } }) },
  // The expired-session cell moves the clock 13 hours on: past the link's one hour too.
  'GET /api/auth/password-reset/{token}': { expect: { ...everyone(200), expiredSession: 410 }, request: async (fx) => ({ path: `/api/auth/password-reset/${await fx.passwordResetToken()}` }) },
  'POST /api/auth/password-reset/{token}': {
    expect: { ...everyone(204), expiredSession: 410 },
    request: async (fx) => ({ path: `/api/auth/password-reset/${await fx.passwordResetToken()}`, body: { password: 'access-test-passphrase' } }),
  },
  'GET /api/me/notifications': { expect: signedIn(200), request: () => ({ path: '/api/me/notifications' }) },
  'POST /api/me/notifications/{id}/read': {
    expect: { ...signedIn(404), host: 200 },
    request: async (fx) => ({ path: `/api/me/notifications/${await fx.hostNotificationId()}/read` }),
  },

  // networks
  'GET /api/networks': { expect: signedIn(200), request: () => ({ path: '/api/networks' }) },
  'GET /api/networks/{networkId}': { expect: members(200), request: (fx) => ({ path: net(fx) }) },
  'GET /api/networks/{networkId}/export': { expect: hostOnly(200), request: (fx) => ({ path: `${net(fx)}/export` }) },
  // Jobcenter staff (the host of some network) create networks; its host changes the settings.
  'POST /api/networks': {
    expect: { ...hostOnly(201), otherHost: 201 },
    request: () => ({ path: '/api/networks', body: { name: 'Access test network', targetGroup: 'Ledige', activationRequirementPct: 30, meetingCadenceMonths: 2, minCitizensToRate: 5 } }),
  },
  'PATCH /api/networks/{networkId}': { expect: hostOnly(200), request: (fx) => ({ path: net(fx), body: { minCitizensToRate: 5 } }) },
  // providers: every member reads the list; the host adds (to a throwaway network), ends periods and keeps checklists
  'GET /api/networks/{networkId}/providers': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/providers` }) },
  'POST /api/networks/{networkId}/providers': {
    expect: hostOnly(201),
    request: async (fx) => ({ path: `/api/networks/${(await fx.disposableNetwork()).id}/providers`, body: { name: 'Access test provider', shortName: 'Access' } }),
  },
  // Clearing a last month that is not set changes nothing, so the cell leaves provider A as it was.
  'PATCH /api/networks/{networkId}/providers/{providerId}': { expect: hostOnly(200), request: (fx) => ({ path: provA(fx), body: { lastMonth: null } }) },
  'GET /api/networks/{networkId}/providers/{providerId}/checklist': { expect: hostOnly(200), request: (fx) => ({ path: `${provA(fx)}/checklist` }) },
  'PUT /api/networks/{networkId}/providers/{providerId}/checklist': {
    expect: hostOnly(200),
    request: (fx) => ({ path: `${provA(fx)}/checklist`, body: { interviewOn: '2026-01-05', interviewNotes: 'How they solve the task.', references: [] } }),
  },
  'DELETE /api/networks/{networkId}': {
    expect: hostOnly(200),
    request: async (fx) => {
      const { id, name } = await fx.disposableNetwork();
      return { path: `/api/networks/${id}`, body: { confirm: name } };
    },
  },

  // monthly reports and course records
  'POST /api/networks/{networkId}/providers/{providerId}/reports': {
    expect: hostAndA(201),
    request: (fx) => ({ path: `${provA(fx)}/reports`, body: reportBody(fx.freshOldMonth()) }),
  },
  'GET /api/networks/{networkId}/reports/template.csv': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/reports/template.csv` }) },
  'GET /api/networks/{networkId}/providers/{providerId}/reports': { expect: hostAndA(200), request: (fx) => ({ path: `${provA(fx)}/reports` }) },
  'POST /api/networks/{networkId}/providers/{providerId}/reports/import': {
    expect: hostAndA(201),
    request: (fx) => ({
      path: `${provA(fx)}/reports/import`,
      raw: { contentType: 'text/csv', text: `month,referred,active,jobStarts,retained13of26,activationPct,satisfactionMean,satisfactionResponses\n${fx.freshOldMonth()},8,40,4,2,30.5,4.3,11` },
    }),
  },
  'POST /api/networks/{networkId}/providers/{providerId}/courses/import': {
    expect: hostAndA(201),
    request: (fx) => ({
      path: `${provA(fx)}/courses/import`,
      raw: { contentType: 'text/csv', text: `${COURSES_HEADER}\nACC-${++courseKey},Virksomhedspraktik,2026-01-05,,,,3-6 mdr,Humaniora,30-39` },
    }),
  },
  // The host exports all providers, a provider its own; viewers none.
  'GET /api/networks/{networkId}/reports/{file}': { expect: { ...members(200), viewer: 403 }, request: (fx) => ({ path: `${net(fx)}/reports/export.csv` }) },

  // leaderboard
  'GET /api/networks/{networkId}/leaderboard': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/leaderboard` }) },
  'GET /api/networks/{networkId}/leaderboard/{file}': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/leaderboard/export.csv` }) },
  'GET /api/networks/{networkId}/survival': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/survival` }) },
  'POST /api/networks/{networkId}/leaderboard/seal': {
    expect: hostOnly(200),
    request: (fx) => ({ path: `${net(fx)}/leaderboard/seal`, body: { from: '2019-01', to: '2019-02' } }),
  },
  'POST /api/networks/{networkId}/leaderboard/reveal': {
    expect: hostOnly(200),
    request: async (fx) => {
      await fx.host('POST', `${net(fx)}/leaderboard/seal`, { from: '2019-01', to: '2019-02' }).catch(() => {});
      return { path: `${net(fx)}/leaderboard/reveal` };
    },
  },
  'PUT /api/networks/{networkId}/leaderboard/settings': {
    expect: hostOnly(200),
    request: (fx) => ({ path: `${net(fx)}/leaderboard/settings`, body: { minCitizensToRate: 5 } }),
  },

  // supervision and the audit log
  'GET /api/networks/{networkId}/supervision': { expect: { ...members(200), viewer: 403 }, request: (fx) => ({ path: `${net(fx)}/supervision` }) },
  'GET /api/networks/{networkId}/supervision/overdue': { expect: { ...members(200), viewer: 403 }, request: (fx) => ({ path: `${net(fx)}/supervision/overdue` }) },
  'POST /api/networks/{networkId}/providers/{providerId}/supervision': { expect: hostOnly(201), request: (fx) => ({ path: `${provA(fx)}/supervision`, body: visitBody }) },
  'PATCH /api/networks/{networkId}/supervision/{visitId}': {
    expect: hostOnly(200),
    request: async (fx) => ({ path: `${net(fx)}/supervision/${(await fx.visitA()).visitId}`, body: { findings: 'Updated findings.' } }),
  },
  'PATCH /api/networks/{networkId}/supervision/{visitId}/actions/{actionId}': {
    expect: hostAndA(200),
    request: async (fx) => {
      const { visitId, actionId } = await fx.visitA();
      return { path: `${net(fx)}/supervision/${visitId}/actions/${actionId}`, body: { status: 'done' } };
    },
  },
  'POST /api/networks/{networkId}/supervision/{visitId}/response': {
    expect: { ...hostAndA(200), host: 403 },
    request: async (fx) => ({ path: `${net(fx)}/supervision/${(await fx.visitA()).visitId}/response`, body: { response: 'We will send it.' } }),
  },
  'GET /api/networks/{networkId}/audit': { expect: hostOnly(200), request: (fx) => ({ path: `${net(fx)}/audit` }) },
  'GET /api/networks/{networkId}/audit/export.csv': { expect: hostOnly(200), request: (fx) => ({ path: `${net(fx)}/audit/export.csv` }) },

  // contracts, commitments, settlements
  'GET /api/networks/{networkId}/contracts': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/contracts` }) },
  'POST /api/networks/{networkId}/providers/{providerId}/contracts': { expect: hostOnly(201), request: (fx) => ({ path: `${provA(fx)}/contracts`, body: contractBody }) },
  'PUT /api/networks/{networkId}/contracts/{contractId}': {
    expect: hostOnly(200),
    request: async (fx) => ({
      path: `${net(fx)}/contracts/${fx.contractOther}`,
      body: { ...contractBody, periodStart: '2020-01-01', periodEnd: '2045-12-31', effectiveFrom: '2040-01', reason: 'Access test' },
      headers: { 'if-match': `"${await fx.contractVersion(fx.contractOther)}"` },
    }),
  },
  'GET /api/networks/{networkId}/contracts/{contractId}/versions': { expect: hostAndA(200, 404), request: (fx) => ({ path: `${net(fx)}/contracts/${fx.contractA}/versions` }) },
  'GET /api/networks/{networkId}/providers/{providerId}/commitments': { expect: hostAndA(200), request: (fx) => ({ path: `${provA(fx)}/commitments` }) },
  'PUT /api/networks/{networkId}/providers/{providerId}/commitments/{commitmentId}/{month}': {
    expect: hostOnly(200),
    request: (fx) => ({ path: `${provA(fx)}/commitments/${fx.commitmentA}/${fx.freshRecentMonth()}`, body: { status: 'met' } }),
  },
  'POST /api/networks/{networkId}/providers/{providerId}/commitments/{commitmentId}/{month}/response': {
    expect: { ...hostAndA(200), host: 403 },
    request: (fx) => ({ path: `${provA(fx)}/commitments/${fx.commitmentA}/${fx.recordedCommitmentMonth}/response`, body: { response: 'We are on it.' } }),
  },
  'GET /api/networks/{networkId}/deadlines': { expect: { ...members(200), viewer: 403 }, request: (fx) => ({ path: `${net(fx)}/deadlines` }) },
  'POST /api/settlements/preview': {
    // Any network's host may compute a preview: it reads nothing of a network.
    expect: { ...hostOnly(200), otherHost: 200 },
    request: () => ({ path: '/api/settlements/preview', body: { terms: { model: 'fixed', priceOre: 100_000 }, course: { referralDate: '2026-01-01', endDate: '2026-03-01' } } }),
  },
  'GET /api/networks/{networkId}/providers/{providerId}/settlements': { expect: hostAndA(200), request: (fx) => ({ path: `${provA(fx)}/settlements` }) },
  'POST /api/networks/{networkId}/providers/{providerId}/settlements/{month}/approve': {
    expect: hostOnly(200),
    request: (fx) => ({ path: `${provA(fx)}/settlements/${fx.freshRecentMonth()}/approve` }),
  },
  'POST /api/networks/{networkId}/providers/{providerId}/settlements/{month}/corrections': {
    expect: hostOnly(201),
    request: (fx) => ({ path: `${provA(fx)}/settlements/${fx.approvedMonth}/corrections`, body: { text: 'Extra session', amountOre: 1000, reason: 'Agreed by phone' } }),
  },
  'GET /api/networks/{networkId}/providers/{providerId}/settlements/{month}/{file}': {
    expect: hostAndA(200),
    request: (fx) => ({ path: `${provA(fx)}/settlements/${fx.approvedMonth}/statement.csv` }),
  },

  // meetings
  'GET /api/networks/{networkId}/meetings': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/meetings` }) },
  'POST /api/networks/{networkId}/meetings': { expect: hostOnly(201), request: (fx) => ({ path: `${net(fx)}/meetings`, body: { title: 'Access test meeting', startsAt: future() } }) },
  'GET /api/meetings/{meetingId}': { expect: members(200), request: (fx) => ({ path: `/api/meetings/${fx.plannedMeetingId}` }) },
  'PATCH /api/meetings/{meetingId}': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}`, body: { title: 'Renamed meeting' } }) },
  'POST /api/meetings/{meetingId}/notes/{providerId}/publish': {
    expect: { ...hostAndA(200), host: 403 },
    request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/notes/${fx.providerA}/publish` }),
  },
  'POST /api/meetings/{meetingId}/notes/{providerId}/withdraw': {
    expect: { ...hostAndA(200), host: 403 },
    request: async (fx) => {
      const meetingId = await fx.freshMeeting();
      await fx.providerAApi('POST', `/api/meetings/${meetingId}/notes/${fx.providerA}/publish`);
      return { path: `/api/meetings/${meetingId}/notes/${fx.providerA}/withdraw` };
    },
  },
  'POST /api/meetings/{meetingId}/notes/hold': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/notes/hold`, body: { held: true } }) },
  'POST /api/meetings/{meetingId}/cancel': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/cancel` }) },
  'PUT /api/meetings/{meetingId}/agenda': {
    expect: hostOnly(200),
    request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/agenda`, body: { agenda: [{ title: 'Welcome' }, { title: 'Decisions' }] } }),
  },
  'POST /api/meetings/{meetingId}/presenters': {
    expect: hostOnly(200),
    request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/presenters`, body: { order: [...fx.providers].reverse() } }),
  },
  'POST /api/meetings/{meetingId}/start': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/start`, body: { confirmEarly: true } }) },
  'POST /api/meetings/{meetingId}/advance': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.liveMeeting()}/advance`, body: {} }) },
  'POST /api/meetings/{meetingId}/close': { expect: hostOnly(200), request: async (fx) => ({ path: `/api/meetings/${await fx.liveMeeting()}/close` }) },
  'POST /api/meetings/{meetingId}/entries': {
    expect: hostOnly(201),
    request: async (fx) => ({ path: `/api/meetings/${await fx.liveMeeting()}/entries`, body: { kind: 'decision', text: 'We decided.' } }),
  },
  'POST /api/meetings/{meetingId}/entries/{entryId}/status': {
    expect: hostOnly(200),
    request: async (fx) => {
      const meetingId = await fx.liveMeeting();
      const entry = await fx.host('POST', `/api/meetings/${meetingId}/entries`, { kind: 'action', text: 'Someone acts.' });
      return { path: `/api/meetings/${meetingId}/entries/${entry.id}/status`, body: { status: 'done' } };
    },
  },
  // Another network's host is told there is no such meeting.
  'POST /api/meetings/{meetingId}/documents/purge': { expect: { ...hostOnly(200), otherHost: 404 }, request: async (fx) => ({ path: `/api/meetings/${await fx.freshMeeting()}/documents/purge`, body: {} }) },
  'GET /api/meetings/{meetingId}/preparation': { expect: { ...members(200), viewer: 403 }, request: (fx) => ({ path: `/api/meetings/${fx.plannedMeetingId}/preparation` }) },
  'GET /api/meetings/{meetingId}/calendar.ics': { expect: members(200, 404), request: (fx) => ({ path: `/api/meetings/${fx.plannedMeetingId}/calendar.ics` }) },
  'GET /api/networks/{networkId}/calendar.ics': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/calendar.ics` }) },

  // the archive and calendar feeds
  // The archive answers another network's host "no such meeting".
  'GET /api/meetings/{meetingId}/archive': { expect: members(200, 404), request: (fx) => ({ path: `/api/meetings/${fx.archivedMeetingId}/archive` }) },
  'POST /api/meetings/{meetingId}/addenda': {
    expect: { ...members(201, 404), viewer: 403 },
    request: (fx) => ({ path: `/api/meetings/${fx.archivedMeetingId}/addenda`, body: { text: 'An addendum.' } }),
  },
  'GET /api/meetings/{meetingId}/{file}': { expect: members(200, 404), request: (fx) => ({ path: `/api/meetings/${fx.archivedMeetingId}/export.md` }) },
  'GET /api/networks/{networkId}/archive/search': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/archive/search?q=m%C3%B8de` }) },
  'GET /api/networks/{networkId}/archive/diff': {
    expect: members(200, 404),
    request: (fx) => ({ path: `${net(fx)}/archive/diff?providerId=${fx.providerA}&from=${fx.olderArchivedMeetingId}&to=${fx.archivedMeetingId}` }),
  },
  'POST /api/networks/{networkId}/calendar/feeds': { expect: members(201), request: (fx) => ({ path: `${net(fx)}/calendar/feeds` }) },
  'GET /api/networks/{networkId}/calendar/feeds': { expect: members(200), request: (fx) => ({ path: `${net(fx)}/calendar/feeds` }) },
  'DELETE /api/networks/{networkId}/calendar/feeds/{feedId}': {
    // Someone else's feed is "no such feed of yours".
    expect: { ...members(404, 404), host: 204 },
    request: async (fx) => ({ path: `${net(fx)}/calendar/feeds/${(await fx.host('POST', `${net(fx)}/calendar/feeds`)).id}` }),
  },
  // members and invitations: the host, and a provider's administrator for their own provider's plain members
  'GET /api/networks/{networkId}/members': { expect: memberManagers(200), request: (fx) => ({ path: `${net(fx)}/members` }) },
  'PATCH /api/networks/{networkId}/members/{userId}': {
    expect: { ...hostAndA(200), providerB: 403 },
    request: async (fx) => ({ path: `${net(fx)}/members/${await fx.freshMemberOfA()}`, body: { disabled: true } }),
  },
  'DELETE /api/networks/{networkId}/members/{userId}': {
    expect: { ...hostAndA(204), providerB: 403 },
    request: async (fx) => ({ path: `${net(fx)}/members/${await fx.freshMemberOfA()}` }),
  },
  'POST /api/networks/{networkId}/invitations': {
    expect: { ...hostAndA(201), providerB: 403 },
    request: (fx) => ({ path: `${net(fx)}/invitations`, body: { email: `access-${++invited}@provider1.example`, role: 'provider', providerId: fx.providerA } }),
  },
  // Provider B's administrator lists B's invitations (none of A's).
  'GET /api/networks/{networkId}/invitations': { expect: memberManagers(200), request: (fx) => ({ path: `${net(fx)}/invitations` }) },
  'POST /api/networks/{networkId}/invitations/{invitationId}/resend': {
    expect: { ...hostAndA(200), providerB: 403 },
    request: async (fx) => ({ path: `${net(fx)}/invitations/${(await freshInvitationOfA(fx)).id}/resend` }),
  },
  'DELETE /api/networks/{networkId}/invitations/{invitationId}': {
    expect: { ...hostAndA(204), providerB: 403 },
    request: async (fx) => ({ path: `${net(fx)}/invitations/${(await freshInvitationOfA(fx)).id}` }),
  },
  // The token in the URL is the credential: whoever holds the link sees and accepts the invitation.
  'GET /api/invitations/{token}': { expect: everyone(200), request: async (fx) => ({ path: `/api/invitations/${(await freshInvitationOfA(fx)).token}` }) },
  // A new account is created and signed in (the caller's own session, if any, ends).
  'POST /api/invitations/{token}/accept': {
    expect: everyone(201),
    ownSession: true,
    request: async (fx) => ({ path: `/api/invitations/${(await freshInvitationOfA(fx)).token}/accept`, body: { name: 'Ny Medarbejder', password: 'korrekt hest batteri hæfteklamme' } }),
  },
  // The secret in the URL is the credential: whoever holds it reads the feed.
  'GET /api/calendar/{secret}': {
    expect: everyone(200),
    request: async (fx) => ({ path: new URL((await fx.host('POST', `${net(fx)}/calendar/feeds`)).url).pathname }),
  },
};

// ---------------------------------------------------------------- socket.io events

/** 'ok', an error code in the ack, or 'refused' at the handshake (no or dead credentials). */
export type EventOutcome = 'ok' | 'forbidden' | 'not_found' | 'refused';
export interface EventRow {
  expect: Record<RoleName, EventOutcome>;
  payload(fx: Fixture): unknown;
}

const eventMembers = (outsider: EventOutcome = 'forbidden'): Record<RoleName, EventOutcome> => ({
  anonymous: 'refused', revokedToken: 'refused', expiredSession: 'refused',
  viewer: 'ok', providerA: 'ok', providerB: 'ok', host: 'ok', otherHost: outsider,
});

/** Typed by ClientToServerEvents: a new event without a row does not compile. */
export const EVENTS: Record<keyof ClientToServerEvents, EventRow> = {
  'presence:join': { expect: eventMembers(), payload: (fx) => ({ networkId: fx.networkId }) },
  'presence:leave': { expect: eventMembers('ok'), payload: (fx) => ({ networkId: fx.networkId }) },
  'leaderboard:subscribe': { expect: eventMembers(), payload: (fx) => ({ networkId: fx.networkId }) },
  'leaderboard:unsubscribe': { expect: eventMembers('ok'), payload: (fx) => ({ networkId: fx.networkId }) },
  'meeting:join': { expect: eventMembers('not_found'), payload: (fx) => ({ meetingId: fx.plannedMeetingId }) },
  'meeting:leave': { expect: eventMembers('ok'), payload: (fx) => ({ meetingId: fx.plannedMeetingId }) },
};

// ---------------------------------------------------------------- Yjs documents

/** Refused at the upgrade with this status, or served read-only (updates dropped), or writable. */
export type DocOutcome = 'write' | 'read' | 401 | 403 | 404;
export const DOC_KINDS = ['minutes', 'draftNote', 'publishedNote', 'heldNote', 'heldNoteOpened', 'archivedMinutes', 'archivedPublishedNote', 'archivedDraftNote'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/**
 * Which rows test each kind of document the server parses (`DocumentRef`): a new kind there fails
 * the type check here until it has rows, and the access test checks every row belongs to a kind.
 */
export const DOC_KINDS_BY_REF: Record<DocumentRef['kind'], readonly DocKind[]> = {
  minutes: ['minutes', 'archivedMinutes'],
  methodNote: ['draftNote', 'publishedNote', 'heldNote', 'heldNoteOpened', 'archivedPublishedNote', 'archivedDraftNote'],
};

const docRow = (cells: Partial<Record<RoleName, DocOutcome>>): Record<RoleName, DocOutcome> => ({
  anonymous: 401, revokedToken: 401, expiredSession: 401, otherHost: 403,
  viewer: 403, providerA: 403, providerB: 403, host: 403,
  ...cells,
});

/** Notes are provider A's. */
export const DOCUMENTS: Record<DocKind, Record<RoleName, DocOutcome>> = {
  minutes: docRow({ host: 'write', viewer: 'read', providerA: 'read', providerB: 'read' }),
  draftNote: docRow({ providerA: 'write', host: 'read' }),
  publishedNote: docRow({ providerA: 'write', host: 'read', viewer: 'read', providerB: 'read' }),
  heldNote: docRow({ providerA: 'write', host: 'read' }),
  /** Held, and the meeting has started: the network reads it now. */
  heldNoteOpened: docRow({ providerA: 'write', host: 'read', viewer: 'read', providerB: 'read' }),
  archivedMinutes: docRow({ host: 'read', viewer: 'read', providerA: 'read', providerB: 'read' }),
  archivedPublishedNote: docRow({ host: 'read', viewer: 'read', providerA: 'read', providerB: 'read' }),
  archivedDraftNote: docRow({ host: 'read', providerA: 'read' }),
};

// ---------------------------------------------------------------- across networks

/**
 * Another network's host, calling with its own network's id in the URL and this network's
 * provider, contract, visit or feed ids: none of them is in that network, so every such route
 * answers 404 (nothing read, nothing written). The rows are every route with such an id.
 */
export const THROUGH_OWN_NETWORK: Record<string, 404> = Object.fromEntries(
  Object.keys(ROUTES)
    .filter((key) => /\/api\/networks\/\{networkId\}\/.*\{(providerId|contractId|visitId|feedId)\}/.test(key) || key.endsWith('/archive/diff'))
    .map((key) => [key, 404 as const]),
);
