// The minutes of an archived meeting as a letter-shaped document (realtime/documents/blocks.ts): the
// meeting's facts, attendees, agenda, decisions and action items as tables, then the written minutes
// and method notes in the blocks their editor's schema gives. The PDF writer lays it out.
import { TIME_ZONE } from '../../domain/time.ts';
import type { Block, LetterDocument } from '../documents/blocks.ts';
import { blocksOf } from '../documents/editorBlocks.ts';
import { markdownNode } from '../documents/markdown.ts';
import type { ArchivedMeeting } from './archive.ts';

const LABELS = {
  da: {
    minutes: 'Referat',
    date: 'Dato',
    time: 'Tidspunkt',
    duration: 'Varighed',
    minutesUnit: 'min',
    place: 'Sted',
    noPlace: 'Ikke angivet',
    closed: 'Arkiveret',
    attendees: 'Deltagere',
    name: 'Navn',
    joined: 'Mødt ind',
    noAttendees: 'Ingen deltagere registreret.',
    agenda: 'Dagsorden',
    number: 'Nr.',
    item: 'Punkt',
    decisions: 'Beslutninger',
    decision: 'Beslutning',
    noDecisions: 'Ingen beslutninger.',
    actions: 'Aktionspunkter',
    action: 'Aktionspunkt',
    owner: 'Ansvarlig',
    due: 'Frist',
    status: 'Status',
    open: 'Åben',
    done: 'Udført',
    noActions: 'Ingen aktionspunkter.',
    notes: 'Metodenotater',
    draft: 'kladde',
    notShared: 'Ikke delt med netværket.',
    empty: '(tomt)',
    addenda: 'Tilføjelser efter mødet',
    by: 'Af',
    text: 'Tekst',
  },
  en: {
    minutes: 'Minutes',
    date: 'Date',
    time: 'Time',
    duration: 'Duration',
    minutesUnit: 'min',
    place: 'Place',
    noPlace: 'Not given',
    closed: 'Archived',
    attendees: 'Attendees',
    name: 'Name',
    joined: 'Joined',
    noAttendees: 'No attendees recorded.',
    agenda: 'Agenda',
    number: 'No.',
    item: 'Item',
    decisions: 'Decisions',
    decision: 'Decision',
    noDecisions: 'No decisions.',
    actions: 'Action items',
    action: 'Action item',
    owner: 'Owner',
    due: 'Due',
    status: 'Status',
    open: 'Open',
    done: 'Done',
    noActions: 'No action items.',
    notes: 'Method notes',
    draft: 'draft',
    notShared: 'Not shared with the network.',
    empty: '(empty)',
    addenda: 'Addenda after the meeting',
    by: 'By',
    text: 'Text',
  },
} as const;

/** A written document's blocks below a section heading: its headings move down `shift` levels. */
function writtenBlocks(markdown: string, shift: number): Block[] {
  const lower = (blocks: Block[]): Block[] =>
    blocks.map((b) => {
      if (b.type === 'heading') return { ...b, level: Math.min(6, b.level + shift) as 1 | 2 | 3 | 4 | 5 | 6 };
      if (b.type === 'quote') return { ...b, blocks: lower(b.blocks) };
      if (b.type === 'list') return { ...b, items: b.items.map(lower) };
      return b;
    });
  return lower(blocksOf(markdownNode(markdown)));
}

const heading = (text: string, level: 2 | 3 = 2): Block => ({ type: 'heading', level, runs: [{ text }] });
const paragraph = (text: string): Block => ({ type: 'paragraph', runs: [{ text }] });

/** The minutes of an archived meeting as the reader may see it (drafts they may not read are absent). */
export function minutesDocument(a: ArchivedMeeting, locale: 'da' | 'en'): LetterDocument {
  const t = LABELS[locale];
  const tag = locale === 'da' ? 'da-DK' : 'en-GB';
  const day = (iso: string) => new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: TIME_ZONE }).format(new Date(iso));
  const clock = (iso: string) => new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(iso));
  const decisions = a.entries.filter((e) => e.kind === 'decision');
  const actions = a.entries.filter((e) => e.kind === 'action');
  const blocks: Block[] = [
    {
      type: 'facts',
      pairs: [
        { label: t.date, value: day(a.meeting.startsAt) },
        { label: t.time, value: clock(a.meeting.startsAt) },
        { label: t.duration, value: `${a.meeting.durationMinutes} ${t.minutesUnit}` },
        { label: t.place, value: a.meeting.location ?? t.noPlace },
        { label: t.closed, value: `${day(a.meeting.closedAt)} ${clock(a.meeting.closedAt)}` },
      ],
    },
    heading(t.attendees),
    a.attendance.length
      ? { type: 'table', caption: t.attendees, columns: [{ label: t.name }, { label: t.joined, align: 'right', width: 1 }], rows: a.attendance.map((p) => [p.name, clock(p.firstJoinedAt)]) }
      : paragraph(t.noAttendees),
    heading(t.agenda),
    {
      type: 'table',
      caption: t.agenda,
      columns: [{ label: t.number, align: 'right', width: 0.5 }, { label: t.item, width: 5 }, { label: t.duration, align: 'right', width: 1 }],
      rows: a.agenda.map((item, i) => [String(i + 1), item.title, item.minutes ? `${item.minutes} ${t.minutesUnit}` : '']),
    },
    heading(t.decisions),
    decisions.length
      ? { type: 'table', caption: t.decisions, columns: [{ label: t.number, align: 'right', width: 0.5 }, { label: t.decision, width: 6 }], rows: decisions.map((e, i) => [String(i + 1), e.text]) }
      : paragraph(t.noDecisions),
    heading(t.actions),
    actions.length
      ? {
          type: 'table',
          caption: t.actions,
          columns: [{ label: t.action, width: 4 }, { label: t.owner, width: 1.5 }, { label: t.due, width: 1.2 }, { label: t.status, width: 1 }],
          rows: actions.map((e) => [e.text, e.owner ?? '', e.dueDate ? day(`${e.dueDate}T12:00:00Z`) : '', e.status === 'done' ? t.done : t.open]),
        }
      : paragraph(t.noActions),
    heading(t.minutes),
    ...(a.minutes.markdown ? writtenBlocks(a.minutes.markdown, 1) : [paragraph(t.empty)]),
  ];
  if (a.notes.length) {
    blocks.push(heading(t.notes));
    for (const note of a.notes) {
      blocks.push(heading(note.published ? note.providerName : `${note.providerName} (${t.draft})`, 3));
      if (note.markdown === null) blocks.push(paragraph(t.notShared));
      else blocks.push(...(note.markdown ? writtenBlocks(note.markdown, 2) : [paragraph(t.empty)]));
    }
  }
  if (a.addenda.length) {
    blocks.push(heading(t.addenda), {
      type: 'table',
      caption: t.addenda,
      columns: [{ label: t.date, width: 1 }, { label: t.by, width: 1.5 }, { label: t.text, width: 5 }],
      rows: a.addenda.map((x) => [day(x.createdAt), x.createdBy, x.text]),
    });
  }
  return { locale, title: a.meeting.title, subtitle: `${t.minutes} · ${day(a.meeting.startsAt)}`, date: day(a.meeting.closedAt), blocks };
}
