// Meetings in people's calendars (Outlook first): one .ics per meeting and a feed per network,
// with a stable UID and a SEQUENCE that grows, so a reschedule or cancellation updates the event.
// Times are Copenhagen wall-clock times with TZID and the zone's VTIMEZONE, so every client shows
// 09:00 whatever its own zone or the server's; DTSTAMP and LAST-MODIFIED are UTC ('Z').
import { TZDate } from '@date-fns/tz';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { TIME_ZONE } from '../../domain/time.ts';
import type { MeetingRow } from '../../db/tables/meetings.table.ts';

export function meetingUid(meetingId: string): string {
  return `${meetingId}@samspil`;
}

/**
 * The VTIMEZONE of a zone from the library's current tz data. Since tzdata 2022 Copenhagen is an
 * alias of Berlin (the same rules since 1980), so the library answers with Berlin's block: it is
 * renamed to the zone asked for, the name our TZID parameters and the readers' calendars show.
 */
export function vtimezoneOf(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : null;
  if (!text?.includes('BEGIN:VTIMEZONE')) return null;
  return text.replace(/^TZID:.*$/m, `TZID:${zone}`).replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`);
}

/** A Copenhagen wall-clock reading of an instant, which ical-generator writes as TZID-local time. */
const inCopenhagen = (ms: number) => new TZDate(ms, TIME_ZONE);

export function calendarOf(name: string, meetings: MeetingRow[], baseUrl: string): string {
  // The calendar's own zone stays unset (name null): ical-generator then writes DTSTAMP and
  // LAST-MODIFIED in UTC, and the generator adds the VTIMEZONE of every event's zone.
  const calendar = ical({
    name,
    prodId: { company: 'Samspil', product: 'Samspil', language: 'DA' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: vtimezoneOf },
  });
  for (const m of meetings) {
    const start = Date.parse(m.starts_at);
    calendar.createEvent({
      id: meetingUid(m.id),
      sequence: m.sequence,
      timezone: TIME_ZONE,
      start: inCopenhagen(start),
      end: inCopenhagen(start + m.duration_minutes * 60_000),
      stamp: new Date(m.updated_at),
      lastModified: new Date(m.updated_at),
      summary: m.title,
      location: m.location ?? undefined,
      description: `Fælles erfaringsmøde i Samspil: ${baseUrl}/meetings/${m.id}`,
      url: `${baseUrl}/meetings/${m.id}`,
      status: m.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF; ical-generator leaves the last bare.
  return `${calendar.toString()}\r\n`;
}
