// Closing a meeting freezes it: the stored state of every document, the leaderboard as shown, the
// decisions, action items and attendance go into one immutable snapshot, and its texts into the
// archive search index. After that the record only grows by attributed, dated addenda.
import * as Y from 'yjs';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { assertReadsMeeting } from './detail.ts';
import { containsCpr, CPR_MESSAGE } from '../../domain/cpr.ts';
import { TIME_ZONE } from '../../domain/time.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import { addendaOf, insertAddendum, insertArchiveEntry, insertSnapshot, insertSnapshotDocument, snapshotContent } from '../../db/queries/archive.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { attendanceOf, entriesOfMeeting } from '../../db/queries/entries.ts';
import { agendaOf, findMeeting, updateMeetingRow } from '../../db/queries/meetings.ts';
import { noteStates } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Leaderboard } from '../wire/leaderboard.ts';
import type { MeetingEntry } from '../wire/meetings.ts';
import { boardParams, computeBoard, type FullBoard } from '../results/leaderboard/compute.ts';
import { audienceOf, renderBoard, viewFor } from '../results/leaderboard/view.ts';
import { methodNoteAccess } from '../yjs/access.ts';
import { methodNoteDocName, minutesDocName } from '../yjs/documents.ts';
import { DatabaseDocumentStore } from '../yjs/persistence.ts';
import { renderState } from '../yjs/render.ts';
import { entryDto, meetingForHost, type Who } from './run.ts';

/** What the snapshot's `content` holds (documents' bytes are stored beside it). */
export interface SnapshotContent {
  meeting: { id: string; networkId: string; title: string; startsAt: string; durationMinutes: number; location: string | null; startedAt: string | null; closedAt: string };
  agenda: Array<{ title: string; providerId: string | null; minutes: number | null }>;
  providers: Array<{ id: string; name: string; shortName: string }>;
  notes: Array<{ providerId: string; name: string; published: boolean; markdown: string }>;
  minutes: { name: string; markdown: string };
  entries: MeetingEntry[];
  attendance: Array<{ userId: string; name: string; firstJoinedAt: string }>;
  board: Omit<FullBoard, 'figures'> & { figures: Array<[string, unknown]> };
}

export interface ArchiveHooks {
  /** Closes writers of these documents and waits until everything they sent is stored. */
  freezeDocuments(names: string[]): Promise<void>;
}

