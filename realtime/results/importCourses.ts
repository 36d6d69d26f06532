// Importing pseudonymous course records (CSV/XLSX) for survival curves and intake-fair comparison:
// all rows or none, every problem reported with row and column, CPR numbers refused.
import { z } from '@hono/zod-openapi';
import type { Actor } from '../../domain/access.ts';
import { isCprShapedKey } from '../../domain/cpr.ts';
import type { CourseRecordRow } from '../../db/tables/results.table.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { upsertCourse } from '../../db/queries/courses.ts';
import type { AppContext } from '../context.ts';
import { fieldIssues, type FieldIssue } from '../errors.ts';
import { cprIssues, readProviderFile, refuseImport, rowIssue, type ImportProgress, type ProviderFile } from './importReports.ts';
import type { Locale } from '../../domain/reportInvariants.ts';
import { findColumns } from './tabular.ts';

/** The rules' words, in the importer's language: each row error names the rule as well as the column. */
const SAY = {
  da: {
    dateForm: (what: string) => `${what}: skriv datoen som ÅÅÅÅ-MM-DD`,
    noDate: (what: string) => `${what} er ikke en rigtig dato`,
    caseKey: 'En sagsnøgle er 3–40 bogstaver, cifre, - eller _ (pseudonym, aldrig et CPR-nummer)',
    cprKey: 'ligner et CPR-nummer; brug en pseudonym sagsnøgle',
    text: (what: string, min: number, max: number) => `${what} skal være ${min}–${max} tegn`,
    weeks: 'Uger i job af 26 skal være et helt tal fra 0 til 26',
    endsBeforeReferral: 'slutter før henvisningen',
    jobBeforeReferral: 'jobbet starter før henvisningen',
    weeksWithoutJob: 'uger i job kræver en første dag i ordinært job',
    referral: 'Henvisningsdatoen',
    end: 'Slutdatoen',
    firstJob: 'Første dag i ordinært job',
    programme: 'Forløbstypen',
    unemployment: 'Ledighed før',
    education: 'Uddannelsen',
    age: 'Alderen',
    twice: (row: number) => `det samme forløb står to gange (også række ${row})`,
    noRows: 'har ingen datarækker',
  },
  en: {
    dateForm: (what: string) => `${what}: use the form YYYY-MM-DD`,
    noDate: (what: string) => `${what} is not a real date`,
    caseKey: 'A case key is 3–40 letters, digits, - or _ (pseudonymous, never a CPR number)',
    cprKey: 'looks like a CPR number; use a pseudonymous case key',
    text: (what: string, min: number, max: number) => `${what} must be ${min}–${max} characters`,
    weeks: 'Weeks employed of 26 must be a whole number from 0 to 26',
    endsBeforeReferral: 'ends before the referral',
    jobBeforeReferral: 'job starts before the referral',
    weeksWithoutJob: 'weeks employed need a first day in employment',
    referral: 'Referral date',
    end: 'End date',
    firstJob: 'First day in ordinary employment',
    programme: 'The programme',
    unemployment: 'The unemployment band',
    education: 'The education field',
    age: 'The age band',
    twice: (row: number) => `the same course appears twice (also row ${row})`,
    noRows: 'has no data rows',
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** One course record as the import reads it, with every rule said in `locale`. */
export function courseRecordInput(locale: Locale = 'en') {
  const say = SAY[locale];
  const isoDate = (what: string) =>
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, say.dateForm(what)).refine((d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
    }, say.noDate(what));
  const text = (what: string, min: number, max: number) => z.string({ error: say.text(what, min, max) }).trim().min(min, say.text(what, min, max)).max(max, say.text(what, min, max));
  return z
    .object({
      caseKey: z
        .string({ error: say.caseKey })
        .regex(/^[A-Za-z0-9_-]{3,40}$/, say.caseKey)
        // A key shaped like a CPR number (a real date and four digits) is refused even without other signs.
        .refine((k) => !isCprShapedKey(k), say.cprKey),
      programme: text(say.programme, 2, 80),
      referralDate: isoDate(say.referral),
      endDate: isoDate(say.end).nullable(),
      firstJobDate: isoDate(say.firstJob).nullable(),
      weeksEmployedOf26: z.number({ error: say.weeks }).int(say.weeks).min(0, say.weeks).max(26, say.weeks).nullable(),
      unemploymentBand: text(say.unemployment, 1, 40),
      educationField: text(say.education, 1, 60),
      ageBand: text(say.age, 1, 20),
    })
    .superRefine((c, ctx) => {
      if (c.endDate && c.endDate < c.referralDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: say.endsBeforeReferral });
      if (c.firstJobDate && c.firstJobDate < c.referralDate) ctx.addIssue({ code: 'custom', path: ['firstJobDate'], message: say.jobBeforeReferral });
      if (c.weeksEmployedOf26 !== null && !c.firstJobDate) ctx.addIssue({ code: 'custom', path: ['weeksEmployedOf26'], message: say.weeksWithoutJob });
    });
}

