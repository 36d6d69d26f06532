// A meeting's life before and during the session: create and reschedule (same calendar event),
// reorder the agenda, start, advance item and presenter, capture decisions and action items.
// Only the host changes anything; an archived meeting refuses every change.
import { can, type Actor } from '../../domain/access.ts';
import { containsCpr, CPR_MESSAGE } from '../../domain/cpr.ts';
import type { MeetingEntryRow, MeetingRow } from '../../db/tables/meetings.table.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { findEntry, insertEntries, updateEntry } from '../../db/queries/entries.ts';
import { agendaOf, findMeeting, insertMeeting, replaceAgendaItems, updateMeetingRow } from '../../db/queries/meetings.ts';
import { providersOfNetwork, providersTakingPartIn } from '../../db/queries/networks.ts';
import { copenhagenDateTime, copenhagenMonth } from '../../domain/time.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AdvanceRequest, AgendaItemInput, CreateMeetingRequest, EntryInput, MeetingEntry, UpdateMeetingRequest } from '../wire/meetings.ts';
import type { z } from '@hono/zod-openapi';

export interface LiveState {
  currentItem: number;
  itemStartedAt: string;
  presenterOrder: string[];
  presenter: string | null;
}

export interface Who {
  userId: string;
  actor: Actor;
}

export function liveStateOf(meeting: MeetingRow): LiveState | null {
  return meeting.live_state ? (JSON.parse(meeting.live_state) as LiveState) : null;
}

export async function meetingForHost(ctx: AppContext, who: Who, meetingId: string, { allowArchived = false } = {}): Promise<MeetingRow> {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting || !can(who.actor, { action: 'network.read', networkId: meeting.network_id })) {
    throw new AppError(meeting ? 'forbidden' : 'not_found', meeting ? 'You are not a member of this network.' : `There is no meeting with id ${meetingId}.`);
  }
  if (!can(who.actor, { action: 'meeting.run', networkId: meeting.network_id })) throw new AppError('forbidden', 'Only the host plans and runs meetings.');
  if (!allowArchived && meeting.status === 'closed') throw new AppError('conflict', 'The meeting is archived; its record cannot change. Add an addendum instead.');
  if (meeting.status === 'cancelled') throw new AppError('conflict', 'The meeting is cancelled.');
  return meeting;
}

async function checkProviders(ctx: AppContext, networkId: string, ids: Array<string | null | undefined>, path: string) {
  const known = new Set((await providersOfNetwork(ctx.db, networkId)).map((p) => p.id));
  const issues = ids.flatMap((id, i) => (id && !known.has(id) ? [{ path: `${path}.${i}`, message: `${id} is not a provider in this network` }] : []));
  if (issues.length) throw new AppError('validation_failed', 'Unknown provider.', issues);
}

async function writeAgenda(ctx: AppContext, trx: AppContext['db'], meetingId: string, agenda: Array<z.infer<typeof AgendaItemInput>>) {
  const items = agenda.map((item, position) => ({ id: ctx.newId(), meeting_id: meetingId, position, title: item.title, provider_id: item.providerId ?? null, minutes: item.minutes ?? null }));
  await replaceAgendaItems(trx, meetingId, items);
}

/**
 * The default agenda when the host gives none: welcome and follow-up, results, one slot per provider
 * taking part in the meeting's month, decisions.
 */
export async function defaultAgenda(ctx: AppContext, networkId: string, startsAt: string): Promise<Array<z.infer<typeof AgendaItemInput>>> {
  const providers = await providersTakingPartIn(ctx.db, networkId, copenhagenMonth(new Date(startsAt)));
  return [
    { title: 'Velkomst og opfølgning på aktionspunkter', minutes: 15 },
    { title: 'Resultater side om side', minutes: 20 },
    ...providers.map((p) => ({ title: `Oplæg: ${p.short_name}`, providerId: p.id, minutes: 15 })),
    { title: 'Beslutninger og næste møde', minutes: 15 },
  ];
}

export async function createMeeting(ctx: AppContext, who: Who, networkId: string, input: z.infer<typeof CreateMeetingRequest>): Promise<MeetingRow> {
  if (!can(who.actor, { action: 'meeting.run', networkId })) throw new AppError('forbidden', 'Only the host plans meetings.');
  const agenda = input.agenda ?? (await defaultAgenda(ctx, networkId, input.startsAt));
  await checkProviders(ctx, networkId, agenda.map((a) => a.providerId), 'agenda');
  const at = ctx.now().toISOString();
  const meeting: MeetingRow = {
    id: ctx.newId(), network_id: networkId, title: input.title, starts_at: new Date(input.startsAt).toISOString(), duration_minutes: input.durationMinutes,
    location: input.location ?? null, status: 'planned', sequence: 0, created_at: at, updated_at: at, closed_at: null, notes_held: 0, live_state: null, started_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertMeeting(trx, meeting);
    await writeAgenda(ctx, trx, meeting.id, agenda);
    await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'meeting.create', subjectType: 'meeting', subjectId: meeting.id, after: { ...input, agenda } });
  });
  return meeting;
}

