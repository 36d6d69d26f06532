// The settlement statement as documents to send ("afregningsbilag"): a letter for the PDF and one
// table for CSV/XLSX, in the reader's language, with reasons in words and never code names.
import { formatKroner } from '../../domain/money.ts';
import { copenhagenDate } from '../../domain/time.ts';
import type { Locale } from '../../domain/settlement.ts';
import type { Block, LetterDocument, Party } from '../documents/blocks.ts';
import type { Sheet } from '../documents/spreadsheet.ts';
import type { SettlementStatement, StatementContract } from '../wire/settlements.ts';

type Pending = SettlementStatement['pending'][number];

const TEXT = {
  da: {
    title: 'Afregningsbilag',
    draft: 'Kladde – ikke godkendt; tallene kan ændre sig, indtil måneden er godkendt',
    approved: (by: string, on: string) => `Godkendt af ${by} den ${on}`,
    provider: 'Udbyder',
    network: 'Netværk',
    period: 'Periode',
    contract: 'Kontrakt',
    contractRef: (c: StatementContract) => `${c.name}, nr. ${c.number}, version ${c.version}, gældende fra ${monthName(c.effectiveFrom, 'da').toLowerCase()}`,
    status: 'Status',
    courses: 'Forløb',
    none: 'Ingen forløb at afregne denne måned.',
    course: (key: string, programme: string) => `Sag ${key} – ${programme}`,
    dates: (referral: string, end: string | null, job: string | null, weeks: number | null) =>
      [`henvist ${referral}`, end ? `afsluttet ${end}` : 'ikke afsluttet', job ? `job fra ${job}${weeks === null ? '' : ` (${weeks} uger i job)`}` : null].filter(Boolean).join(', '),
    item: 'Post',
    amount: 'Beløb',
    courseTotal: 'I alt for forløbet',
    pending: 'Afventer (ikke med i beløbet)',
    pendingReason: { course_running: 'Forløbet er ikke afsluttet endnu', success_undecided: 'Resultatbetalingen afgøres, når perioden for beskæftigelse er gået' },
    pendingAmount: 'Kan udløse',
    case: 'Sag',
    programme: 'Indsats',
    reason: 'Begrundelse',
    corrections: 'Rettelser efter godkendelse',
    correction: 'Rettelse',
    date: 'Dato',
    by: 'Af',
    totals: 'Beløb i alt',
    total: 'I alt',
    totalCourses: 'I alt for forløb',
    totalCorrections: 'Rettelser i alt',
    totalWithCorrections: 'I alt med rettelser',
    sheet: {
      type: 'Type',
      payment: 'Betaling',
      referral: 'Henvist',
      end: 'Afsluttet',
      job: 'Jobstart',
      weeks: 'Uger i job',
      text: 'Tekst',
      kroner: 'Beløb (kr.)',
      ore: 'Beløb (øre)',
      pending: 'Afventer',
    },
  },
  en: {
    title: 'Settlement statement',
    draft: 'Draft – not approved; the figures may change until the month is approved',
    approved: (by: string, on: string) => `Approved by ${by} on ${on}`,
    provider: 'Provider',
    network: 'Network',
    period: 'Period',
    contract: 'Contract',
    contractRef: (c: StatementContract) => `${c.name}, no. ${c.number}, version ${c.version}, in force from ${monthName(c.effectiveFrom, 'en')}`,
    status: 'Status',
    courses: 'Courses',
    none: 'No courses to settle this month.',
    course: (key: string, programme: string) => `Case ${key} – ${programme}`,
    dates: (referral: string, end: string | null, job: string | null, weeks: number | null) =>
      [`referred ${referral}`, end ? `ended ${end}` : 'not ended', job ? `in a job from ${job}${weeks === null ? '' : ` (${weeks} weeks employed)`}` : null].filter(Boolean).join(', '),
    item: 'Item',
    amount: 'Amount',
    courseTotal: 'Total for the course',
    pending: 'Pending (not in the amount)',
    pendingReason: { course_running: 'The course has not ended yet', success_undecided: 'The success payment is decided when the employment period has passed' },
    pendingAmount: 'May release',
    case: 'Case',
    programme: 'Programme',
    reason: 'Reason',
    corrections: 'Corrections after approval',
    correction: 'Correction',
    date: 'Date',
    by: 'By',
    totals: 'Totals',
    total: 'Total',
    totalCourses: 'Total for courses',
    totalCorrections: 'Corrections in total',
    totalWithCorrections: 'Total with corrections',
    sheet: {
      type: 'Type',
      payment: 'Payment',
      referral: 'Referred',
      end: 'Ended',
      job: 'Job start',
      weeks: 'Weeks employed',
      text: 'Text',
      kroner: 'Amount (DKK)',
      ore: 'Amount (øre)',
      pending: 'Pending',
    },
  },
} as const;