export const CourseRecordInput = courseRecordInput('en');
export type CourseRecordInput = z.infer<typeof CourseRecordInput>;

export const COURSE_COLUMNS: Record<keyof CourseRecordInput, string[]> = {
  caseKey: ['caseKey', 'sagsnøgle'],
  programme: ['programme', 'forløbstype'],
  referralDate: ['referralDate', 'henvist'],
  endDate: ['endDate', 'afsluttet'],
  firstJobDate: ['firstJobDate', 'første_jobdag'],
  weeksEmployedOf26: ['weeksEmployedOf26', 'uger_i_job_af_26'],
  unemploymentBand: ['unemploymentBand', 'ledighed_før'],
  educationField: ['educationField', 'uddannelse'],
  ageBand: ['ageBand', 'alder'],
};
const OPTIONAL = new Set(['endDate', 'firstJobDate', 'weeksEmployedOf26']);

export async function importCourses(ctx: AppContext, who: { userId: string; actor: Actor; locale?: Locale }, file: ProviderFile, onProgress?: ImportProgress): Promise<{ created: number; updated: number }> {
  const { networkId, providerId } = file;
  const table = await readProviderFile(ctx, who.actor, file);
  const locale = who.locale ?? 'da';
  const found = findColumns(table, COURSE_COLUMNS, OPTIONAL, locale);
  const columns = found.columns;
  const issues: FieldIssue[] = [...cprIssues(table, locale), ...found.issues];
  const inputs: CourseRecordInput[] = [];
  const schema = courseRecordInput(locale);
  if (!issues.some((i) => i.path.startsWith('column'))) {
    const seen = new Map<string, number>();
    for (const { row, cells } of table.rows) {
      const raw: Record<string, unknown> = {};
      for (const field of Object.keys(COURSE_COLUMNS) as Array<keyof CourseRecordInput>) {
        const column = columns.get(field);
        const text = column ? (cells[column] ?? '').trim() : '';
        raw[field] = text === '' ? (OPTIONAL.has(field) ? null : undefined) : field === 'weeksEmployedOf26' ? Number(text.replace(',', '.')) : text;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        for (const i of fieldIssues(parsed.error.issues)) {
          const column = columns.get(i.path as keyof CourseRecordInput) ?? i.path;
          issues.push(rowIssue(row, column, i.message, cells[column]));
        }
        continue;
      }
      const key = `${parsed.data.caseKey}|${parsed.data.referralDate}`;
      if (seen.has(key)) issues.push(rowIssue(row, columns.get('caseKey')!, SAY[locale].twice(seen.get(key)!), parsed.data.caseKey));
      seen.set(key, row);
      inputs.push(parsed.data);
    }
  }
  if (inputs.length === 0 && issues.length === 0) issues.push({ path: 'file', message: SAY[locale].noRows });
  if (issues.length) throw refuseImport(issues, locale);

  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    let created = 0;
    for (const [i, c] of inputs.entries()) {
      const row: CourseRecordRow = {
        id: ctx.newId(), network_id: networkId, provider_id: providerId, case_key: c.caseKey, programme: c.programme,
        referral_date: c.referralDate, end_date: c.endDate, first_job_date: c.firstJobDate, weeks_employed_of_26: c.weeksEmployedOf26,
        unemployment_band: c.unemploymentBand, education_field: c.educationField, age_band: c.ageBand,
        created_by: who.userId, created_at: now, updated_at: now,
      };
      if (await upsertCourse(trx, row)) created++;
      if (i % 200 === 0) onProgress?.(i, inputs.length, 'saving');
    }
    await appendAudit(trx, {
      id: ctx.newId(), at: now, networkId, actorUserId: who.userId, action: 'courses.import', subjectType: 'provider', subjectId: providerId,
      after: { rows: inputs.length, created, updated: inputs.length - created },
    });
    onProgress?.(inputs.length, inputs.length, 'saving');
    return { created, updated: inputs.length - created };
  });
}
