// The minutes of an archived meeting as a letter document: facts, attendees, agenda, decisions and
// action items as tables, then the minutes and method notes with every mark they were written with.
import { describe, expect, it } from 'vitest';
import type { Block } from '../../realtime/documents/blocks.ts';
import type { ArchivedMeeting } from '../../realtime/meetings/archive.ts';
import { minutesDocument } from '../../realtime/meetings/minutesDocument.ts';
import { documentMarkdown } from '../../realtime/yjs/render.ts';
import { hardBreak, paragraph, storedDoc, text } from '../helpers/editorDocs.ts';

const minutesMarkdown = documentMarkdown(
  storedDoc([
    { type: 'heading', attrs: { level: 1 }, content: [text('Referat: Netværksmøde')] },
    paragraph(text('first line'), hardBreak, text('second line', { type: 'strike' })),
    { type: 'horizontalRule' },
  ]),
);

const archived: ArchivedMeeting = {
  meeting: { id: 'm1', networkId: 'n1', title: 'Netværksmøde januar', startsAt: '2027-01-12T08:00:00.000Z', durationMinutes: 90, location: 'Jobcenter Aarhus, lokale 2', startedAt: '2027-01-12T08:01:00.000Z', closedAt: '2027-01-12T09:35:00.000Z' },
  agenda: [
    { title: 'Velkomst', providerId: null, minutes: 10 },
    { title: 'Metoder', providerId: 'p1', minutes: null },
  ],
  minutes: { name: 'minutes:m1', markdown: minutesMarkdown },
  notes: [
    { providerId: 'p1', providerName: 'Udbyder Øst', published: true, markdown: '## Målgruppe\n\nUnge under 30 med `kode`' },
    { providerId: 'p2', providerName: 'Udbyder Vest', published: false, markdown: null },
  ],
  entries: [
    { id: 'e1', meetingId: 'm1', kind: 'decision', text: 'Vi mødes hver måned', owner: null, dueDate: null, status: 'open', createdBy: 'u1', createdAt: '2027-01-12T08:30:00.000Z' },
    { id: 'e2', meetingId: 'm1', kind: 'action', text: 'Send skabelon', owner: 'Anna', dueDate: '2027-02-01', status: 'done', createdBy: 'u1', createdAt: '2027-01-12T08:40:00.000Z' },
  ],
  attendance: [{ userId: 'u1', name: 'Anna Host', firstJoinedAt: '2027-01-12T07:58:00.000Z' }],
  board: {} as ArchivedMeeting['board'],
  addenda: [{ id: 'a1', text: 'Rettelse til punkt 2', createdBy: 'Bo', createdAt: '2027-01-14T10:00:00.000Z' }],
};

const headings = (blocks: Block[]) => blocks.filter((b) => b.type === 'heading').map((b) => b.runs.map((r) => r.text).join(''));
const table = (blocks: Block[], caption: string) => blocks.find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.caption === caption);

describe('minutes as a document', () => {
  it('opens with the meeting facts in Copenhagen time and lists the sections in order (Danish)', () => {
    const doc = minutesDocument(archived, 'da');
    expect(doc.locale).toBe('da');
    expect(doc.title).toBe('Netværksmøde januar');
    expect(doc.subtitle).toBe('Referat · 12. januar 2027');
    expect(doc.blocks[0]).toEqual({
      type: 'facts',
      pairs: [
        { label: 'Dato', value: '12. januar 2027' },
        { label: 'Tidspunkt', value: '09.00' },
        { label: 'Varighed', value: '90 min' },
        { label: 'Sted', value: 'Jobcenter Aarhus, lokale 2' },
        { label: 'Arkiveret', value: '12. januar 2027 10.35' },
      ],
    });
    expect(headings(doc.blocks)).toEqual(['Deltagere', 'Dagsorden', 'Beslutninger', 'Aktionspunkter', 'Referat', 'Referat: Netværksmøde', 'Metodenotater', 'Udbyder Øst', 'Målgruppe', 'Udbyder Vest (kladde)', 'Tilføjelser efter mødet']);
  });

  it('has attendees, agenda, decisions, action items and addenda as tables', () => {
    const doc = minutesDocument(archived, 'da');
    expect(table(doc.blocks, 'Deltagere')?.rows).toEqual([['Anna Host', '08.58']]);
    expect(table(doc.blocks, 'Dagsorden')).toMatchObject({ columns: [{ label: 'Nr.' }, { label: 'Punkt' }, { label: 'Varighed' }], rows: [['1', 'Velkomst', '10 min'], ['2', 'Metoder', '']] });
    expect(table(doc.blocks, 'Beslutninger')?.rows).toEqual([['1', 'Vi mødes hver måned']]);
    expect(table(doc.blocks, 'Aktionspunkter')).toMatchObject({ columns: [{ label: 'Aktionspunkt' }, { label: 'Ansvarlig' }, { label: 'Frist' }, { label: 'Status' }], rows: [['Send skabelon', 'Anna', '1. februar 2027', 'Udført']] });
    expect(table(doc.blocks, 'Tilføjelser efter mødet')?.rows).toEqual([['14. januar 2027', 'Bo', 'Rettelse til punkt 2']]);
  });

  it("keeps the written minutes' marks, line breaks and rules, below the section heading", () => {
    const doc = minutesDocument(archived, 'da');
    const start = doc.blocks.findIndex((b) => b.type === 'heading' && b.runs[0].text === 'Referat');
    expect(doc.blocks.slice(start + 1, start + 4)).toEqual([
      { type: 'heading', level: 2, runs: [{ text: 'Referat: Netværksmøde' }] },
      { type: 'paragraph', runs: [{ text: 'first line\n' }, { text: 'second line', strike: true }] },
      { type: 'rule' },
    ]);
    const note = doc.blocks.findIndex((b) => b.type === 'heading' && b.runs[0].text === 'Udbyder Øst');
    expect(doc.blocks.slice(note + 1, note + 3)).toEqual([
      { type: 'heading', level: 4, runs: [{ text: 'Målgruppe' }] },
      { type: 'paragraph', runs: [{ text: 'Unge under 30 med ' }, { text: 'kode', code: true }] },
    ]);
    expect(doc.blocks[doc.blocks.findIndex((b) => b.type === 'heading' && b.runs[0].text === 'Udbyder Vest (kladde)') + 1]).toEqual({ type: 'paragraph', runs: [{ text: 'Ikke delt med netværket.' }] });
  });

  it('speaks English to an English reader and says when there is nothing', () => {
    const doc = minutesDocument({ ...archived, entries: [], attendance: [], addenda: [], notes: [], meeting: { ...archived.meeting, location: null } }, 'en');
    expect(doc.subtitle).toBe('Minutes · 12 January 2027');
    expect(headings(doc.blocks)).toEqual(['Attendees', 'Agenda', 'Decisions', 'Action items', 'Minutes', 'Referat: Netværksmøde']);
    expect(doc.blocks).toContainEqual({ type: 'paragraph', runs: [{ text: 'No decisions.' }] });
    expect(doc.blocks).toContainEqual({ type: 'paragraph', runs: [{ text: 'No action items.' }] });
    expect(doc.blocks).toContainEqual({ type: 'paragraph', runs: [{ text: 'No attendees recorded.' }] });
    expect(doc.blocks[0]).toMatchObject({ type: 'facts', pairs: expect.arrayContaining([{ label: 'Place', value: 'Not given' }, { label: 'Time', value: '09:00' }]) });
  });
});
