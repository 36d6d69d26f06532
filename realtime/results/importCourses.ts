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

const isoDate = (what: string) =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${what}: use the form YYYY-MM-DD`).refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, `${what} is not a real date`);

export const CourseRecordInput = z
  .object({
    caseKey: z
      .string()
      .regex(/^[A-Za-z0-9_-]{3,40}$/, 'A case key is 3–40 letters, digits, - or _ (pseudonymous, never a CPR number)')
      // A key shaped like a CPR number (a real date and four digits) is refused even without other signs.
      .refine((k) => !isCprShapedKey(k), 'looks like a CPR number; use a pseudonymous case key'),
    programme: z.string().trim().min(2).max(80),
    referralDate: isoDate('Referral date'),
    endDate: isoDate('End date').nullable(),
    firstJobDate: isoDate('First day in ordinary employment').nullable(),
    weeksEmployedOf26: z.number().int().min(0).max(26).nullable(),
    unemploymentBand: z.string().trim().min(1).max(40),
    educationField: z.string().trim().min(1).max(60),
    ageBand: z.string().trim().min(1).max(20),
  })
  .superRefine((c, ctx) => {
    if (c.endDate && c.endDate < c.referralDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'ends before the referral' });
    if (c.firstJobDate && c.firstJobDate < c.referralDate) ctx.addIssue({ code: 'custom', path: ['firstJobDate'], message: 'job starts before the referral' });
    if (c.weeksEmployedOf26 !== null && !c.firstJobDate) ctx.addIssue({ code: 'custom', path: ['weeksEmployedOf26'], message: 'weeks employed need a first day in employment' });
  });
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
  if (!issues.some((i) => i.path.startsWith('column'))) {
    const seen = new Map<string, number>();
    for (const { row, cells } of table.rows) {
      const raw: Record<string, unknown> = {};
      for (const field of Object.keys(COURSE_COLUMNS) as Array<keyof CourseRecordInput>) {
        const column = columns.get(field);
        const text = column ? (cells[column] ?? '').trim() : '';
        raw[field] = text === '' ? (OPTIONAL.has(field) ? null : undefined) : field === 'weeksEmployedOf26' ? Number(text.replace(',', '.')) : text;
      }
      const parsed = CourseRecordInput.safeParse(raw);
      if (!parsed.success) {
        for (const i of fieldIssues(parsed.error.issues)) {
          const column = columns.get(i.path as keyof CourseRecordInput) ?? i.path;
          issues.push(rowIssue(row, column, i.message, cells[column]));
        }
        continue;
      }
      const key = `${parsed.data.caseKey}|${parsed.data.referralDate}`;
      if (seen.has(key)) issues.push({ path: `row ${row}, ${columns.get('caseKey')}`, message: `the same course appears twice (also row ${seen.get(key)})` });
      seen.set(key, row);
      inputs.push(parsed.data);
    }
  }
  if (inputs.length === 0 && issues.length === 0) issues.push({ path: 'file', message: 'has no data rows' });
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
