// Calendar files as a calendar client reads them: the real server runs as a child process under
// TZ=UTC and under TZ=America/New_York, on SQLite and PostgreSQL; its .ics downloads and private
// feed are parsed with ical.js, and a winter and a summer meeting must name the instant the host
// planned in Copenhagen time, through the file's own VTIMEZONE (never the reader's zone).
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { sessionCookie } from '../helpers/signIn.ts';

const HOST = 'host@jobcenter.example';
// 09:00 in Copenhagen: 08:00 UTC in winter (CET), 07:00 UTC in summer (CEST).
const WINTER = { startsAt: '2027-01-12T09:00:00+01:00', utc: '2027-01-12T08:00:00.000Z', endUtc: '2027-01-12T09:30:00.000Z' };
const SUMMER = { startsAt: '2027-07-01T09:00:00+02:00', utc: '2027-07-01T07:00:00.000Z', endUtc: '2027-07-01T08:30:00.000Z' };
const MOVED = { startsAt: '2027-03-30T09:00:00+02:00', utc: '2027-03-30T07:00:00.000Z' }; // just after the spring change

/** The instant a DTSTART/DTEND names; refuses floating times (they name no instant) and zones the file does not define. */
function instantOf(event: ICAL.Component, name: 'dtstart' | 'dtend'): string {
  const prop = event.getFirstProperty(name);
  expect(prop, `${name} present`).toBeTruthy();
  const time = prop!.getFirstValue() as ICAL.Time;
  const tzid = prop!.getParameter('tzid');
  if (time.zone === ICAL.Timezone.utcTimezone) return time.toJSDate().toISOString();
  expect(tzid, `${name} is a floating time: no Z and no TZID, so every reader places it in their own zone`).toBe('Europe/Copenhagen');
  // ical.js resolves the TZID against the VTIMEZONE inside the file itself.
  expect(time.zone?.tzid, `${name}'s TZID resolves to a VTIMEZONE in the file`).toBe('Europe/Copenhagen');
  return time.toJSDate().toISOString();
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  const zones = calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
  expect(zones).toEqual(['Europe/Copenhagen']);
  // DTSTAMP is always UTC (RFC 5545 3.8.7.2), whatever the server's zone.
  const stamps = text.match(/^DTSTAMP.*$/gm) ?? [];
  expect(stamps.length).toBe(calendar.getAllSubcomponents('vevent').length);
  for (const stamp of stamps) expect(stamp, 'DTSTAMP in UTC').toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
  // RFC 5545: CRLF after every line (no bare LF), folded at 75 octets at most.
  expect(text.endsWith('\r\n'), 'the last line ends with CRLF').toBe(true);
  expect(/[^\r]\n/.test(text), 'no line ends with a bare LF').toBe(false);
  const long = text.split('\r\n').filter((line) => Buffer.byteLength(line, 'utf8') > 75);
  expect(long, 'lines longer than 75 octets').toEqual([]);
  return { text, calendar, event: (uid: string) => calendar.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === uid)! };
}

const cases = DIALECTS.flatMap(({ dialect, available }) => ['UTC', 'America/New_York'].map((tz) => ({ dialect, available, tz })));

for (const { dialect, available, tz } of cases) {
  describe.skipIf(!available)(`calendar files from a server under TZ=${tz} on ${dialect}`, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    let cookie: string;
    let networkId: string;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      return res;
    };
    const meeting = async (title: string, startsAt: string) => (await (await api('POST', `/api/networks/${networkId}/meetings`, { title, startsAt, durationMinutes: 90, location: 'Jobcenteret, mødelokale 2' })).json()) as { id: string };
    const download = async (id: string) => {
      const res = await api('GET', `/api/meetings/${id}/calendar.ics`);
      expect(res.headers.get('content-type')).toContain('text/calendar');
      return parse(await res.text());
    };

    beforeAll(async () => {
      database = await freshDatabase(dialect, { migrate: false });
      server = await startServerProcess({ DATABASE_URL: database.url, ...(database.pgSchema ? { DATABASE_SCHEMA: database.pgSchema } : {}), PORT: '0', TZ: tz });
      cookie = await sessionCookie(server.url, HOST);
      networkId = ((await (await api('GET', '/api/networks')).json()) as { networks: Array<{ id: string }> }).networks[0].id;
    }, 120_000);

    afterAll(async () => {
      await server?.kill('SIGTERM');
      await database?.drop();
    });

    it('a winter and a summer meeting at 09:00 in Copenhagen name their true instants, in the download and in the feed', async () => {
      const winter = await meeting('Vintermøde', WINTER.startsAt);
      // A long title with æøå, so its line is folded (at 75 octets, never inside a character).
      const summer = await meeting('Sommermøde om fastholdelse, mentorforløb og virksomhedspraktik – erfaringer på tværs af seks udbydere', SUMMER.startsAt);
      for (const [m, when] of [[winter, WINTER], [summer, SUMMER]] as const) {
        const { text, event } = await download(m.id);
        const vevent = event(`${m.id}@samspil`);
        expect(instantOf(vevent, 'dtstart')).toBe(when.utc);
        expect(instantOf(vevent, 'dtend')).toBe(when.endUtc);
        // What Outlook shows a reader in Copenhagen: the wall-clock 09:00, with the zone named.
        expect(text).toMatch(/^DTSTART;TZID=Europe\/Copenhagen:\d{8}T090000$/m);
      }

      const feed = (await (await api('POST', `/api/networks/${networkId}/calendar/feeds`)).json()) as { url: string };
      const res = await fetch(`${server.url}${new URL(feed.url).pathname}`);
      expect(res.status).toBe(200);
      const { event } = parse(await res.text());
      expect(instantOf(event(`${winter.id}@samspil`), 'dtstart')).toBe(WINTER.utc);
      expect(instantOf(event(`${summer.id}@samspil`), 'dtstart')).toBe(SUMMER.utc);
    });

    it('a reschedule keeps the UID and raises SEQUENCE; a cancellation marks the same event CANCELLED', async () => {
      const m = await meeting('Flyttes og aflyses', WINTER.startsAt);
      const uid = `${m.id}@samspil`;
      const first = (await download(m.id)).event(uid);
      expect(first.getFirstPropertyValue('sequence')).toBe(0);
      expect(first.getFirstPropertyValue('status')).toBe('CONFIRMED');

      await api('PATCH', `/api/meetings/${m.id}`, { startsAt: MOVED.startsAt });
      const moved = (await download(m.id)).event(uid);
      expect(moved, 'the same UID after the reschedule').toBeTruthy();
      expect(moved.getFirstPropertyValue('sequence')).toBe(1);
      expect(instantOf(moved, 'dtstart')).toBe(MOVED.utc);

      await api('POST', `/api/meetings/${m.id}/cancel`);
      const cancelled = (await download(m.id)).event(uid);
      expect(cancelled.getFirstPropertyValue('sequence')).toBe(2);
      expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
      const inFeed = parse(await (await api('GET', `/api/networks/${networkId}/calendar.ics`)).text()).event(uid);
      expect(inFeed.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(inFeed.getFirstPropertyValue('sequence')).toBe(2);
    });
  });
}
