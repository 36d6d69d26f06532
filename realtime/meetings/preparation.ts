// The preparation board: per provider, is its method note published and its monthly report in by
// the deadline (three working days before the meeting)? And which reports are overdue under its
// contract's documentation deadline. The host sees all, a provider itself.
import { membershipIn, type Actor } from '../../domain/access.ts';
import { takesPartIn } from '../../domain/providerPeriods.ts';
import { addMonths, copenhagenMonth, workingDaysBefore } from '../../domain/time.ts';
import { findMeeting } from '../../db/queries/meetings.ts';
import { noteStates } from '../../db/queries/methodNotes.ts';
import { providersWithPeriods } from '../../db/queries/networks.ts';
import { firstReportsOfMonth } from '../../db/queries/reports.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { networkDeadlines } from '../contracts/deadlines.ts';
import { assertReadsMeeting } from './detail.ts';

export const PREPARATION_WORKING_DAYS = 3;

/**
 * The deadline: N working days (Mon–Fri) before the meeting's start, at the same time of day. Days
 * and time are counted in UTC, as they always were: across a summer-time change the local hour moves by one.
 */
export function preparationDeadline(startsAt: string, workingDays = PREPARATION_WORKING_DAYS): string {
  const start = new Date(startsAt).toISOString();
  return `${workingDaysBefore(start.slice(0, 10), workingDays)}${start.slice(10)}`;
}

export interface PreparationRow {
  providerId: string;
  providerName: string;
  methodNote: { published: boolean; publishedAt: string | null; onTime: boolean };
  report: { month: string; submittedAt: string | null; onTime: boolean };
  /** Monthly reports overdue now under the provider's contract (any month, oldest first). */
  overdueReports: Array<{ month: string; dueDate: string }>;
}

export async function preparationBoard(ctx: AppContext, actor: Actor, meetingId: string) {
  const meeting = await findMeeting(ctx.db, meetingId);
  if (!meeting) throw new AppError('not_found', `There is no meeting with id ${meetingId}.`);
  const m = membershipIn(actor, meeting.network_id);
  if (!m || m.role === 'viewer') throw new AppError('forbidden', 'The preparation board is for the host and the providers.');
  assertReadsMeeting(actor, meeting);
  // Only providers taking part in the meeting's month prepare for it.
  const meetingMonth = copenhagenMonth(new Date(meeting.starts_at));
  const deadline = preparationDeadline(meeting.starts_at);
  // The month that must be reported: the last complete month before the deadline.
  const month = addMonths(deadline.slice(0, 7), -1);
  const [providers, notes, reports, deadlines] = await Promise.all([
    providersWithPeriods(ctx.db, meeting.network_id),
    noteStates(ctx.db, meetingId),
    firstReportsOfMonth(ctx.db, meeting.network_id, month),
    networkDeadlines(ctx.db, meeting.network_id, ctx.now()),
  ]);
  const rows: PreparationRow[] = providers
    .filter((p) => takesPartIn(p.periods, meetingMonth) && (m.role === 'host' || p.id === m.organisationId))
    .map((p) => {
      const publishedAt = notes.get(p.id)?.publishedAt ?? null;
      const submittedAt = reports.find((r) => r.provider_id === p.id)?.created_at ?? null;
      return {
        providerId: p.id,
        providerName: p.name,
        methodNote: { published: publishedAt !== null, publishedAt, onTime: publishedAt !== null && publishedAt <= deadline },
        report: { month, submittedAt, onTime: submittedAt !== null && submittedAt <= deadline },
        overdueReports: deadlines.overdue.filter((d) => d.providerId === p.id).map((d) => ({ month: d.month, dueDate: d.dueDate })),
      };
    });
  return { meetingId, deadline, workingDaysBefore: PREPARATION_WORKING_DAYS, rows };
}
