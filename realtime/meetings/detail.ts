// A meeting as the API shows it: its summary, and its detail with agenda, open actions and the
// Yjs documents it owns with what the caller may do with each.
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';
import { agendaOf, findMeeting } from '../../db/queries/meetings.ts';
import { noteStates } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { cprFlaggedDocuments } from '../../db/queries/documents.ts';
import { openActionsBefore } from '../../db/queries/entries.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { MeetingDetail, MeetingSummary } from '../wire/meetings.ts';
import { meetingArchived, meetingFacts, meetingOpen, methodNoteAccess, minutesAccess } from '../yjs/access.ts';
import { methodNoteDocName, minutesDocName } from '../yjs/documents.ts';

export const meetingSummaryDto = (m: MeetingRow): MeetingSummary => ({
  id: m.id,
  title: m.title,
  startsAt: m.starts_at,
  durationMinutes: m.duration_minutes,
  location: m.location,
  status: m.status,
});

/** The meeting, if the actor is a member of its network. */
export async function meetingFor(ctx: AppContext, actor: Actor, meetingId: string): Promise<MeetingRow> {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting) throw new AppError('not_found', `There is no meeting with id ${meetingId}.`);
  if (!can(actor, { action: 'network.read', networkId: meeting.network_id })) throw new AppError('forbidden', 'You are not a member of this network.');
  assertReadsMeeting(actor, meeting);
  return meeting;
}

/** A member whose provider has left reads only the archive of the meetings held while it took part. */
export function assertReadsMeeting(actor: Actor, meeting: MeetingRow): void {
  if (!can(actor, { action: 'meeting.read', networkId: meeting.network_id, meeting: meetingFacts(meeting) })) {
    throw new AppError('forbidden', 'Your organisation has left this network: you read the archive of the meetings held while it took part, not later or unarchived ones.');
  }
}

/** The meetings an actor may read, of those given (all of them for everyone but staff of a provider that has left). */
export function readableMeetings<M extends MeetingRow>(actor: Actor, meetings: readonly M[]): M[] {
  return meetings.filter((m) => can(actor, { action: 'meeting.read', networkId: m.network_id, meeting: meetingFacts(m) }));
}

export async function meetingDetail(ctx: AppContext, actor: Actor, meeting: MeetingRow): Promise<MeetingDetail> {
  const [agenda, providers, states, openActions] = await Promise.all([
    agendaOf(ctx.db, meeting.id),
    providersOfNetwork(ctx.db, meeting.network_id),
    noteStates(ctx.db, meeting.id),
    meeting.status === 'closed' ? Promise.resolve([]) : openActionsBefore(ctx.db, meeting.network_id, meeting.id),
  ]);
  const isHost = membershipIn(actor, meeting.network_id)?.role === 'host';
  const names = [minutesDocName(meeting.id), ...providers.map((p) => methodNoteDocName(meeting.id, p.id))];
  const flagged = isHost ? await cprFlaggedDocuments(ctx.db, names) : new Map<string, string>();
  const minutes = minutesDocName(meeting.id);
  return {
    ...meetingSummaryDto(meeting),
    networkId: meeting.network_id,
    notesHeld: meeting.notes_held === 1,
    open: meetingOpen(meeting),
    archived: meetingArchived(meeting),
    agenda: agenda.map((a) => ({ id: a.id, title: a.title, providerId: a.provider_id, minutes: a.minutes })),
    openActions: openActions.map((e) => ({ id: e.id, meetingId: e.meeting_id, text: e.text, owner: e.owner, dueDate: e.due_date })),
    sequence: meeting.sequence,
    documents: {
      minutes: { name: minutes, access: minutesAccess(actor, meeting), cprFlaggedAt: flagged.get(minutes) ?? null },
      methodNotes: providers.map((p) => {
        const name = methodNoteDocName(meeting.id, p.id);
        const publishedAt = states.get(p.id)?.publishedAt ?? null;
        const access = methodNoteAccess(actor, meeting, p.id, publishedAt);
        return {
          providerId: p.id,
          providerName: p.name,
          providerShortName: p.short_name,
          // Whether a competitor has published is itself visible only to those who may read the note.
          name: access === 'none' ? null : name,
          published: access === 'none' ? null : publishedAt !== null,
          publishedAt: access === 'none' ? null : publishedAt,
          access,
          cprFlaggedAt: flagged.get(name) ?? null,
        };
      }),
    },
  };
}
