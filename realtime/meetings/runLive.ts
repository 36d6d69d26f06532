// The live meeting over socket.io: `meeting:join` answers the current state (late joiners and
// reconnects land on it at once) and records attendance; every change pushes `meeting:state` to
// the room `meeting:<id>`. Everyone sees the same state, so it is encoded once per change.
import { can } from '../../domain/access.ts';
import { assertReadsMeeting } from './detail.ts';
import { agendaOf, findMeeting } from '../../db/queries/meetings.ts';
import { attendanceOf, entriesOfMeeting, recordAttendance } from '../../db/queries/entries.ts';
import { noteStates } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import type { AppContext } from '../context.ts';
import { AppError, fieldIssues } from '../errors.ts';
import { entryDto, liveStateOf } from './run.ts';
import { MeetingJoin, type MeetingState } from '../wire/meetings.ts';
import type { PresenceEntry } from '../wire/presence.ts';
import type { Ack } from '../wire/socket.ts';
import { methodNoteDocName } from '../yjs/documents.ts';
import type { LiveServer, LiveSocket } from '../live/io.ts';

export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;

async function presentIn(io: LiveServer, meeting: MeetingRow): Promise<PresenceEntry[]> {
  const byUser = new Map<string, PresenceEntry>();
  for (const s of await io.in(meetingRoom(meeting.id)).fetchSockets()) {
    const { user, actor } = s.data.identity;
    const m = actor.memberships.find((x) => x.networkId === meeting.network_id);
    if (m) byUser.set(user.id, { userId: user.id, name: user.name, role: m.role, organisationId: m.organisationId });
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, 'da'));
}

export async function meetingState(ctx: AppContext, io: LiveServer, meeting: MeetingRow): Promise<MeetingState> {
  const [agenda, providers, entries, recorded, present, notes] = await Promise.all([
    agendaOf(ctx.db, meeting.id),
    providersOfNetwork(ctx.db, meeting.network_id),
    entriesOfMeeting(ctx.db, meeting.id),
    attendanceOf(ctx.db, meeting.id),
    presentIn(io, meeting),
    noteStates(ctx.db, meeting.id),
  ]);
  const live = liveStateOf(meeting);
  const presenter = live?.presenter ? providers.find((p) => p.id === live.presenter) ?? null : null;
  return {
    meetingId: meeting.id,
    networkId: meeting.network_id,
    title: meeting.title,
    status: meeting.status,
    agenda: agenda.map((a) => ({ id: a.id, title: a.title, providerId: a.provider_id, minutes: a.minutes })),
    currentItem: meeting.status === 'planned' ? null : (live?.currentItem ?? null),
    itemStartedAt: meeting.status === 'live' ? (live?.itemStartedAt ?? null) : null,
    presenterOrder: live?.presenterOrder ?? providers.map((p) => p.id),
    presenter: presenter && { providerId: presenter.id, name: presenter.name },
    presenterNoteDoc: presenter && notes.get(presenter.id)?.publishedAt ? methodNoteDocName(meeting.id, presenter.id) : null,
    attendance: { present, recorded },
    entries: entries.map(entryDto),
    serverTime: ctx.now().toISOString(),
  };
}

export function registerMeeting(ctx: AppContext, io: LiveServer, socket: LiveSocket, publisher: ReturnType<typeof meetingPublisher>): void {
  const joined = new Set<string>();
  socket.on('meeting:join', async (payload, ack) => {
    const reply = (r: Ack<MeetingState>) => typeof ack === 'function' && ack(r);
    try {
      const parsed = MeetingJoin.safeParse(payload);
      if (!parsed.success) throw new AppError('validation_failed', 'Invalid payload.', fieldIssues(parsed.error.issues));
      const meeting = await findMeeting(ctx.db, parsed.data.meetingId);
      if (!meeting || !can(socket.data.identity.actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('not_found', 'No such meeting.');
      assertReadsMeeting(socket.data.identity.actor, meeting);
      await socket.join(meetingRoom(meeting.id));
      joined.add(meeting.id);
      if (meeting.status === 'live') await recordAttendance(ctx.db, meeting.id, socket.data.identity.user.id, ctx.now().toISOString());
      reply({ ok: true, data: await meetingState(ctx, io, meeting) });
      publisher.changed(meeting.id); // others see the newcomer
    } catch (err) {
      if (!(err instanceof AppError)) ctx.log.error('meeting:join failed', { error: String(err) });
      reply({ ok: false, error: err instanceof AppError ? { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } : { code: 'internal', message: 'Could not join the meeting.' } });
    }
  });
  socket.on('meeting:leave', async (payload, ack) => {
    const meetingId = typeof payload?.meetingId === 'string' ? payload.meetingId : '';
    await socket.leave(meetingRoom(meetingId));
    joined.delete(meetingId);
    publisher.changed(meetingId);
    if (typeof ack === 'function') ack({ ok: true, data: null });
  });
  socket.on('disconnect', () => {
    for (const id of joined) publisher.changed(id);
  });
}

/** Pushes the state of a meeting to its room; bursts of changes are coalesced into one push. */
export function meetingPublisher(ctx: AppContext, io: LiveServer) {
  const pending = new Map<string, Promise<void>>();
  return {
    changed(meetingId: string): Promise<void> {
      let run = pending.get(meetingId);
      if (!run) {
        run = new Promise<void>((resolve) => setImmediate(resolve))
          .then(async () => {
            pending.delete(meetingId);
            const meeting = await findMeeting(ctx.db, meetingId);
            if (!meeting) return;
            // Whoever is in the room while the meeting runs is recorded as attending (also those who came early).
            if (meeting.status === 'live') {
              for (const p of await presentIn(io, meeting)) await recordAttendance(ctx.db, meeting.id, p.userId, ctx.now().toISOString());
            }
            io.to(meetingRoom(meetingId)).emit('meeting:state', await meetingState(ctx, io, meeting));
          })
          .catch((err) => ctx.log.error('meeting publish failed', { meetingId, error: String(err) }));
        pending.set(meetingId, run);
      }
      return run;
    },
  };
}
