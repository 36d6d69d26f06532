// The migration that re-derives the archive's text, Markdown and search index from the stored Yjs
// states with the schema renderer: what the old renderer lost comes back, the states stay as stored.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as rerenderArchive } from '../../db/migrations/20261208T0100_rerender_archive.ts';
import { insertArchiveEntry, insertSnapshot, insertSnapshotDocument, searchArchiveEntries } from '../../db/queries/archive.ts';
import { seedDemo } from '../../db/seed.ts';
import { freshDatabase, type TestDatabase } from '../helpers/database.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { hardBreak, paragraph, storedDoc, text } from '../helpers/editorDocs.ts';

let counter = 0;
const newId = () => `id-${++counter}`;

const minutesState = Y.encodeStateAsUpdate(
  storedDoc([
    paragraph(text('first line'), hardBreak, text('second line')),
    paragraph(text('struck', { type: 'strike' }), text(' '), text('npm test', { type: 'code' }), text(' '), text('underlined', { type: 'underline' })),
    { type: 'horizontalRule' },
    paragraph(text('after the rule')),
  ]),
);
const noteState = Y.encodeStateAsUpdate(storedDoc([paragraph(text('mentor'), hardBreak, text('ordning'))]));

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`re-rendering the archive on ${dialect}`, () => {
    let database: TestDatabase;
    let networkId: string;
    let meetingId: string;
    let providerId: string;

    beforeAll(async () => {
      database = await freshDatabase(dialect);
      const db = database.db;
      ({ networkId } = await seedDemo(db, { now: new Date('2026-11-23T10:00:00Z'), newId, hashPassword: async () => 'not-a-real-hash' }));
      const meeting = await db.selectFrom('meetings').select(['id']).where('network_id', '=', networkId).where('status', '=', 'closed').orderBy('starts_at').executeTakeFirstOrThrow();
      meetingId = meeting.id;
      const provider = await db.selectFrom('network_providers').select('organisation_id').where('network_id', '=', networkId).executeTakeFirstOrThrow();
      providerId = provider.organisation_id;
      const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
      // An archive as the hand-written renderer left it: line breaks, code, strike, underline and rules gone.
      const content = {
        meeting: { id: meetingId, title: 'Arkiveret møde' },
        minutes: { name: `minutes:${meetingId}`, markdown: 'first linesecond line\n\nstruck npm test underlined\n\nafter the rule' },
        notes: [{ providerId, name: `note:${meetingId}:${providerId}`, published: true, markdown: 'mentorordning' }],
        entries: [],
      };
      await insertSnapshot(db, { meeting_id: meetingId, closed_at: '2026-09-01T12:00:00.000Z', closed_by: user.id, content: JSON.stringify(content) });
      await insertSnapshotDocument(db, { meeting_id: meetingId, name: content.minutes.name, provider_id: null, state: minutesState, text: 'first linesecond line\n\nstruck npm test underlined\n\nafter the rule' });
      await insertSnapshotDocument(db, { meeting_id: meetingId, name: content.notes[0].name, provider_id: providerId, state: noteState, text: 'mentorordning' });
      const entry = { network_id: networkId, meeting_id: meetingId, provider_id: null, published: 1 };
      await insertArchiveEntry(db, dialect, { ...entry, id: newId(), kind: 'minutes', title: 'Referat: Arkiveret møde', body: 'first linesecond line struck npm test underlined after the rule' });
      await insertArchiveEntry(db, dialect, { ...entry, id: newId(), kind: 'methodNote', provider_id: providerId, title: 'Metodenotat', body: 'mentorordning' });
      await insertArchiveEntry(db, dialect, { ...entry, id: newId(), kind: 'decision', title: 'Beslutning', body: 'Vi holder fast i mentorordningen' });
    });
    afterAll(async () => {
      await database?.drop();
    });

    const search = (word: string) =>
      searchArchiveEntries(database.db, dialect, { networkId, words: [word], seesDrafts: true, ownProvider: null, limit: 10, marks: { start: '[', stop: ']' } });

    it('re-derives text, Markdown and the search index, and leaves the stored states as they were', async () => {
      const db = database.db;
      expect(await search('second')).toEqual([]);

      await rerenderArchive(db);

      const documents = await db.selectFrom('snapshot_documents').select(['name', 'state', 'text']).where('meeting_id', '=', meetingId).orderBy('name').execute();
      expect(documents.map((d) => d.text)).toEqual(['first line\nsecond line\n\nstruck npm test underlined\n\n---\n\nafter the rule', 'mentor\nordning']);
      expect(documents.map((d) => Buffer.from(d.state).equals(Buffer.from(d.name.startsWith('minutes') ? minutesState : noteState)))).toEqual([true, true]);

      const snapshot = await db.selectFrom('meeting_snapshots').select('content').where('meeting_id', '=', meetingId).executeTakeFirstOrThrow();
      const content = JSON.parse(snapshot.content);
      expect(content.minutes.markdown).toBe('first line\\\nsecond line\n\n~~struck~~ `npm test` <u>underlined</u>\n\n---\n\nafter the rule');
      expect(content.notes[0]).toEqual({ providerId, name: `note:${meetingId}:${providerId}`, published: true, markdown: 'mentor\\\nordning' });
      expect(content.meeting).toEqual({ id: meetingId, title: 'Arkiveret møde' });

      const entries = await db.selectFrom('archive_entries').select(['kind', 'body']).where('meeting_id', '=', meetingId).orderBy('kind').execute();
      expect(entries).toEqual([
        { kind: 'decision', body: 'Vi holder fast i mentorordningen' },
        { kind: 'methodNote', body: 'mentor\nordning' },
        { kind: 'minutes', body: documents[0].text },
      ]);
      expect((await search('second')).map((hit) => hit.kind)).toEqual(['minutes']);
      expect((await search('ordning')).map((hit) => hit.kind)).toEqual(['methodNote']);
    });

    it('running it again changes nothing', async () => {
      const before = await database.db.selectFrom('archive_entries').select(['id', 'body']).orderBy('id').execute();
      await rerenderArchive(database.db);
      expect(await database.db.selectFrom('archive_entries').select(['id', 'body']).orderBy('id').execute()).toEqual(before);
    });
  });
}