/** Rescheduling keeps the calendar event (same UID) and bumps its SEQUENCE so calendars update it. */
export async function updateMeeting(ctx: AppContext, who: Who, meetingId: string, input: z.infer<typeof UpdateMeetingRequest>): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  const changes = {
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.startsAt !== undefined ? { starts_at: new Date(input.startsAt).toISOString() } : {}),
    ...(input.durationMinutes !== undefined ? { duration_minutes: input.durationMinutes } : {}),
    ...(input.location !== undefined ? { location: input.location } : {}),
  };
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateMeetingRow(trx, meetingId, { ...changes, sequence: meeting.sequence + 1, updated_at: at });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.update', subjectType: 'meeting', subjectId: meetingId, before: meeting, after: changes });
  });
}

export async function cancelMeeting(ctx: AppContext, who: Who, meetingId: string): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  if (meeting.status !== 'planned') throw new AppError('conflict', 'Only a meeting that has not started can be cancelled.');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateMeetingRow(trx, meetingId, { status: 'cancelled', sequence: meeting.sequence + 1, updated_at: at });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.cancel', subjectType: 'meeting', subjectId: meetingId });
  });
}

export async function replaceAgenda(ctx: AppContext, who: Who, meetingId: string, agenda: Array<z.infer<typeof AgendaItemInput>>): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  if (meeting.status !== 'planned') throw new AppError('conflict', 'The agenda is fixed once the meeting has started.');
  await checkProviders(ctx, meeting.network_id, agenda.map((a) => a.providerId), 'agenda');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await agendaOf(trx, meetingId);
    await writeAgenda(ctx, trx, meetingId, agenda);
    await updateMeetingRow(trx, meetingId, { updated_at: at });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.agenda', subjectType: 'meeting', subjectId: meetingId, before, after: agenda });
  });
}

async function saveLiveState(ctx: AppContext, meeting: MeetingRow, state: LiveState, extra: Partial<Pick<MeetingRow, 'status' | 'started_at'>> = {}) {
  await updateMeetingRow(ctx.db, meeting.id, { live_state: JSON.stringify(state), updated_at: ctx.now().toISOString(), ...extra });
}

const presenterOfItem = (agenda: Awaited<ReturnType<typeof agendaOf>>, index: number, current: string | null) => agenda[index]?.provider_id ?? current;

/** How long before its planned start a meeting starts without the host confirming it. */
export const EARLY_START_MS = 24 * 60 * 60_000;

/**
 * Starting opens the minutes and releases held notes to the whole network, and closing (the archive)
 * can only follow a start: more than a day before the planned date it is probably a slip, so the host
 * must say so (`confirmEarly`), and the refusal names the planned date.
 */
function assertNotTooEarly(meeting: MeetingRow, now: Date, confirmEarly: boolean) {
  if (confirmEarly || now.getTime() >= Date.parse(meeting.starts_at) - EARLY_START_MS) return;
  const { date, time } = copenhagenDateTime(new Date(meeting.starts_at));
  const message = `The meeting is planned for ${date} at ${time} (Copenhagen time), more than a day from now. To start it anyway, send { "confirmEarly": true }.`;
  throw new AppError('confirmation_required', message, [{ path: 'confirmEarly', message }]);
}

export async function startMeeting(ctx: AppContext, who: Who, meetingId: string, { confirmEarly = false } = {}): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  if (meeting.status !== 'planned') throw new AppError('conflict', 'The meeting has already started.');
  assertNotTooEarly(meeting, ctx.now(), confirmEarly);
  const agenda = await agendaOf(ctx.db, meetingId);
  // An order the host set before the start is kept; otherwise the network's order.
  const presenterOrder = liveStateOf(meeting)?.presenterOrder ?? (await providersOfNetwork(ctx.db, meeting.network_id)).map((p) => p.id);
  const at = ctx.now().toISOString();
  await saveLiveState(ctx, meeting, { currentItem: 0, itemStartedAt: at, presenterOrder, presenter: presenterOfItem(agenda, 0, null) }, { status: 'live', started_at: at });
  await appendAudit(ctx.db, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.start', subjectType: 'meeting', subjectId: meetingId });
}

const requireLive = (meeting: MeetingRow) => {
  const state = liveStateOf(meeting);
  if (meeting.status !== 'live' || !state) throw new AppError('conflict', 'The meeting is not running; start it first.');
  return state;
};

