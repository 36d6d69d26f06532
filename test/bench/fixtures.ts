// What the benchmark connects to: the upcoming meeting's six method notes, each with a token of
// one of its provider's members, and the document URLs on our server and on the reference.
import type { TestServer } from '../helpers/server.ts';
import { methodNoteDocName, minutesDocName } from '../../realtime/yjs/documents.ts';

export interface BenchNote {
  name: string;
  email: string;
  token: string;
}

export interface BenchFixtures {
  meetingId: string;
  notes: BenchNote[];
  hostToken: string;
  /** Documents nobody has opened yet, readable by the host (minutes first: the one the host writes). */
  unopened: string[];
}

async function tokenFor(server: TestServer, email: string): Promise<string> {
  const cookie = await server.login(email);
  const res = await server.api('/api/auth/tokens', { method: 'POST', cookie, body: JSON.stringify({ name: 'benchmark' }) });
  if (res.status !== 201) throw new Error(`creating a token for ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function prepareFixtures(server: TestServer): Promise<BenchFixtures> {
  const db = server.ctx.db;
  const meetings = await db.selectFrom('meetings').select(['id', 'status']).orderBy('starts_at').execute();
  const upcoming = meetings.find((m) => m.status === 'planned');
  if (!upcoming) throw new Error('the seeded database has no upcoming meeting');
  const providers = await db.selectFrom('network_providers').select('organisation_id as id').orderBy('position').execute();
  const notes: BenchNote[] = [];
  for (const provider of providers) {
    const member = await db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('users.email')
      .where('memberships.organisation_id', '=', provider.id)
      .where('memberships.role', '=', 'provider')
      .orderBy('users.email')
      .executeTakeFirstOrThrow();
    notes.push({ name: methodNoteDocName(upcoming.id, provider.id), email: member.email, token: await tokenFor(server, member.email) });
  }
  const archived = meetings.filter((m) => m.status === 'closed');
  const unopened = [
    minutesDocName(upcoming.id),
    ...archived.map((m) => minutesDocName(m.id)),
    ...archived.flatMap((m) => providers.map((p) => methodNoteDocName(m.id, p.id))),
  ];
  return { meetingId: upcoming.id, notes, hostToken: await tokenFor(server, 'host@jobcenter.example'), unopened };
}

export const ourUrl = (server: TestServer, name: string, token: string) =>
  `${server.url.replace(/^http/, 'ws')}/yjs/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`;

export const referenceUrl = (base: string, name: string) => `${base}/${encodeURIComponent(name)}`;

/** `count` client URLs spread evenly over the given documents' URLs (client i on document i mod n). */
export const spread = (urls: string[], count: number) => Array.from({ length: count }, (_, i) => urls[i % urls.length]);