export async function closeMeeting(ctx: AppContext, who: Who, meetingId: string, hooks: ArchiveHooks): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  if (meeting.status !== 'live') throw new AppError('conflict', 'Only a running meeting can be closed; start it first.');
  const closedAt = ctx.now().toISOString();
  // 1. From here on the documents are read-only (access rules look at the status) …
  await updateMeetingRow(ctx.db, meetingId, { status: 'closed', closed_at: closedAt, updated_at: closedAt });
  const providers = await providersOfNetwork(ctx.db, meeting.network_id);
  const names = [minutesDocName(meetingId), ...providers.map((p) => methodNoteDocName(meetingId, p.id))];
  // 2. … so once open writers are closed and their last updates stored, the stored state is final.
  await hooks.freezeDocuments(names);

  const store = new DatabaseDocumentStore({ db: ctx.db, postgres: ctx.dialect === 'postgres', now: ctx.now });
  const states = new Map<string, Uint8Array>();
  for (const name of names) states.set(name, (await store.load(name)) ?? Y.encodeStateAsUpdate(new Y.Doc()));
  const published = await noteStates(ctx.db, meetingId);
  const board = await computeBoard(ctx.db, await boardParams(ctx.db, meeting.network_id, {}, ctx.now()), ctx.now());
  const closed = (await findMeeting(ctx.db, meetingId))!;
  const render = (name: string) => {
    const { markdown, text } = renderState(states.get(name)!);
    return { markdown, text };
  };
  const minutes = render(minutesDocName(meetingId));
  const notes = providers.map((p) => ({ provider: p, name: methodNoteDocName(meetingId, p.id), published: Boolean(published.get(p.id)?.publishedAt), ...render(methodNoteDocName(meetingId, p.id)) }));
  const entries = (await entriesOfMeeting(ctx.db, meetingId)).map(entryDto);
  const content: SnapshotContent = {
    meeting: { id: meetingId, networkId: meeting.network_id, title: meeting.title, startsAt: meeting.starts_at, durationMinutes: meeting.duration_minutes, location: meeting.location, startedAt: meeting.started_at, closedAt },
    agenda: (await agendaOf(ctx.db, meetingId)).map((a) => ({ title: a.title, providerId: a.provider_id, minutes: a.minutes })),
    providers: providers.map((p) => ({ id: p.id, name: p.name, shortName: p.short_name })),
    notes: notes.map((n) => ({ providerId: n.provider.id, name: n.name, published: n.published, markdown: n.markdown })),
    minutes: { name: minutesDocName(meetingId), markdown: minutes.markdown },
    entries,
    attendance: await attendanceOf(ctx.db, meetingId),
    board: { ...board, figures: [...board.figures.entries()] },
  };

  await ctx.db.transaction().execute(async (trx) => {
    await insertSnapshot(trx, { meeting_id: meetingId, closed_at: closedAt, closed_by: who.userId, content: JSON.stringify(content) });
    for (const [name, state] of states) {
      const note = notes.find((n) => n.name === name);
      await insertSnapshotDocument(trx, { meeting_id: meetingId, name, provider_id: note?.provider.id ?? null, state, text: note ? note.text : minutes.text });
    }
    const index = [
      { kind: 'minutes' as const, provider_id: null, published: 1, title: `Referat: ${closed.title}`, body: minutes.text },
      ...notes.map((n) => ({ kind: 'methodNote' as const, provider_id: n.provider.id, published: n.published ? 1 : 0, title: `Metodenotat: ${n.provider.name}`, body: n.text })),
      ...entries.map((e) => ({ kind: e.kind, provider_id: null, published: 1, title: e.kind === 'decision' ? 'Beslutning' : `Aktionspunkt${e.owner ? ` (${e.owner})` : ''}`, body: e.text })),
    ];
    for (const entry of index) await indexArchiveEntry(ctx, trx, { ...entry, network_id: meeting.network_id, meeting_id: meetingId });
    await appendAudit(trx, { id: ctx.newId(), at: closedAt, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.close', subjectType: 'meeting', subjectId: meetingId, after: { documents: names.length, entries: entries.length } });
  });
}

async function indexArchiveEntry(
  ctx: AppContext,
  trx: AppContext['db'],
  entry: { network_id: string; meeting_id: string; kind: 'methodNote' | 'minutes' | 'decision' | 'action' | 'addendum'; provider_id: string | null; published: number; title: string; body: string },
): Promise<void> {
  await insertArchiveEntry(trx, ctx.dialect, { id: ctx.newId(), ...entry });
}

export async function addAddendum(ctx: AppContext, who: Who & { name: string }, meetingId: string, text: string): Promise<{ id: string; text: string; createdBy: string; createdAt: string }> {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || !can(who.actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('not_found', `There is no meeting with id ${meetingId}.`);
  assertReadsMeeting(who.actor, meeting);
  const membership = membershipIn(who.actor, meeting.network_id);
  if (membership?.providerLeft) throw new AppError('forbidden', 'Your organisation has left this network: its archive is read-only for you.');
  const role = membership?.role;
  if (role === 'viewer') throw new AppError('forbidden', 'Viewers read the archive; addenda come from the host and the providers.');
  if (meeting.status !== 'closed') throw new AppError('conflict', 'Addenda are for archived meetings; edit the minutes while the meeting runs.');
  if (containsCpr(text)) throw new AppError('validation_failed', CPR_MESSAGE.en, [{ path: 'text', message: CPR_MESSAGE.en }]);
  const at = ctx.now().toISOString();
  const id = ctx.newId();
  await ctx.db.transaction().execute(async (trx) => {
    await insertAddendum(trx, { id, meeting_id: meetingId, text, created_by: who.userId, created_at: at });
    await indexArchiveEntry(ctx, trx, { network_id: meeting.network_id, meeting_id: meetingId, kind: 'addendum', provider_id: null, published: 1, title: `Tilføjelse fra ${who.name}`, body: text });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.addendum', subjectType: 'meeting', subjectId: meetingId, after: { text } });
  });
  return { id, text, createdBy: who.name, createdAt: at };
}

export interface ArchivedMeeting {
  meeting: SnapshotContent['meeting'];
  agenda: SnapshotContent['agenda'];
  minutes: { name: string; markdown: string };
  notes: Array<{ providerId: string; providerName: string; published: boolean; markdown: string | null }>;
  entries: MeetingEntry[];
  attendance: SnapshotContent['attendance'];
  board: Leaderboard;
  addenda: Array<{ id: string; text: string; createdBy: string; createdAt: string }>;
}

/** The archive as one member may see it: drafts stay private, sealed figures stay sealed. */
export async function archivedMeeting(ctx: AppContext, actor: Actor, meetingId: string): Promise<ArchivedMeeting> {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || !can(actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('not_found', `There is no archived meeting with id ${meetingId}.`);
  assertReadsMeeting(actor, meeting);
  const stored = await snapshotContent(ctx.db, meetingId);
  if (stored === undefined) throw new AppError('not_found', 'This meeting has not been archived (it is closed only by the host at the end of the session).');
  const content = JSON.parse(stored) as SnapshotContent;
  const board: FullBoard = { ...content.board, figures: new Map(content.board.figures as Array<[string, never]>) };
  const names = new Map(content.providers.map((p) => [p.id, p.name]));
  const addenda = await addendaOf(ctx.db, meetingId);
  return {
    meeting: content.meeting,
    agenda: content.agenda,
    minutes: content.minutes,
    notes: content.notes.map((n) => ({
      providerId: n.providerId,
      providerName: names.get(n.providerId) ?? n.providerId,
      published: n.published,
      markdown: methodNoteAccess(actor, meeting as MeetingRow, n.providerId, n.published ? 'published' : null) === 'none' ? null : n.markdown,
    })),
    entries: content.entries,
    attendance: content.attendance,
    board: renderBoard(board, viewFor(audienceOf(actor, meeting.network_id), board)),
    addenda,
  };
}

/** People's text as Markdown text: no raw HTML or entities, no links, no emphasis or strike of its own (documents escape theirs in realtime/documents/markdown.ts). */
const text = (s: string) => s.replace(/([\\`*_[\]#<>~&])/g, '\\$1');

export function archiveMarkdown(a: ArchivedMeeting): string {
  const when = new Intl.DateTimeFormat('da-DK', { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(a.meeting.startsAt));
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1).replace('.', ',')} %`);
  const lines = [
    `# ${text(a.meeting.title)}`,
    '',
    `${when}${a.meeting.location ? ` · ${text(a.meeting.location)}` : ''}`,
    '',
    '## Dagsorden',
    ...a.agenda.map((item, i) => `${i + 1}. ${text(item.title)}${item.minutes ? ` (${item.minutes} min)` : ''}`),
    '',
    '## Deltagere',
    ...(a.attendance.length ? a.attendance.map((p) => `- ${p.name}`) : ['- (ingen registreret)']),
    '',
    '## Referat',
    '',
    a.minutes.markdown || '(tomt)',
    '',
    '## Beslutninger',
    ...(a.entries.filter((e) => e.kind === 'decision').map((e) => `- ${text(e.text)}`) || []),
    '',
    '## Aktionspunkter',
    ...a.entries.filter((e) => e.kind === 'action').map((e) => `- [${e.status === 'done' ? 'x' : ' '}] ${text(e.text)}${e.owner ? ` — ${text(e.owner)}` : ''}${e.dueDate ? ` (frist ${e.dueDate})` : ''}`),
    '',
    `## Resultater ${a.board.from}–${a.board.to}`,
    '',
    '| Udbyder | Jobrate | n | Fastholdelse 13/26 | Aktivering |',
    '|---|---|---|---|---|',
    ...a.board.rows.map((r) => `| ${r.name} | ${r.figures ? pct(r.figures.jobRate?.estimate) : 'forseglet'} | ${r.figures?.jobRate?.n ?? ''} | ${r.figures ? pct(r.figures.retention?.estimate) : ''} | ${r.figures?.activation ? `${r.figures.activation.sharePct.toFixed(1).replace('.', ',')} %` : ''} |`),
    '',
    '## Metodenotater',
    ...a.notes.flatMap((n) => ['', `### ${n.providerName}${n.published ? '' : ' (kladde)'}`, '', n.markdown ?? '(ikke delt med netværket)']),
  ];
  if (a.addenda.length) lines.push('', '## Tilføjelser efter mødet', ...a.addenda.map((x) => `- ${x.createdAt.slice(0, 10)}, ${x.createdBy}: ${text(x.text)}`));
  return lines.join('\n') + '\n';
}
