// /api/networks/:networkId/providers/:providerId/reports: enter a month, correct it as a new
// version, see the history, import many months from CSV/XLSX; and export them again.
import { z } from '@hono/zod-openapi';
import { can, membershipIn } from '../../domain/access.ts';
import { reportsInRange } from '../../db/queries/reports.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { allUserNames } from '../../db/queries/users.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { Month } from '../wire/common.ts';
import { ErrorBody } from '../wire/errors.ts';
import { MonthlyReportInput, MonthlyReportVersion } from '../wire/reports.ts';
import { importReports, reportTemplateCsv } from './importReports.ts';
import { reportVersionDto, saveReport, toDto } from './reports.ts';
import { kindOf, MAX_UPLOAD_BYTES } from './tabular.ts';
import { CSV_TYPE, plainSheet, writeCsv, writeXlsx, XLSX_TYPE } from '../documents/spreadsheet.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { type ApiEnv, fileParam, jsonBody, jsonContent, NetworkParams, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';
import type { Context } from 'hono';
import { importCourses } from './importCourses.ts';

const Range = z.object({ from: Month.optional(), to: Month.optional() });

const reportRefusals = refusals({ 401: 'Not signed in', 403: "Not this provider's member or the host", 404: 'No such provider in this network' });

const postReport = signedInRoute('post', '/{networkId}/providers/{providerId}/reports', 'Report one month (or correct it: a new version with a reason)', {
  request: { params: ProviderParams, body: jsonBody(MonthlyReportInput) },
  responses: {
    201: jsonContent(MonthlyReportVersion, 'The stored version'),
    ...reportRefusals,
    409: jsonContent(ErrorBody, 'The month exists and no correction reason was given'),
    422: jsonContent(ErrorBody, 'Field errors (issues name each field)'),
  },
});

const listReports = signedInRoute('get', '/{networkId}/providers/{providerId}/reports', "A provider's reports with every version (history), oldest first", {
  request: { params: ProviderParams, query: Range },
  responses: { 200: jsonContent(z.object({ reports: z.array(MonthlyReportVersion) }), 'Every version'), ...reportRefusals },
});

const importRoute = signedInRoute('post', '/{networkId}/providers/{providerId}/reports/import', 'Import many months from a CSV or XLSX body: all rows or none', {
  description:
    'Body: the file itself, Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, at most 5 MB. ' +
    'Columns: month, referred, active, jobStarts, retained13of26, activationPct, satisfactionMean, satisfactionResponses, reason, or the Danish or English ' +
      'headers of the template (GET …/reports/template.csv). CSV in UTF-8 (with or without BOM) or Windows-1252, separated by ";", "," or tab; decimal comma or point. ' +
    'Send an X-Import-Id header to receive `import:progress` events on socket.io.',
  request: { params: ProviderParams },
  responses: {
    201: jsonContent(z.object({ imported: z.number().int(), reports: z.array(MonthlyReportVersion) }), 'Every row stored'),
    400: jsonContent(ErrorBody, 'Not a readable CSV/XLSX file'),
    ...reportRefusals,
    422: jsonContent(ErrorBody, 'Nothing stored; `issues` lists every bad row with row number, column and reason'),
  },
});

const importCoursesRoute = signedInRoute('post', '/{networkId}/providers/{providerId}/courses/import', 'Import pseudonymous course records from a CSV or XLSX body: all rows or none', {
  description:
    'Columns: caseKey, programme, referralDate, endDate, firstJobDate, weeksEmployedOf26, unemploymentBand, educationField, ageBand ' +
    '(Danish names accepted). A course is identified by case key and referral date; importing it again updates it. ' +
    'A cell that looks like a CPR number refuses the whole file.',
  request: { params: ProviderParams },
  responses: {
    201: jsonContent(z.object({ created: z.number().int(), updated: z.number().int() }), 'Every row stored'),
    400: jsonContent(ErrorBody, 'Not a readable CSV/XLSX file'),
    ...reportRefusals,
    422: jsonContent(ErrorBody, 'Nothing stored; `issues` lists every bad row with row number, column and reason'),
  },
});

const exportRoute = signedInRoute('get', '/{networkId}/reports/{file}', 'Export monthly reports (every version) as CSV or XLSX: all providers for the host, your own for a provider', {
  request: { params: NetworkParams.extend({ file: fileParam(['export.csv', 'export.xlsx']) }), query: Range },
  responses: { 200: { description: 'The file' }, 401: reportRefusals[401], 403: reportRefusals[403] },
});

const templateRoute = signedInRoute('get', '/{networkId}/reports/template.csv', 'The import template: the report columns headed in Danish (or English), as Danish Excel opens it', {
  description: 'UTF-8 with a byte-order mark, columns separated by ";". `lang` chooses the headers; default the signed-in user\'s language.',
  request: { params: NetworkParams, query: z.object({ lang: z.enum(['da', 'en']).optional() }) },
  responses: { 200: { description: 'The CSV template' }, 401: reportRefusals[401], 403: reportRefusals[403] },
});

