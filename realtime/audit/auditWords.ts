// An audit entry in words: who did what to which object (named, with a link to its page), which
// fields changed before → after, and why — the one phrasing both the audit page and its CSV use.
import { TIME_ZONE } from '../../domain/time.ts';
import type { AuditNames } from '../../db/queries/audit.ts';
import type { AuditWords } from '../wire/audit.ts';
import { FIELDS, VALUES, VERBS, WORDS, type AuditLocale } from './auditPhrases.ts';

export interface AuditRowLike {
  action: string;
  subject_type: string;
  subject_id: string;
  actor_user_id: string | null;
  actor_name: string | null;
  before: unknown;
  after: unknown;
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const INTL: Record<AuditLocale, string> = { da: 'da-DK', en: 'en-GB' };
const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Bookkeeping columns that say nothing a reader needs (ids, who/when, versions). */
const QUIET = new Set(['id', 'network_id', 'provider_id', 'contract_id', 'meeting_id', 'visit_id', 'commitment_id', 'created_at', 'created_by', 'updated_at', 'recorded_at', 'recorded_by', 'responded_at', 'responded_by', 'done_at', 'version', 'month', 'closed_at', 'token_hash', 'userId', 'reason']);

function monthName(locale: AuditLocale, month: string): string {
  return new Intl.DateTimeFormat(INTL[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
}
function dayName(locale: AuditLocale, day: string): string {
  return new Intl.DateTimeFormat(INTL[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** One value as a reader says it: money in kroner, shares in percent, codes in words, dates as dates. */
function valueWords(locale: AuditLocale, names: AuditNames, field: string, v: unknown): string {
  const w = WORDS[locale];
  if (v === null || v === undefined || v === '') return w.empty;
  if (typeof v === 'boolean' || ((field === 'providerAdmin' || field === 'disabled') && typeof v === 'number')) return v ? w.yes : w.no;
  const number = new Intl.NumberFormat(INTL[locale], { maximumFractionDigits: 2 });
  if (typeof v === 'number') {
    if (field.endsWith('_ore')) return new Intl.NumberFormat(INTL[locale], { style: 'currency', currency: 'DKK' }).format(v / 100);
    if (field.endsWith('_bp')) return `${number.format(v / 100)} %`;
    return number.format(v);
  }
  if (typeof v !== 'string') return w.changed;
  if (field === 'organisationId') return names.organisations.get(v) ?? w.unknownName;
  if (VALUES[locale][v]) return VALUES[locale][v];
  if (/^\d{4}-\d{2}$/.test(v)) return monthName(locale, v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return dayName(locale, v);
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return new Intl.DateTimeFormat(INTL[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(v));
  if (/^[[{]/.test(v)) return w.changed;
  return clip(v);
}

/** The fields present before and after whose values differ, in words. */
function changesOf(locale: AuditLocale, names: AuditNames, beforeRaw: unknown, afterRaw: unknown): AuditWords['changes'] {
  // Supervision entries wrap the visit beside its follow-ups; the visit's fields are what changed.
  const before = record(record(beforeRaw)?.visit ?? beforeRaw);
  const after = record(record(afterRaw)?.visit ?? afterRaw);
  if (!before || !after) return [];
  return Object.keys(after)
    .filter((k) => k in before && !QUIET.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({
      field,
      label: FIELDS[locale][field] ?? field.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(),
      before: valueWords(locale, names, field, before[field]),
      after: valueWords(locale, names, field, after[field]),
    }));
}

/** The object the entry is about, named in words, and the page where it lives. */
function objectOf(locale: AuditLocale, names: AuditNames, networkId: string, e: AuditRowLike): AuditWords['object'] {
  const w = WORDS[locale];
  const net = `/networks/${encodeURIComponent(networkId)}`;
  const state = record(e.after) ?? record(e.before) ?? {};
  const org = (id: unknown) => (typeof id === 'string' ? names.organisations.get(id) : undefined) ?? w.unknownName;
  const meetingTitle = (id: string) => names.meetings.get(id) ?? w.unknownName;
  const base = { kind: e.subject_type, id: e.subject_id };
  const [owner, month] = e.subject_id.split('/');
  switch (e.subject_type) {
    case 'monthlyReport': {
      const version = typeof state.version === 'number' ? ` (${w.version} ${state.version})` : '';
      return { ...base, label: w.report(org(owner), monthName(locale, month)) + version, href: `${net}/reports` };
    }
    case 'settlementStatement':
      return { ...base, label: w.settlement(org(owner), monthName(locale, month)), href: `${net}/settlements` };
    case 'contract': {
      const c = names.contracts.get(e.subject_id);
      return { ...base, label: w.contract(c?.number ?? str(state.number) ?? '', c?.name ?? str(state.name) ?? w.unknownName), href: `${net}/contracts` };
    }
    case 'commitment': {
      const c = names.commitments.get(e.subject_id);
      return { ...base, label: w.commitment(org(c?.provider_id ?? state.provider_id), monthName(locale, c?.month ?? str(state.month) ?? '1970-01')), href: `${net}/commitments` };
    }
    case 'meeting':
      return { ...base, label: w.meeting(meetingTitle(e.subject_id)), href: `/meetings/${encodeURIComponent(e.subject_id)}` };
    case 'meetingEntry': {
      const text = clip(str(state.text) ?? '');
      const meetingId = str(state.meeting_id);
      return { ...base, label: state.kind === 'action' ? w.action(text) : w.decision(text), href: meetingId ? `/meetings/${encodeURIComponent(meetingId)}` : null };
    }
    case 'methodNote': {
      // The document name is meeting:<meetingId>:note:<providerId>.
      const [, meetingId = '', , providerId = ''] = e.subject_id.split(':');
      return { ...base, label: w.methodNote(org(providerId), meetingTitle(meetingId)), href: `/meetings/${encodeURIComponent(meetingId)}/notes/${encodeURIComponent(providerId)}` };
    }
    case 'leaderboard':
      return { ...base, label: w.leaderboard, href: `${net}/results` };
    case 'network': {
      const name = names.networkName ?? str(state.name) ?? str(record(e.before)?.name) ?? w.unknownName;
      return { ...base, label: w.network(name), href: e.action === 'network.delete' ? null : `${net}/settings` };
    }
    case 'provider':
      return { ...base, label: org(e.subject_id), href: `${net}/providers/${encodeURIComponent(e.subject_id)}` };
    case 'member':
    case 'user':
      return { ...base, label: names.users.get(e.subject_id) ?? w.unknownName, href: `${net}/members` };
    case 'invitation':
      return { ...base, label: names.invitations.get(e.subject_id) ?? str(state.email) ?? w.unknownName, href: `${net}/members` };
    case 'supervisionVisit': {
      const v = names.visits.get(e.subject_id);
      const date = v?.visit_date ?? str(record(state.visit)?.visit_date);
      return { ...base, label: w.visit(org(v?.provider_id ?? record(state.visit)?.provider_id ?? state.provider_id), date ? dayName(locale, date) : ''), href: `${net}/supervision` };
    }
    case 'supervisionFollowUp':
      return { ...base, label: w.followUp(clip(names.followUps.get(e.subject_id)?.text ?? str(state.text) ?? '')), href: `${net}/supervision` };
    default:
      return { ...base, label: w.subject(e.subject_type), href: null };
  }
}

/** The entry as parts and as a sentence; an action this module does not know still reads as a sentence. */
export function auditWords(locale: AuditLocale, names: AuditNames, networkId: string, e: AuditRowLike): AuditWords {
  const w = WORDS[locale];
  const object = objectOf(locale, names, networkId, e);
  const changes = changesOf(locale, names, e.before, e.after);
  const reason = str(record(e.after)?.reason) ?? null;
  const actorName = e.actor_user_id ? (e.actor_name ?? names.users.get(e.actor_user_id) ?? w.unknownName) : w.system;
  const verbTemplate = VERBS[locale][e.action] ?? w.unknownVerb.replace('{action}', e.action);
  const [beforeObject, afterObject = ''] = verbTemplate.split('{object}');
  let tail = afterObject;
  if (changes.length) tail += `: ${changes.map((c) => `${c.label} ${c.before} → ${c.after}`).join(', ')}`;
  if (!tail.endsWith('.')) tail += '.';
  if (reason) tail += ` ${w.reason}: ${reason}`;
  const sentence: AuditWords['sentence'] = [{ text: `${actorName} ${beforeObject}` }, object.href ? { text: object.label, href: object.href } : { text: object.label }, { text: tail }];
  return { verb: e.action, known: e.action in VERBS[locale], object, changes, reason, sentence, text: sentence.map((s) => s.text).join('') };
}
