// A meeting's whole life through the API and real socket.io / y-websocket clients: plan, prepare,
// run, record, close; then the archive refuses every write, and search, exports and diffs work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { MeetingState } from '../../realtime/wire/meetings.ts';
import { DatabaseDocumentStore } from '../../realtime/yjs/persistence.ts';
import { CONTENT_FIELD } from '../../realtime/yjs/templates.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { pdfToolsAvailable } from '../helpers/services.ts';
import { pdfFonts, pdfText } from '../helpers/pdf.ts';
import { connected, eventually, liveClient, yjsClient } from '../helpers/clients.ts';

const PDF_TOOLS = pdfToolsAvailable();

process.setMaxListeners(100);
let server: TestServer;
let providers: string[];
const as = (email: string) => server.as(email);
const post = async (path: string, email: string, body?: unknown) =>
  server.api(path, { method: 'POST', cookie: await as(email), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const HOST = 'host@jobcenter.example';

function typeInto(client: ReturnType<typeof yjsClient>, text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  const fragment = client.doc.getXmlFragment(CONTENT_FIELD);
  fragment.insert(fragment.length, [p]);
}

async function createMeeting(title: string, startsAt = '2027-01-14T09:00:00+01:00') {
  const res = await post(`/api/networks/${server.networkId}/meetings`, HOST, {
    title,
    startsAt,
    location: 'https://video.example/møde',
    agenda: [
      { title: 'Velkomst', minutes: 10 },
      { title: 'Oplæg: Karrierebroen', providerId: providers[0], minutes: 15 },
      { title: 'Oplæg: Nordlys', providerId: providers[1], minutes: 15 },
      { title: 'Beslutninger', minutes: 10 },
    ],
  });
  expect(res.status).toBe(201);
  return res.json();
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`meetings on ${dialect}`, () => {
    beforeAll(async () => {
          server = await startTestServer({ dialect });
      providers = await server.providerIds();
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('planning', () => {
      it('only the host creates meetings; the body is validated; the agenda and document names come back', async () => {
        expect((await post(`/api/networks/${server.networkId}/meetings`, 'anna@provider1.example', { title: 'Mit møde', startsAt: '2027-01-14T09:00:00+01:00' })).status).toBe(403);
        const bad = await post(`/api/networks/${server.networkId}/meetings`, HOST, { title: 'X', startsAt: '14/1 kl 9' });
        expect(bad.status).toBe(422);
        expect((await bad.json()).error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['startsAt', 'title']);
        // Everyone in the network reads the title, the place and the agenda: no CPR number in them.
        const cpr = await post(`/api/networks/${server.networkId}/meetings`, HOST, {
          title: 'Møde om 010203-1234',
          startsAt: '2027-01-14T09:00:00+01:00',
          location: 'Hos borger 0102031234 (cpr)',
          agenda: [{ title: 'Sag 010203-1234' }],
        });
        expect(cpr.status).toBe(422);
        const cprIssues = (await cpr.json()).error.issues as Array<{ path: string; message: string }>;
        expect(cprIssues.map((i) => i.path).sort()).toEqual(['agenda.0.title', 'location', 'title']);
        expect(cprIssues[0].message).toMatch(/CPR/);
        const m = await createMeeting('Planlægningsmøde');
        expect(m.agenda.map((a: { title: string }) => a.title)).toEqual(['Velkomst', 'Oplæg: Karrierebroen', 'Oplæg: Nordlys', 'Beslutninger']);
        expect(m.startsAt).toBe('2027-01-14T08:00:00.000Z');
        expect(m.documents.minutes.name).toBe(`meeting:${m.id}:minutes`);
        // Default agenda when none is given: one slot per provider.
        const plain = await (await post(`/api/networks/${server.networkId}/meetings`, HOST, { title: 'Standardmøde', startsAt: '2027-03-11T09:00:00+01:00' })).json();
        expect(plain.agenda.filter((a: { providerId: string | null }) => a.providerId)).toHaveLength(6);
      });

      it('calendar: a stable UID whose SEQUENCE grows on reschedule, cancellation marks the same event, private feeds can be revoked', async () => {
        const m = await createMeeting('Kalendermøde');
        const ics = async () => (await server.api(`/api/meetings/${m.id}/calendar.ics`, { cookie: await as('viewer@jobcenter.example') })).text();
        const first = await ics();
        expect(first).toContain(`UID:${m.id}@samspil`);
        expect(first).toContain('SEQUENCE:0');
        const moved = await server.api(`/api/meetings/${m.id}`, { method: 'PATCH', cookie: await as(HOST), body: JSON.stringify({ startsAt: '2027-01-21T09:00:00+01:00' }) });
        expect(moved.status).toBe(200);
        const second = await ics();
        expect(second).toContain(`UID:${m.id}@samspil`);
        expect(second).toContain('SEQUENCE:1');
        expect(second).toMatch(/DTSTART[^\n]*20270121/);
        expect((await post(`/api/meetings/${m.id}/cancel`, HOST)).status).toBe(200);
        const third = await ics();
        expect(third).toContain('STATUS:CANCELLED');
        expect(third).toContain('SEQUENCE:2');

        const feed = await (await post(`/api/networks/${server.networkId}/calendar/feeds`, 'bo@provider2.example')).json();
        const path = new URL(feed.url).pathname;
        const anonymous = await server.api(path);
        expect(anonymous.status).toBe(200);
        expect(anonymous.headers.get('content-type')).toContain('text/calendar');
        expect(await anonymous.text()).toContain(`UID:${m.id}@samspil`);
        const listed = await (await server.api(`/api/networks/${server.networkId}/calendar/feeds`, { cookie: await as('bo@provider2.example') })).json();
        expect(listed.feeds.map((f: { id: string }) => f.id)).toEqual([feed.id]);
        expect(JSON.stringify(listed)).not.toContain(new URL(feed.url).pathname.split('/').pop()!.replace('.ics', ''));
        // The host may revoke anyone's feed in the network.
        expect((await server.api(`/api/networks/${server.networkId}/calendar/feeds/${feed.id}`, { method: 'DELETE', cookie: await as(HOST) })).status).toBe(204);
        expect((await server.api(`/api/networks/${server.networkId}/calendar/feeds/${feed.id}`, { method: 'DELETE', cookie: await as('bo@provider2.example') })).status).toBe(404);
        expect((await server.api(path)).status).toBe(404);
      });

      it('starting more than a day before the planned date needs the host to confirm, and closing cannot skip the start', async () => {
        const m = await createMeeting('Mødet om fem uger'); // 14 January 2027, 09:00 in Copenhagen
        const refused = await post(`/api/meetings/${m.id}/start`, HOST);
        expect(refused.status).toBe(409);
        const { error } = await refused.json();
        expect(error.code).toBe('confirmation_required');
        expect(error.message).toContain('2027-01-14 at 09:00');
        expect(error.issues).toEqual([{ path: 'confirmEarly', message: error.message }]);
        expect((await post(`/api/meetings/${m.id}/start`, HOST, { confirmEarly: false })).status).toBe(409);
        expect((await post(`/api/meetings/${m.id}/start`, HOST, { confirmEarly: 'yes' })).status).toBe(422);
        // Archiving follows starting: a meeting the host did not confirm cannot be closed either.
        expect((await post(`/api/meetings/${m.id}/close`, HOST)).status).toBe(409);
        const stillPlanned = await (await server.api(`/api/meetings/${m.id}`, { cookie: await as(HOST) })).json();
        expect(stillPlanned.status).toBe('planned');

        const confirmed = await post(`/api/meetings/${m.id}/start`, HOST, { confirmEarly: true });
        expect(confirmed.status).toBe(200);
        expect((await confirmed.json()).status).toBe('live');

        // Within a day of the planned start no confirmation is asked for.
        const soon = await createMeeting('Mødet i morgen tidlig', new Date(server.ctx.now().getTime() + 23 * 3600_000).toISOString());
        expect((await post(`/api/meetings/${soon.id}/start`, HOST)).status).toBe(200);
      });

      it('the preparation board shows each provider its own row and the host all six', async () => {
        const m = await createMeeting('Forberedelsesmøde');
        await post(`/api/meetings/${m.id}/notes/${providers[0]}/publish`, 'anna@provider1.example');
        const board = await (await server.api(`/api/meetings/${m.id}/preparation`, { cookie: await as(HOST) })).json();
        expect(board.rows).toHaveLength(6);
        expect(board.deadline < m.startsAt).toBe(true);
        expect(board.rows[0].methodNote).toMatchObject({ published: true, onTime: true });
        expect(board.rows[1].methodNote).toMatchObject({ published: false, onTime: false });
        const own = await (await server.api(`/api/meetings/${m.id}/preparation`, { cookie: await as('bo@provider2.example') })).json();
        expect(own.rows.map((r: { providerId: string }) => r.providerId)).toEqual([providers[1]]);
        expect((await server.api(`/api/meetings/${m.id}/preparation`, { cookie: await as('viewer@jobcenter.example') })).status).toBe(403);
      });
    });

    describe('a meeting from start to archive', () => {
      it('runs live, everyone follows, and closing freezes an immutable record', async () => {
        const m = await createMeeting('Erfaringsmøde januar');
        const participants = await Promise.all([HOST, 'anna@provider1.example', 'viewer@jobcenter.example'].map(async (email) => {
          const socket = liveClient(server.url, { cookie: await as(email) });
          await connected(socket);
          const states: MeetingState[] = [];
          socket.on('meeting:state', (s) => states.push(s));
          const joined = await socket.emitWithAck('meeting:join', { meetingId: m.id });
          expect(joined.ok).toBe(true);
          return { socket, states };
        }));
        const [host, anna, viewer] = participants;

        // Notes and minutes are written before and during the meeting.
        expect((await post(`/api/meetings/${m.id}/notes/${providers[0]}/publish`, 'anna@provider1.example')).status).toBe(200);
        const hostToken = (await (await post('/api/auth/tokens', HOST, {})).json()).token;
        const annaToken = (await (await post('/api/auth/tokens', 'anna@provider1.example', {})).json()).token;
        const note = yjsClient(server.url, `meeting:${m.id}:note:${providers[0]}`, { token: annaToken });
        const minutes = yjsClient(server.url, `meeting:${m.id}:minutes`, { token: hostToken });
        await Promise.all([note.synced(), minutes.synced()]);
        typeInto(note, 'Vi bruger mentorordninger med tidligere kandidater.');

        const order = [...providers].reverse();
        expect((await post(`/api/meetings/${m.id}/presenters`, HOST, { order })).status).toBe(200);
        expect((await post(`/api/meetings/${m.id}/start`, 'anna@provider1.example')).status).toBe(403);
        expect((await post(`/api/meetings/${m.id}/start`, HOST, { confirmEarly: true })).status).toBe(200); // 14 January: weeks ahead
        await eventually(() => [host, anna, viewer].every((p) => p.states.some((s) => s.status === 'live' && s.currentItem === 0)), 'everyone to see the start');
        expect(viewer.states.at(-1)!.presenterOrder).toEqual(order); // the order set before the start is kept
        expect((await post(`/api/meetings/${m.id}/advance`, HOST)).status).toBe(200);
        await eventually(() => viewer.states.at(-1)?.currentItem === 1, 'the viewer to follow to item 1');
        const atItem1 = viewer.states.at(-1)!;
        expect(atItem1.presenter).toMatchObject({ providerId: providers[0] });
        expect(atItem1.presenterNoteDoc).toBe(`meeting:${m.id}:note:${providers[0]}`);
        expect(Date.parse(atItem1.itemStartedAt!)).toBeLessThanOrEqual(Date.parse(atItem1.serverTime));
        expect((await post(`/api/meetings/${m.id}/advance`, HOST, { presenter: 'next' })).status).toBe(200);
        // Rotation follows the host's order (reversed): after Karrierebroen comes the first in the list again.
        await eventually(() => anna.states.at(-1)?.presenter?.providerId === order[0], 'the presenter to rotate');

        // A late joiner lands on the current state at once, and is recorded as present.
        const late = liveClient(server.url, { cookie: await as('bo@provider2.example') });
        await connected(late);
        const lateState = await late.emitWithAck('meeting:join', { meetingId: m.id });
        expect(lateState.ok && lateState.data.currentItem).toBe(1);
        await eventually(() => host.states.at(-1)!.attendance.present.some((p) => p.name === 'Bo Kjær'), 'Bo to appear as present');

        typeInto(minutes, 'Netværket drøftede mentorordninger og fastholdelse.');
        const decision = await post(`/api/meetings/${m.id}/entries`, HOST, { kind: 'decision', text: 'Alle udbydere afprøver mentorordninger i foråret.' });
        expect(decision.status).toBe(201);
        const action = await post(`/api/meetings/${m.id}/entries`, HOST, { kind: 'action', text: 'Del skabelon for mentoraftaler', owner: 'Karrierebroen', dueDate: '2027-02-15' });
        expect(action.status).toBe(201);
        expect((await post(`/api/meetings/${m.id}/entries`, 'anna@provider1.example', { kind: 'decision', text: 'Anna bestemmer' })).status).toBe(403);
        await eventually(() => viewer.states.at(-1)!.entries.length === 2, 'entries to reach everyone');
        await new Promise((r) => setTimeout(r, 200)); // let the edits be stored

        const closed = await post(`/api/meetings/${m.id}/close`, HOST);
        expect(closed.status).toBe(200);
        expect(await closed.json()).toMatchObject({ status: 'closed', archived: true });
        await eventually(() => viewer.states.at(-1)?.status === 'closed', 'everyone to see the close');

        // From now on every write is refused: API 409, Yjs read-only.
        expect((await post(`/api/meetings/${m.id}/entries`, HOST, { kind: 'decision', text: 'For sent' })).status).toBe(409);
        expect((await post(`/api/meetings/${m.id}/advance`, HOST)).status).toBe(409);
        expect((await post(`/api/meetings/${m.id}/notes/${providers[0]}/withdraw`, 'anna@provider1.example')).status).toBe(409);
        const snapshot = await server.ctx.db.selectFrom('snapshot_documents').select(['name', 'state']).where('meeting_id', '=', m.id).execute();
        expect(snapshot).toHaveLength(7);
        await eventually(() => note.provider.wsconnected && note.provider.synced, 'the note writer to reconnect read-only', 10_000);
        typeInto(note, 'Ændring efter lukning');
        typeInto(minutes, 'Ændring efter lukning');
        await new Promise((r) => setTimeout(r, 400));
        const store = new DatabaseDocumentStore({ db: server.ctx.db, postgres: dialect === 'postgres', now: () => new Date() });
        for (const s of snapshot) {
          const stored = (await store.load(s.name)) ?? Y.encodeStateAsUpdate(new Y.Doc()); // never opened: empty
          const a = new Y.Doc();
          const b = new Y.Doc();
          Y.applyUpdate(a, stored);
          Y.applyUpdate(b, s.state);
          expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
          expect(JSON.stringify(a.getXmlFragment(CONTENT_FIELD).toJSON())).not.toContain('Ændring efter lukning');
        }
        const snapshotAgain = await server.ctx.db.selectFrom('snapshot_documents').select(['name', 'state']).where('meeting_id', '=', m.id).execute();
        expect(snapshotAgain.map((s) => Buffer.from(s.state).toString('base64'))).toEqual(snapshot.map((s) => Buffer.from(s.state).toString('base64')));

        // The archive as it stood.
        const archive = await (await server.api(`/api/meetings/${m.id}/archive`, { cookie: await as('viewer@jobcenter.example') })).json();
        expect(archive.minutes.markdown).toContain('Netværket drøftede mentorordninger');
        expect(archive.notes.find((n: { providerId: string }) => n.providerId === providers[0]).markdown).toContain('mentorordninger med tidligere kandidater');
        expect(archive.notes.find((n: { providerId: string }) => n.providerId === providers[2]).markdown).toBeNull(); // a draft stays private
        expect(archive.entries.map((e: { kind: string }) => e.kind)).toEqual(['decision', 'action']);
        expect(archive.attendance.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['Anna Holm', 'Bo Kjær', 'Helle Jobcenter', 'Vibeke Deltager']));
        expect(archive.board.rows).toHaveLength(6);

        const md = await server.api(`/api/meetings/${m.id}/export.md`, { cookie: await as('viewer@jobcenter.example') });
        expect(md.headers.get('content-type')).toContain('text/markdown');
        expect(await md.text()).toContain('Netværket drøftede mentorordninger');
        const pdf = await server.api(`/api/meetings/${m.id}/export.pdf`, { cookie: await as('viewer@jobcenter.example') });
        expect(pdf.headers.get('content-type')).toBe('application/pdf');
        expect(pdf.headers.get('content-disposition')).toContain('referat-');
        const pdfBytes = new Uint8Array(await pdf.arrayBuffer());
        expect(Buffer.from(pdfBytes).subarray(0, 5).toString()).toBe('%PDF-');
        if (PDF_TOOLS) {
          // The minutes as a letter: embedded Plex, the meeting's tables and the written minutes, page numbers.
          expect(pdfFonts(pdfBytes).every((f) => f.embedded && f.name.includes('IBMPlexSans'))).toBe(true);
          const text = pdfText(pdfBytes);
          for (const words of ['Deltagere', 'Dagsorden', 'Beslutninger', 'Aktionspunkter', 'Netværket drøftede mentorordninger', 'Anna Holm', 'side 1 af']) expect(text).toContain(words);
        }

        // A correction after closing is an addendum, attributed and dated.
        const addendum = await post(`/api/meetings/${m.id}/addenda`, 'anna@provider1.example', { text: 'Mentorordningen starter først i marts.' });
        expect(addendum.status).toBe(201);
        expect((await post(`/api/meetings/${m.id}/addenda`, 'viewer@jobcenter.example', { text: 'Hej' })).status).toBe(403);

        // Open action items come back on the next meeting's agenda.
        const next = await createMeeting('Erfaringsmøde marts', '2027-03-11T09:00:00+01:00');
        expect(next.openActions.map((a: { text: string }) => a.text)).toContain('Del skabelon for mentoraftaler');

        for (const p of [...participants.map((x) => x.socket), late]) p.close();
        note.destroy();
        minutes.destroy();
      });

      it('search finds words from archived notes, minutes and decisions, with highlighted hits, only in the caller’s networks', async () => {
        const hits = async (q: string, email = 'viewer@jobcenter.example') => (await server.api(`/api/networks/${server.networkId}/archive/search?q=${encodeURIComponent(q)}`, { cookie: await as(email) })).json();
        const notes = await hits('tidligere kandidater');
        expect(notes.hits.map((h: { kind: string }) => h.kind)).toContain('methodNote');
        const hit = notes.hits.find((h: { kind: string }) => h.kind === 'methodNote');
        expect(hit.segments.filter((s: { hit: boolean }) => s.hit).map((s: { text: string }) => s.text.toLowerCase())).toEqual(expect.arrayContaining(['tidligere', 'kandidater']));
        expect((await hits('fastholdelse')).hits.map((h: { kind: string }) => h.kind)).toContain('minutes');
        expect((await hits('foråret')).hits.map((h: { kind: string }) => h.kind)).toContain('decision');
        expect((await hits('marts')).hits.map((h: { kind: string }) => h.kind)).toContain('addendum');
        expect((await hits('"); drop table meetings; --')).hits).toEqual([]);
        expect((await server.api(`/api/networks/${server.networkId}/archive/search?q=mentor`)).status).toBe(401);
        // A host of another network finds nothing here: refused outright.
        const { db } = server.ctx;
        const at = new Date().toISOString();
        await db.insertInto('organisations').values({ id: `jc-x-${dialect}`, kind: 'jobcenter', name: 'Jobcenter Sydby', short_name: 'Sydby', created_at: at }).execute();
        await db.insertInto('networks').values({ id: `net-x-${dialect}`, name: 'Sydby', host_organisation_id: `jc-x-${dialect}`, target_group: 'x', meeting_cadence_months: 2, activation_requirement_pct: 30, created_at: at }).execute();
        const hash = (await db.selectFrom('users').select('password_hash').where('email', '=', HOST).executeTakeFirstOrThrow()).password_hash;
        await db.insertInto('users').values({ id: `u-x-${dialect}`, email: 'host@sydby.example', name: 'Sydby', password_hash: hash, locale: 'da', created_at: at, disabled_at: null }).execute();
        await db.insertInto('memberships').values({ id: `m-x-${dialect}`, user_id: `u-x-${dialect}`, network_id: `net-x-${dialect}`, role: 'host', organisation_id: `jc-x-${dialect}`, created_at: at }).execute();
        const outsider = await server.api(`/api/networks/${server.networkId}/archive/search?q=mentor`, { cookie: await as('host@sydby.example') });
        expect(outsider.status).toBe(403);
        const ownNetwork = await (await server.api(`/api/networks/net-x-${dialect}/archive/search?q=mentor`, { cookie: await as('host@sydby.example') })).json();
        expect(ownNetwork.hits).toEqual([]);
      });

      it("compares a provider's method note between two archived meetings", async () => {
        const closedIds: string[] = [];
        for (const [i, text] of ['Vi holder jobcafé hver uge.', 'Vi holder jobcafé hver uge.\nVi har tilføjet virksomhedsbesøg.'].entries()) {
          const m = await createMeeting(`Diffmøde ${i}`, `2027-0${5 + i}-10T09:00:00+02:00`);
          const token = (await (await post('/api/auth/tokens', 'anna@provider1.example', {})).json()).token;
          const note = yjsClient(server.url, `meeting:${m.id}:note:${providers[0]}`, { token });
          await note.synced();
          for (const line of text.split('\n')) typeInto(note, line);
          await post(`/api/meetings/${m.id}/notes/${providers[0]}/publish`, 'anna@provider1.example');
          await new Promise((r) => setTimeout(r, 150));
          note.destroy();
          await post(`/api/meetings/${m.id}/start`, HOST, { confirmEarly: true });
          expect((await post(`/api/meetings/${m.id}/close`, HOST)).status).toBe(200);
          closedIds.push(m.id);
        }
        const res = await server.api(`/api/networks/${server.networkId}/archive/diff?providerId=${providers[0]}&from=${closedIds[0]}&to=${closedIds[1]}`, { cookie: await as('bo@provider2.example') });
        expect(res.status).toBe(200);
        const { lines } = await res.json();
        expect(lines).toContainEqual({ kind: 'added', text: 'Vi har tilføjet virksomhedsbesøg.' });
        expect(lines).toContainEqual({ kind: 'same', text: 'Vi holder jobcafé hver uge.' });
      });
    });
  });
}
