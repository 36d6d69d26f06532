// Full-text search of the archive behind one interface: SQLite FTS5 on the embedded database,
// PostgreSQL full-text search (Danish) in production. Hits come back as text segments marked
// hit / not hit, so no client ever has to trust markup.
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import { searchArchiveEntries } from '../../db/queries/archive.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

const START = '\uE000';
const STOP = '\uE001';

export interface SearchHit {
  meetingId: string;
  meetingTitle: string;
  startsAt: string;
  kind: 'methodNote' | 'minutes' | 'decision' | 'action' | 'addendum';
  providerId: string | null;
  title: string;
  segments: Array<{ text: string; hit: boolean }>;
}

/** Words of the query, stripped of search-syntax characters so user input is never query syntax. */
export function queryWords(q: string): string[] {
  return (q.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

export function segmentsOf(snippet: string): SearchHit['segments'] {
  const out: SearchHit['segments'] = [];
  const re = new RegExp(`${START}([^${STOP}]*)${STOP}`, 'g');
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index! > last) out.push({ text: snippet.slice(last, m.index), hit: false });
    out.push({ text: m[1], hit: true });
    last = m.index! + m[0].length;
  }
  if (last < snippet.length) out.push({ text: snippet.slice(last), hit: false });
  return out;
}

export async function searchArchive(ctx: AppContext, actor: Actor, networkId: string, q: string, limit = 50): Promise<SearchHit[]> {
  const m = membershipIn(actor, networkId);
  if (!m) throw new AppError('forbidden', 'You are not a member of this network.');
  const words = queryWords(q);
  if (words.length === 0) throw new AppError('validation_failed', 'Search for at least one word.', [{ path: 'q', message: 'no words to search for' }]);
  // Drafts stay private in the archive: the host and the note's own provider find them, no one else.
  const ownProvider = m.role === 'provider' ? m.organisationId : null;
  const seesDrafts = m.role === 'host';

  const rows = await searchArchiveEntries(ctx.db, ctx.dialect, { networkId, words, seesDrafts, ownProvider, limit, marks: { start: START, stop: STOP } });
  // Staff of a provider that has left find only the archive they still read, and their own notes in it.
  const readable = (r: (typeof rows)[number]) =>
    can(actor, { action: 'meeting.read', networkId, meeting: { archived: true, month: copenhagenMonth(new Date(r.starts_at)) } }) &&
    (!m.providerLeft || r.kind !== 'methodNote' || r.provider_id === ownProvider);
  return rows.filter(readable).map((r) => ({
    meetingId: r.meeting_id,
    meetingTitle: r.meeting_title,
    startsAt: r.starts_at,
    kind: r.kind,
    providerId: r.provider_id,
    title: r.title,
    segments: segmentsOf(r.snippet),
  }));
}
