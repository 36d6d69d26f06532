// Full-text search of the archive behind one interface: SQLite FTS5 on the embedded database,
// PostgreSQL full-text search (Danish) in production. Hits come back as text segments marked
// hit / not hit, so no client ever has to trust markup.
import { sql } from 'kysely';
import { membershipIn, type Actor } from '../../domain/access.ts';
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

  type Row = { meeting_id: string; kind: SearchHit['kind']; provider_id: string | null; title: string; snippet: string; meeting_title: string; starts_at: string };
  let rows: Row[];
  if (ctx.dialect === 'sqlite') {
    const match = words.map((w) => `"${w}"*`).join(' ');
    rows = (
      await sql<Row>`
        select e.meeting_id, e.kind, e.provider_id, e.title, snippet(archive_fts, 2, ${START}, ${STOP}, '…', 16) as snippet,
               m.title as meeting_title, m.starts_at
        from archive_fts f
        join archive_entries e on e.id = f.entry_id
        join meetings m on m.id = e.meeting_id
        where archive_fts match ${match} and e.network_id = ${networkId}
          and (e.published = 1 or ${seesDrafts ? 1 : 0} = 1 or e.provider_id = ${ownProvider})
        order by rank, m.starts_at desc
        limit ${limit}`.execute(ctx.db)
    ).rows;
  } else {
    const query = words.join(' ');
    rows = (
      await sql<Row>`
        select e.meeting_id, e.kind, e.provider_id, e.title,
               ts_headline('danish', e.body, plainto_tsquery('danish', ${query}), ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12`}) as snippet,
               m.title as meeting_title, m.starts_at
        from archive_entries e
        join meetings m on m.id = e.meeting_id
        where e.search @@ plainto_tsquery('danish', ${query}) and e.network_id = ${networkId}
          and (e.published = 1 or ${seesDrafts} or e.provider_id = ${ownProvider})
        order by ts_rank(e.search, plainto_tsquery('danish', ${query})) desc, m.starts_at desc
        limit ${limit}`.execute(ctx.db)
    ).rows;
  }
  return rows.map((r) => ({
    meetingId: r.meeting_id,
    meetingTitle: r.meeting_title,
    startsAt: r.starts_at,
    kind: r.kind,
    providerId: r.provider_id,
    title: r.title,
    segments: segmentsOf(r.snippet),
  }));
}
