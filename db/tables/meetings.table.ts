// Joint meetings: the meeting, its agenda, method notes, decisions and actions, attendance and calendar feeds.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export type MeetingStatus = 'planned' | 'live' | 'closed' | 'cancelled';

export interface MeetingTable {
  id: string;
  network_id: string;
  title: string;
  starts_at: IsoTime;
  duration_minutes: number;
  location: string | null;
  status: MeetingStatus;
  /** iCalendar SEQUENCE: bumped on every reschedule so calendars update the same event. */
  sequence: number;
  created_at: IsoTime;
  updated_at: IsoTime;
  closed_at: IsoTime | null;
  /** 1 while the host holds published method notes back until the meeting opens. */
  notes_held: number;
  /** JSON of the live run (current item, presenter, timer); null before the start. */
  live_state: string | null;
  started_at: IsoTime | null;
}

export type MeetingRow = Selectable<MeetingTable>;
export type NewMeeting = Insertable<MeetingTable>;
export type MeetingUpdate = Updateable<MeetingTable>;

export interface AgendaItemTable {
  id: string;
  meeting_id: string;
  position: number;
  title: string;
  provider_id: string | null;
  minutes: number | null;
}

export type AgendaItemRow = Selectable<AgendaItemTable>;
export type NewAgendaItem = Insertable<AgendaItemTable>;
export type AgendaItemUpdate = Updateable<AgendaItemTable>;

export interface MethodNoteTable {
  meeting_id: string;
  provider_id: string;
  published_at: IsoTime | null;
  published_by: string | null;
}

export type MethodNoteRow = Selectable<MethodNoteTable>;
export type NewMethodNote = Insertable<MethodNoteTable>;
export type MethodNoteUpdate = Updateable<MethodNoteTable>;

export interface MeetingEntryTable {
  id: string;
  meeting_id: string;
  network_id: string;
  kind: 'decision' | 'action';
  text: string;
  /** Who owns an action item (a name or organisation, as said in the room). */
  owner: string | null;
  due_date: string | null;
  status: 'open' | 'done';
  created_by: string;
  created_at: IsoTime;
  done_at: IsoTime | null;
}

export type MeetingEntryRow = Selectable<MeetingEntryTable>;
export type NewMeetingEntry = Insertable<MeetingEntryTable>;
export type MeetingEntryUpdate = Updateable<MeetingEntryTable>;

export interface MeetingAttendanceTable {
  meeting_id: string;
  user_id: string;
  first_joined_at: IsoTime;
  last_seen_at: IsoTime;
}

export type MeetingAttendanceRow = Selectable<MeetingAttendanceTable>;
export type NewMeetingAttendance = Insertable<MeetingAttendanceTable>;
export type MeetingAttendanceUpdate = Updateable<MeetingAttendanceTable>;

export interface CalendarFeedTable {
  id: string;
  network_id: string;
  secret_hash: string;
  created_by: string;
  created_at: IsoTime;
  revoked_at: IsoTime | null;
}

export type CalendarFeedRow = Selectable<CalendarFeedTable>;
export type NewCalendarFeed = Insertable<CalendarFeedTable>;
export type CalendarFeedUpdate = Updateable<CalendarFeedTable>;