export async function advanceMeeting(ctx: AppContext, who: Who, meetingId: string, request: z.infer<typeof AdvanceRequest>): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  const state = requireLive(meeting);
  const agenda = await agendaOf(ctx.db, meetingId);
  const at = ctx.now().toISOString();
  if (request.presenter) {
    // Rotating the presenter within an item (e.g. "each provider presents in turn").
    const order = state.presenterOrder;
    const at_ = state.presenter ? order.indexOf(state.presenter) : -1;
    const next =
      request.presenter === 'next' ? order[(at_ + 1) % order.length] : request.presenter === 'previous' ? order[(at_ - 1 + order.length) % order.length] : request.presenter;
    if (!order.includes(next)) throw new AppError('validation_failed', 'Unknown presenter.', [{ path: 'presenter', message: `${request.presenter} is not in the presenter order` }]);
    await saveLiveState(ctx, meeting, { ...state, presenter: next, itemStartedAt: at });
    return;
  }
  const target = request.item ?? state.currentItem + (request.direction === 'previous' ? -1 : 1);
  if (target < 0 || target >= agenda.length) {
    throw new AppError('conflict', target < 0 ? 'Already at the first item.' : 'That was the last item; close the meeting when you are done.');
  }
  await saveLiveState(ctx, meeting, { ...state, currentItem: target, itemStartedAt: at, presenter: presenterOfItem(agenda, target, null) });
}

export async function setPresenterOrder(ctx: AppContext, who: Who, meetingId: string, order: string[]): Promise<void> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  const providers = (await providersOfNetwork(ctx.db, meeting.network_id)).map((p) => p.id);
  const issues = order.flatMap((id, i) => (providers.includes(id) ? [] : [{ path: `order.${i}`, message: `${id} is not a provider in this network` }]));
  if (new Set(order).size !== order.length) issues.push({ path: 'order', message: 'a provider appears twice' });
  if (issues.length) throw new AppError('validation_failed', 'The presenter order is not valid.', issues);
  const state = liveStateOf(meeting);
  const at = ctx.now().toISOString();
  const next: LiveState = state ? { ...state, presenterOrder: order } : { currentItem: 0, itemStartedAt: at, presenterOrder: order, presenter: null };
  // Before the start the order is kept for later; status stays planned.
  await updateMeetingRow(ctx.db, meetingId, { live_state: JSON.stringify(next), updated_at: at });
}

export const entryDto = (e: MeetingEntryRow): MeetingEntry => ({
  id: e.id, meetingId: e.meeting_id, kind: e.kind, text: e.text, owner: e.owner, dueDate: e.due_date, status: e.status, createdBy: e.created_by, createdAt: e.created_at,
});

export async function addEntry(ctx: AppContext, who: Who, meetingId: string, input: z.infer<typeof EntryInput>): Promise<MeetingEntry> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  if (containsCpr(input.text) || containsCpr(input.owner ?? '')) throw new AppError('validation_failed', CPR_MESSAGE.en, [{ path: 'text', message: CPR_MESSAGE.en }]);
  const at = ctx.now().toISOString();
  const row: MeetingEntryRow = {
    id: ctx.newId(), meeting_id: meetingId, network_id: meeting.network_id, kind: input.kind, text: input.text, owner: input.owner ?? null,
    due_date: input.dueDate ?? null, status: 'open', created_by: who.userId, created_at: at, done_at: null,
  };
  if (row.kind === 'decision') row.status = 'done'; // a decision is made, not followed up
  await ctx.db.transaction().execute(async (trx) => {
    await insertEntries(trx, row);
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: `meeting.${row.kind}`, subjectType: 'meetingEntry', subjectId: row.id, after: row });
  });
  return entryDto(row);
}

/** Marks an action item (from this or an earlier meeting) done, or open again. */
export async function setEntryStatus(ctx: AppContext, who: Who, meetingId: string, entryId: string, status: 'open' | 'done'): Promise<MeetingEntry> {
  const meeting = await meetingForHost(ctx, who, meetingId);
  const entry = await findEntry(ctx.db, meeting.network_id, entryId);
  if (!entry) throw new AppError('not_found', 'No such decision or action item in this network.');
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateEntry(trx, entryId, { status, done_at: status === 'done' ? at : null });
    await appendAudit(trx, { id: ctx.newId(), at, networkId: meeting.network_id, actorUserId: who.userId, action: 'meeting.entryStatus', subjectType: 'meetingEntry', subjectId: entryId, before: { status: entry.status }, after: { status } });
  });
  return entryDto({ ...entry, status, done_at: status === 'done' ? at : null });
}
