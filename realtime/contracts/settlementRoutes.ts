// Settlements: a preview of one course under given terms (host; /api/settlements/preview), and each
// provider's monthly statement with approval, correction lines and CSV/XLSX/PDF export.
import { z } from '@hono/zod-openapi';
import type { Locale } from '../../domain/settlement.ts';
import { copenhagenDate, copenhagenMonth } from '../../domain/time.ts';
import type { AppContext } from '../context.ts';
import { addCorrection, approveStatement, previewSettlement, statementFor } from './settlements.ts';
import { statementFilename, statementLetter, statementSheet } from './statementDocuments.ts';
import { attachment } from '../documents/attachment.ts';
import { renderPdf } from '../documents/pdf.ts';
import { CSV_TYPE, writeCsv, writeXlsx, XLSX_TYPE } from '../documents/spreadsheet.ts';
import { Month } from '../wire/common.ts';
import { ErrorBody } from '../wire/errors.ts';
import { SettlementCorrectionInput, SettlementPreview, SettlementPreviewRequest, SettlementStatement } from '../wire/settlements.ts';
import { fileParam, jsonBody, jsonContent, MonthParam, newRouter, ProviderParams, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const MonthParams = ProviderParams.extend({ month: MonthParam });
const LocaleQuery = z.object({ locale: z.enum(['da', 'en']).optional() });

const settlementRefusals = refusals({ 401: 'Not signed in', 403: "Not the host, or not this provider's member", 404: 'No such provider in this network' });

const preview = signedInRoute('post', '/preview', 'What one course earns under given terms, with the explanation line by line (host)', {
  request: { body: jsonBody(SettlementPreviewRequest) },
  responses: {
    200: jsonContent(SettlementPreview, 'Amounts in øre and the explanation'),
    401: settlementRefusals[401],
    403: settlementRefusals[403],
    422: jsonContent(ErrorBody, 'Invalid terms or course (issues name each field)'),
  },
});

const statement = signedInRoute('get', '/{networkId}/providers/{providerId}/settlements', "A provider's settlement statement for a month (default: this month): courses, lines, pending, corrections", {
  request: { params: ProviderParams, query: LocaleQuery.extend({ month: Month.optional() }) },
  responses: { 200: jsonContent(SettlementStatement, 'The statement'), ...settlementRefusals },
});

const approve = signedInRoute('post', '/{networkId}/providers/{providerId}/settlements/{month}/approve', 'Approve and lock a finished month’s statement (host)', {
  request: { params: MonthParams },
  responses: { 200: jsonContent(SettlementStatement, 'The locked statement'), ...settlementRefusals, 409: jsonContent(ErrorBody, 'Already approved, or the month is not over') },
});

const correct = signedInRoute('post', '/{networkId}/providers/{providerId}/settlements/{month}/corrections', 'Add an attributed correction line to an approved statement (host)', {
  request: { params: MonthParams, body: jsonBody(SettlementCorrectionInput) },
  responses: {
    201: jsonContent(SettlementStatement, 'The statement with the new line'),
    ...settlementRefusals,
    409: jsonContent(ErrorBody, 'The statement is a draft'),
    422: jsonContent(ErrorBody, 'Field errors'),
  },
});

const exportRoute = signedInRoute('get', '/{networkId}/providers/{providerId}/settlements/{month}/{file}', 'The statement as CSV, XLSX or PDF', {
  request: { params: MonthParams.extend({ file: fileParam(['statement.csv', 'statement.xlsx', 'statement.pdf']) }), query: LocaleQuery },
  responses: { 200: { description: 'The file' }, ...settlementRefusals },
});

/** Mounted at /api/settlements: nothing stored, so no network in the path. */
export function settlementPreviewRoutes() {
  return newRouter().openapi(preview, (c) => {
    const identity = requireIdentity(c);
    return c.json(previewSettlement(identity.actor, c.req.valid('json'), identity.user.locale), 200);
  });
}

/** Mounted at /api/networks. */
export function settlementRoutes(ctx: AppContext) {
  return newRouter()
    .openapi(statement, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId } = c.req.valid('param');
      const { month, locale } = c.req.valid('query');
      const chosen: Locale = locale ?? identity.user.locale;
      return c.json(await statementFor(ctx, identity.actor, networkId, providerId, month ?? copenhagenMonth(ctx.now()), chosen), 200);
    })
    .openapi(approve, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId, month } = c.req.valid('param');
      await approveStatement(ctx, { userId: identity.user.id, actor: identity.actor }, networkId, providerId, month);
      return c.json(await statementFor(ctx, identity.actor, networkId, providerId, month, identity.user.locale), 200);
    })
    .openapi(correct, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId, month } = c.req.valid('param');
      await addCorrection(ctx, { userId: identity.user.id, actor: identity.actor }, networkId, providerId, month, c.req.valid('json'));
      return c.json(await statementFor(ctx, identity.actor, networkId, providerId, month, identity.user.locale), 201);
    })
    .openapi(exportRoute, async (c) => {
      const identity = requireIdentity(c);
      const { networkId, providerId, month, file } = c.req.valid('param');
      const locale: Locale = c.req.valid('query').locale ?? identity.user.locale;
      const s = await statementFor(ctx, identity.actor, networkId, providerId, month, locale);
      if (file === 'statement.pdf') {
        const pdf = await renderPdf(statementLetter(s, locale, copenhagenDate(ctx.now())));
        return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': attachment(statementFilename(s, 'pdf')) });
      }
      const sheet = statementSheet(s, locale);
      if (file === 'statement.csv') {
        return c.body(writeCsv(sheet) as Uint8Array<ArrayBuffer>, 200, { 'content-type': `${CSV_TYPE}; charset=utf-8`, 'content-disposition': attachment(statementFilename(s, 'csv')) });
      }
      const xlsx = await writeXlsx(sheet);
      return c.body(xlsx as Uint8Array<ArrayBuffer>, 200, { 'content-type': XLSX_TYPE, 'content-disposition': attachment(statementFilename(s, 'xlsx')) });
    });
}