export const REPORT_EXPORT_COLUMNS = [
  'provider', 'month', 'version', 'referred', 'active', 'jobStarts', 'retained13of26', 'activationPct',
  'satisfactionMean', 'satisfactionResponses', 'reason', 'enteredBy', 'enteredAt',
];

/** Reads an uploaded file body and sets up progress events for the uploader. */
async function upload(c: Context<ApiEnv>, userId: string, live: LiveHooks) {
  const kind = kindOf(c.req.header('content-type'));
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw new AppError('bad_request', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it.`);
  const body = new Uint8Array(await c.req.arrayBuffer());
  const importId = c.req.header('x-import-id')?.slice(0, 100);
  const progress = importId
    ? (done: number, total: number, phase: 'checking' | 'saving') => live.importProgress(userId, { importId, done, total, phase })
    : undefined;
  return { body, kind, progress };
}

export function reportRoutes(ctx: AppContext, live: LiveHooks) {
  return newRouter()
    .openapi(postReport, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      const row = await saveReport(ctx, { userId: identity.user.id, actor: identity.actor, locale: identity.user.locale }, networkId, providerId, c.req.valid('json'));
      live.resultsChanged(networkId, row);
      return c.json(toDto(row, { id: identity.user.id, name: identity.user.name }), 201);
    })
    .openapi(listReports, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      // The history (with authors and reasons) is the provider's and the host's documentation.
      if (!can(actor, { action: 'report.write', networkId, providerId })) throw new AppError('forbidden', "Only the provider's own members and the host see its report history.");
      // As the other report routes: a provider of another network is not found here (not an empty history).
      if (!(await providersOfNetwork(ctx.db, networkId)).some((p) => p.id === providerId)) throw new AppError('not_found', 'That provider is not part of this network.');
      const rows = await reportsInRange(ctx.db, networkId, { ...c.req.valid('query'), providerId });
      const reports = await Promise.all(rows.map((r) => reportVersionDto(ctx.db, r)));
      return c.json({ reports }, 200);
    })
    .openapi(importRoute, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      const { body, kind, progress } = await upload(c, identity.user.id, live);
      const stored = await importReports(ctx, { userId: identity.user.id, actor: identity.actor, locale: identity.user.locale }, { networkId, providerId, body, kind }, progress);
      live.resultsChanged(networkId);
      const author = { id: identity.user.id, name: identity.user.name };
      return c.json({ imported: stored.length, reports: stored.map((r) => toDto(r, author)) }, 201);
    })
    .openapi(importCoursesRoute, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      const { body, kind, progress } = await upload(c, identity.user.id, live);
      const result = await importCourses(ctx, { userId: identity.user.id, actor: identity.actor, locale: identity.user.locale }, { networkId, providerId, body, kind }, progress);
      live.resultsChanged(networkId);
      return c.json(result, 201);
    })
    // Before the export route, whose {file} would otherwise refuse the name.
    .openapi(templateRoute, async (c) => {
      const identity = requireIdentity(c);
      if (!membershipIn(identity.actor, c.req.valid('param').networkId)) throw new AppError('forbidden', 'You are not a member of this network.');
      const locale = c.req.valid('query').lang ?? identity.user.locale;
      return c.body(reportTemplateCsv(locale) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': `${CSV_TYPE}; charset=utf-8`,
        'content-disposition': `attachment; filename="${locale === 'en' ? 'samspil-monthly-reports-template' : 'samspil-maanedsrapporter-skabelon'}.csv"`,
      });
    })
    .openapi(exportRoute, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, file } = c.req.valid('param');
      const format = file === 'export.csv' ? 'csv' : 'xlsx';
      const m = membershipIn(actor, networkId);
      if (!m || m.role === 'viewer') throw new AppError('forbidden', 'Only the host and providers export reports (a provider exports its own).');
      const providers = await providersOfNetwork(ctx.db, networkId);
      const names = new Map(providers.map((p) => [p.id, p.name]));
      const rows = (await reportsInRange(ctx.db, networkId, c.req.valid('query'))).filter((r) =>
        can(actor, { action: 'report.write', networkId, providerId: r.provider_id }),
      );
      const authors = await allUserNames(ctx.db);
      const table = rows.map((r) => [
        names.get(r.provider_id) ?? r.provider_id, r.month, r.version, r.referred, r.active, r.job_starts, r.retained_13_of_26,
        r.activation_pct, r.satisfaction_mean, r.satisfaction_responses, r.reason, authors.get(r.created_by) ?? r.created_by, r.created_at,
      ]);
      const sheet = plainSheet('Månedsrapporter', REPORT_EXPORT_COLUMNS, table);
      const content = format === 'csv' ? writeCsv(sheet) : await writeXlsx(sheet);
      return c.body(content as Uint8Array<ArrayBuffer>, 200, {
        'content-type': format === 'csv' ? `${CSV_TYPE}; charset=utf-8` : XLSX_TYPE,
        'content-disposition': `attachment; filename="samspil-reports.${format}"`,
      });
    });
}