const INTL = { da: 'da-DK', en: 'en-GB' } as const;

/** "Marts 2019" / "March 2019". */
function monthName(month: string, locale: Locale): string {
  const name = new Intl.DateTimeFormat(INTL[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** "15. mar. 2019" / "15 Mar 2019" from an ISO date or instant (instants in Copenhagen time). */
function dateName(isoDateOrInstant: string, locale: Locale): string {
  const date = isoDateOrInstant.length > 10 ? copenhagenDate(new Date(isoDateOrInstant)) : isoDateOrInstant;
  return new Intl.DateTimeFormat(INTL[locale], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

function statusText(s: SettlementStatement, locale: Locale): string {
  const t = TEXT[locale];
  return s.status === 'approved' && s.approvedAt ? t.approved(s.approvedBy?.name || '?', dateName(s.approvedAt, locale)) : t.draft;
}

const party = (p: { name: string; cvr: string | null }, extra: string[] = []): Party => ({ name: p.name, lines: [...extra, ...(p.cvr ? [`CVR ${p.cvr}`] : [])] });

/** The statement as a letter from the jobcenter to the provider; `today` dates a draft. */
export function statementLetter(s: SettlementStatement, locale: Locale, today: string): LetterDocument {
  const t = TEXT[locale];
  const blocks: Block[] = [];
  const facts: Array<{ label: string; value: string }> = [{ label: t.provider, value: s.providerName }];
  if (s.letter) facts.push({ label: t.network, value: s.letter.networkName });
  facts.push({ label: t.period, value: monthName(s.month, locale) });
  for (const c of s.letter?.contracts ?? []) facts.push({ label: t.contract, value: t.contractRef(c) });
  facts.push({ label: t.status, value: statusText(s, locale) });
  blocks.push({ type: 'facts', pairs: facts });
  for (const w of s.warnings ?? []) blocks.push({ type: 'warning', text: w.text });

  blocks.push({ type: 'heading', level: 2, runs: [{ text: t.courses }] });
  if (s.courses.length === 0) blocks.push({ type: 'paragraph', runs: [{ text: t.none }] });
  const amountColumns = [{ label: t.item, width: 4 }, { label: t.amount, align: 'right' as const, width: 1.3 }];
  for (const c of s.courses) {
    blocks.push({ type: 'paragraph', runs: [{ text: t.course(c.caseKey, c.programme), bold: true }, { text: `\n${t.dates(dateName(c.referralDate, locale), c.endDate && dateName(c.endDate, locale), c.jobStartDate && dateName(c.jobStartDate, locale), c.weeksEmployed)}` }] });
    blocks.push({ type: 'table', columns: amountColumns, rows: c.lines.map((l) => [l.text, formatKroner(l.amountOre)]), total: [[t.courseTotal, formatKroner(c.amountOre)]] });
  }

  if (s.pending.length) {
    blocks.push({ type: 'heading', level: 2, runs: [{ text: t.pending }] });
    blocks.push({
      type: 'table',
      columns: [{ label: t.case, width: 1.2 }, { label: t.programme, width: 1.6 }, { label: t.reason, width: 3 }, { label: t.pendingAmount, align: 'right', width: 1.3 }],
      rows: s.pending.map((p) => [p.caseKey, p.programme, pendingReason(p, locale), formatKroner(p.pendingOre)]),
    });
  }

  if (s.corrections.length) {
    blocks.push({ type: 'heading', level: 2, runs: [{ text: t.corrections }] });
    blocks.push({
      type: 'table',
      columns: [{ label: t.date, width: 1.1 }, { label: t.correction, width: 2.2 }, { label: t.reason, width: 2.2 }, { label: t.by, width: 1.2 }, { label: t.amount, align: 'right', width: 1.3 }],
      rows: s.corrections.map((c) => [dateName(c.createdAt, locale), c.text, c.reason, c.createdBy.name, formatKroner(c.amountOre)]),
    });
  }

  blocks.push({ type: 'heading', level: 2, runs: [{ text: t.totals }] });
  const correctionsOre = s.totalWithCorrectionsOre - s.totalOre;
  blocks.push({
    type: 'table',
    columns: amountColumns,
    rows: s.corrections.length ? [[t.totalCourses, formatKroner(s.totalOre)], [t.totalCorrections, formatKroner(correctionsOre)]] : [],
    total: [[s.corrections.length ? t.totalWithCorrections : t.total, formatKroner(s.totalWithCorrectionsOre)]],
  });

  return {
    locale,
    title: `${t.title} – ${s.providerName}`,
    subtitle: `${monthName(s.month, locale)} · ${statusText(s, locale)}`,
    sender: s.letter ? party(s.letter.sender) : undefined,
    recipient: party(s.letter?.recipient ?? { name: s.providerName, cvr: null }),
    date: dateName(s.status === 'approved' && s.approvedAt ? s.approvedAt : today, locale),
    blocks,
  };
}

function pendingReason(p: Pending, locale: Locale): string {
  return TEXT[locale].pendingReason[p.reason];
}

/** The statement as one table: a row per line, the total, pending courses, corrections, the final total. */
export function statementSheet(s: SettlementStatement, locale: Locale): Sheet {
  const t = TEXT[locale];
  const h = t.sheet;
  const rows: Sheet['rows'] = [];
  for (const c of s.courses) {
    for (const l of c.lines) rows.push([h.payment, c.caseKey, c.programme, c.referralDate, c.endDate, c.jobStartDate, c.weeksEmployed, l.text, null, l.amountOre, l.amountOre]);
  }
  rows.push([t.total, null, null, null, null, null, null, statusText(s, locale), null, s.totalOre, s.totalOre]);
  for (const p of s.pending) rows.push([h.pending, p.caseKey, p.programme, null, null, null, null, `${pendingReason(p, locale)} (${t.pendingAmount.toLowerCase()} ${formatKroner(p.pendingOre)})`, null, null, null]);
  for (const c of s.corrections) rows.push([t.correction, null, null, null, null, null, null, c.text, `${c.reason} (${c.createdBy.name}, ${dateName(c.createdAt, locale)})`, c.amountOre, c.amountOre]);
  rows.push([t.totalWithCorrections, null, null, null, null, null, null, null, null, s.totalWithCorrectionsOre, s.totalWithCorrectionsOre]);
  return {
    name: `${t.title} ${s.month}`,
    columns: [
      { label: h.type, kind: 'text', width: 18 },
      { label: t.case, kind: 'text', width: 14 },
      { label: t.programme, kind: 'text', width: 22 },
      { label: h.referral, kind: 'text' },
      { label: h.end, kind: 'text' },
      { label: h.job, kind: 'text' },
      { label: h.weeks, kind: 'number' },
      { label: h.text, kind: 'text', width: 50 },
      { label: t.reason, kind: 'text', width: 40 },
      { label: h.kroner, kind: 'kroner', width: 16 },
      { label: h.ore, kind: 'number', width: 14 },
    ],
    rows,
  };
}

/** "afregningsbilag-job-og-trivsel-2026-10.pdf": Danish, ASCII, whatever the reader's language. */
export function statementFilename(s: SettlementStatement, extension: 'pdf' | 'csv' | 'xlsx'): string {
  const short = s.providerName
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/ł/g, 'l')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `afregningsbilag-${short || 'udbyder'}-${s.month}.${extension}`;
}
