// The content a document starts from: a Danish method-note template, or minutes from the agenda.
// Written in the editor's schema (Tiptap/ProseMirror node names) into the 'content' fragment.
import * as Y from 'yjs';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { agendaOf, findMeeting } from '../../db/queries/meetings.ts';
import { parseDocumentName } from './documents.ts';
import { CONTENT_FIELD } from '../wire/editor.ts';

/** The XmlFragment the editor binds to (one contract with the editor, realtime/wire/editor.ts). */
export { CONTENT_FIELD };

export const METHOD_NOTE_SECTIONS = [
  'Målgruppe',
  'Metoder',
  'Hvad virkede',
  'Hvad virkede ikke',
  'Resultater kort',
  'Spørgsmål til netværket',
];

function heading(text: string, level: number): Y.XmlElement {
  const el = new Y.XmlElement('heading');
  el.setAttribute('level', level as unknown as string);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

function paragraph(text = ''): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  if (text) el.insert(0, [new Y.XmlText(text)]);
  return el;
}

function encode(build: (fragment: Y.XmlFragment) => void): Uint8Array {
  const doc = new Y.Doc();
  build(doc.getXmlFragment(CONTENT_FIELD));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** A method note with each section filled in (the demo's archived notes); empty sections for a new note. */
export function methodNoteTemplate(sections: string[] = []): Uint8Array {
  return encode((f) => f.insert(0, METHOD_NOTE_SECTIONS.flatMap((s, i) => [heading(s, 2), paragraph(sections[i] ?? '')])));
}

export function minutesTemplate(title: string, agenda: Array<{ title: string; minutes: number | null }>, notes: string[] = []): Uint8Array {
  return encode((f) =>
    f.insert(0, [
      heading(`Referat: ${title}`, 1),
      paragraph('Deltagere: '),
      ...agenda.flatMap((item, i) => [heading(`${i + 1}. ${item.title}`, 2), paragraph(notes[i] ?? '')]),
    ]),
  );
}

export async function initialContent(db: Kysely<Database>, name: string): Promise<Uint8Array | null> {
  const ref = parseDocumentName(name);
  if (!ref) return null;
  if (ref.kind === 'methodNote') return methodNoteTemplate();
  const meeting = await findMeeting(db, ref.meetingId);
  if (!meeting) return null;
  return minutesTemplate(meeting.title, await agendaOf(db, ref.meetingId));
}
