// Meetings in people's calendars (Outlook first): one .ics per meeting and a feed per network,
// with a stable UID and a SEQUENCE that grows, so a reschedule or cancellation updates the event.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { TIME_ZONE } from '../../domain/time.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';

export function meetingUid(meetingId: string): string {
  return `${meetingId}@samspil`;
}

export function calendarOf(name: string, meetings: MeetingRow[], baseUrl: string): string {
  const calendar = ical({ name, prodId: { company: 'Samspil', product: 'Samspil', language: 'DA' }, method: ICalCalendarMethod.PUBLISH, timezone: TIME_ZONE });
  for (const m of meetings) {
    calendar.createEvent({
      id: meetingUid(m.id),
      sequence: m.sequence,
      start: new Date(m.starts_at),
      end: new Date(Date.parse(m.starts_at) + m.duration_minutes * 60_000),
      stamp: new Date(m.updated_at),
      lastModified: new Date(m.updated_at),
      summary: m.title,
      location: m.location ?? undefined,
      description: `Fælles erfaringsmøde i Samspil: ${baseUrl}/meetings/${m.id}`,
      url: `${baseUrl}/meetings/${m.id}`,
      status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
