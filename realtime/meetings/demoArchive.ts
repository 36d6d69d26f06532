// Gives the demo network's past meetings a real archive: written notes and minutes, decisions and
// action items, attendance, closed through the same path a host's "close" takes.
import { DEMO_PROVIDERS } from '../../db/seed.ts';
import { appendUpdates, ensureDocument } from '../../db/queries/documents.ts';
import { insertAttendance, insertEntries } from '../../db/queries/entries.ts';
import { agendaOf, closedMeetingsWithoutSnapshot, updateMeetingRow } from '../../db/queries/meetings.ts';
import { setPublished } from '../../db/queries/methodNotes.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { hostOfNetwork, membersOfNetwork } from '../../db/queries/users.ts';
import type { AppContext } from '../context.ts';
import { methodNoteDocName, minutesDocName } from '../yjs/documents.ts';
import { methodNoteTemplate, minutesTemplate } from '../yjs/templates.ts';
import { closeMeeting } from './archive.ts';

const NOTE_TEXTS = [
  [
    'Nyuddannede akademikere uden relevant erhvervserfaring, primært samfundsvidenskab og humaniora.',
    'Individuel coaching hver anden uge og virksomhedspraktik hos små og mellemstore virksomheder.',
    'Korte praktikker på fire uger med en fast kontaktperson i virksomheden.',
    'Fælles jobsøgningsworkshops – fremmødet faldt efter tredje gang.',
    'Flere jobstarter i ordinær beskæftigelse end sidste periode; fastholdelsen holder.',
    'Hvordan får I virksomhederne til at tage kandidater i praktik hen over sommeren?',
  ],
  [
    'Samme målgruppe; flere med over seks måneders ledighed før henvisningen.',
    'Vi har tilføjet mentorordninger med tidligere kandidater og virksomhedsbesøg i små grupper.',
    'Mentorordningen: kandidaterne tør ringe til virksomhederne selv.',
    'Lange praktikker uden klar jobåbning gav få ansættelser.',
    'Flere fastholdt 13 af 26 uger; tilfredsheden steg en smule.',
    'Er der andre, der har prøvet mentorer fra egne tidligere kandidater?',
  ],
];

export async function archiveDemoMeetings(ctx: AppContext, networkId: string): Promise<number> {
  const host = await hostOfNetwork(ctx.db, networkId);
  const past = await closedMeetingsWithoutSnapshot(ctx.db, networkId);
  const providers = await providersOfNetwork(ctx.db, networkId);
  const members = await membersOfNetwork(ctx.db, networkId);
  const actor = { userId: host.user_id, memberships: [{ networkId, role: 'host' as const, organisationId: null }] };

  for (const [round, meeting] of past.entries()) {
    const at = meeting.starts_at;
    const agenda = await agendaOf(ctx.db, meeting.id);
    const minutesNotes = agenda.map((item) =>
      item.provider_id
        ? `${providers.find((p) => p.id === item.provider_id)?.short_name} fortalte om sine metoder; spørgsmål fra netværket om praktik og fastholdelse.`
        : item.position === 1
          ? 'Resultaterne blev gennemgået side om side; forskellene ligger inden for usikkerheden.'
          : 'Godkendt.',
    );
    const documents: Array<[string, Uint8Array]> = [
      [minutesDocName(meeting.id), minutesTemplate(meeting.title, agenda, minutesNotes)],
      ...providers.map((p, i): [string, Uint8Array] => [
        methodNoteDocName(meeting.id, p.id),
        methodNoteTemplate(NOTE_TEXTS[round % NOTE_TEXTS.length].map((t) => (i === 0 ? t : `${DEMO_PROVIDERS[i]?.shortName ?? p.short_name}: ${t}`))),
      ]),
    ];
    for (const [name, update] of documents) {
      await ensureDocument(ctx.db, name, at);
      await appendUpdates(ctx.db, name, [update], at);
    }
    for (const p of providers) await setPublished(ctx.db, meeting.id, p.id, at, host.user_id);
    await insertEntries(ctx.db, [
      { id: ctx.newId(), meeting_id: meeting.id, network_id: networkId, kind: 'decision', text: round === 0 ? 'Alle udbydere deler deres praktikaftaler som skabelon.' : 'Mentorordninger afprøves af tre udbydere til næste møde.', owner: null, due_date: null, status: 'done', created_by: host.user_id, created_at: at, done_at: at },
      { id: ctx.newId(), meeting_id: meeting.id, network_id: networkId, kind: 'action', text: round === 0 ? 'Jobcentret samler praktikaftalerne og sender dem rundt.' : 'Karrierebroen beskriver mentorordningen på én side.', owner: round === 0 ? 'Jobcenter Nordby' : 'Karrierebroen', due_date: at.slice(0, 10), status: round === 0 ? 'done' : 'open', created_by: host.user_id, created_at: at, done_at: round === 0 ? at : null },
    ]);
    for (const m of members) {
      await insertAttendance(ctx.db, { meeting_id: meeting.id, user_id: m.user_id, first_joined_at: at, last_seen_at: at });
    }
    // Close through the real path: snapshot, read-only documents, search index.
    await updateMeetingRow(ctx.db, meeting.id, { status: 'live', started_at: at, closed_at: null });
    await closeMeeting({ ...ctx, now: () => new Date(Date.parse(at) + meeting.duration_minutes * 60_000) }, { userId: host.user_id, actor }, meeting.id, { freezeDocuments: async () => {} });
  }
  return past.length;
}
