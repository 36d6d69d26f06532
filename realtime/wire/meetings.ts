// Meetings on the wire: planning, the live run (agenda, presenter, decisions) and the detail page.
import { z } from '@hono/zod-openapi';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import type { PresenceEntry } from './presence.ts';

export const MeetingSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    startsAt: z.string().openapi({ description: 'ISO 8601, UTC' }),
    durationMinutes: z.number().int(),
    location: z.string().nullable(),
    status: z.enum(['planned', 'live', 'closed', 'cancelled']),
  })
  .openapi('MeetingSummary');
export type MeetingSummary = z.infer<typeof MeetingSummary>;

export const DocumentAccessSchema = z.enum(['write', 'read', 'none']);

export const MeetingDetail = MeetingSummary.extend({
  networkId: z.string(),
  notesHeld: z.boolean().openapi({ description: 'The host holds published method notes back until the meeting opens' }),
  open: z.boolean().openapi({ description: 'The meeting has started (or is over)' }),
  archived: z.boolean(),
  agenda: z.array(z.object({ id: z.string(), title: z.string(), providerId: z.string().nullable(), minutes: z.number().int().nullable() })),
  openActions: z
    .array(z.object({ id: z.string(), meetingId: z.string(), text: z.string(), owner: z.string().nullable(), dueDate: z.string().nullable() }))
    .openapi({ description: 'Action items still open from earlier meetings: they come back on this agenda' }),
  sequence: z.number().int().openapi({ description: 'iCalendar SEQUENCE: grows with every reschedule' }),
  documents: z.object({
    minutes: z.object({ name: z.string(), access: DocumentAccessSchema, cprFlaggedAt: z.string().nullable() }),
    methodNotes: z.array(
      z.object({
        providerId: z.string(),
        providerName: z.string(),
        providerShortName: z.string(),
        name: z.string().nullable().openapi({ description: 'Yjs document name (`/yjs/<name>`); null when the caller may not read it' }),
        published: z.boolean().nullable(),
        publishedAt: z.string().nullable(),
        access: DocumentAccessSchema,
        cprFlaggedAt: z.string().nullable().openapi({ description: 'Host only: when the server found a CPR number in the stored text' }),
      }),
    ),
  }),
}).openapi('MeetingDetail');
export type MeetingDetail = z.infer<typeof MeetingDetail>;

export const NotesHeldRequest = z.object({ held: z.boolean() }).openapi('NotesHeldRequest');

/** Free text everyone in the network reads: a CPR number in it is refused, with the field named. */
const withoutCpr = <S extends z.ZodString>(schema: S) => schema.refine((text) => !containsCpr(text), CPR_MESSAGE.en);

const IsoWithOffset = z.iso.datetime({ offset: true, error: 'Use ISO 8601 with an offset, e.g. 2027-01-14T09:00:00+01:00' });

export const AgendaItemInput = z.object({
  title: withoutCpr(z.string().trim().min(1, 'Every agenda item needs a title').max(200)),
  providerId: z.string().min(1).max(100).nullable().optional(),
  minutes: z.number().int().min(1).max(600).nullable().optional(),
});

export const CreateMeetingRequest = z
  .object({
    title: withoutCpr(z.string().trim().min(3).max(200)),
    startsAt: IsoWithOffset,
    durationMinutes: z.number().int().min(15).max(24 * 60).default(180),
    location: withoutCpr(z.string().trim().max(500)).nullable().optional().openapi({ description: 'A place or a video link' }),
    agenda: z.array(AgendaItemInput).max(60).optional(),
  })
  .openapi('CreateMeetingRequest');

export const UpdateMeetingRequest = z
  .object({
    title: withoutCpr(z.string().trim().min(3).max(200)).optional(),
    startsAt: IsoWithOffset.optional(),
    durationMinutes: z.number().int().min(15).max(24 * 60).optional(),
    location: withoutCpr(z.string().trim().max(500)).nullable().optional(),
  })
  .openapi('UpdateMeetingRequest');

export const AdvanceRequest = z
  .object({
    item: z.number().int().min(0).optional().openapi({ description: 'Go to this agenda item (0-based); default: the next one' }),
    direction: z.enum(['next', 'previous']).optional(),
    presenter: z.string().min(1).max(100).optional().openapi({ description: "'next', 'previous' or a provider id" }),
  })
  .openapi('AdvanceRequest');

export const StartRequest = z
  .object({
    confirmEarly: z.boolean().optional().openapi({ description: 'Start anyway when the planned start is more than a day away (else 409 confirmation_required)' }),
  })
  .openapi('StartRequest');

export const PresenterOrderRequest = z.object({ order: z.array(z.string().min(1).max(100)).max(50) }).openapi('PresenterOrderRequest');

export const EntryInput = z
  .object({
    kind: z.enum(['decision', 'action']),
    text: z.string().trim().min(2).max(2000),
    owner: z.string().trim().max(200).nullable().optional(),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD').nullable().optional(),
  })
  .openapi('EntryInput');

export const MeetingEntry = z
  .object({
    id: z.string(),
    meetingId: z.string(),
    kind: z.enum(['decision', 'action']),
    text: z.string(),
    owner: z.string().nullable(),
    dueDate: z.string().nullable(),
    status: z.enum(['open', 'done']),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('MeetingEntry');
export type MeetingEntry = z.infer<typeof MeetingEntry>;

export interface MeetingState {
  meetingId: string;
  networkId: string;
  title: string;
  status: 'planned' | 'live' | 'closed' | 'cancelled';
  agenda: Array<{ id: string; title: string; providerId: string | null; minutes: number | null }>;
  currentItem: number | null;
  /** When the current item began, for the per-item timer (compare with serverTime). */
  itemStartedAt: string | null;
  presenterOrder: string[];
  presenter: { providerId: string; name: string } | null;
  /** The Yjs document of the presenter's method note, when it is published (everyone may open it). */
  presenterNoteDoc: string | null;
  attendance: { present: PresenceEntry[]; recorded: Array<{ userId: string; name: string; firstJoinedAt: string }> };
  entries: MeetingEntry[];
  serverTime: string;
}

export const MeetingJoin = z.object({ meetingId: z.string().min(1).max(100) });
