// /api/networks/:networkId/leaderboard (and /survival): the honest board for a period, sealing and
// revealing it (host only), the host's choice of leading metric, exports, and survival curves.
import { z } from '@hono/zod-openapi';
import { can } from '../../domain/access.ts';
import { kaplanMeier } from '../../domain/survival.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { coursesOfNetwork } from '../../db/queries/courses.ts';
import { leaderboardSettings, providersWithPeriods, updateNetwork } from '../../db/queries/networks.ts';
import { takesPartIn } from '../../domain/providerPeriods.ts';
import { copenhagenMonth } from '../../domain/time.ts';
import { activeSeals, insertSeal, revealSeals } from '../../db/queries/seals.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { Month } from '../wire/common.ts';
import { ErrorBody } from '../wire/errors.ts';
import { Leaderboard, LeaderboardMetric, LeaderboardQuery, SurvivalResponse } from '../wire/leaderboard.ts';
import { boardParams, computeBoard } from './leaderboard/compute.ts';
import { liveAudienceOf, renderBoard, viewFor } from './leaderboard/view.ts';
import { CSV_TYPE, plainSheet, writeCsv, writeXlsx, XLSX_TYPE } from '../documents/spreadsheet.ts';
import type { LiveHooks } from '../http/hooks.ts';
import { fileParam, jsonBody, jsonContent, NetworkParams, newRouter, refusals, requireIdentity, signedInRoute } from '../http/router.ts';

const boardRefusals = refusals({ 401: 'Not signed in', 403: 'Not allowed', 404: 'No such network' });

const getBoard = signedInRoute('get', '/{networkId}/leaderboard', 'The leaderboard for a period: figures with 95 % intervals, ties where intervals overlap, "too few to rate" below the minimum n', {
  request: { params: NetworkParams, query: LeaderboardQuery },
  responses: { 200: jsonContent(Leaderboard, "The board as the caller may see it (sealed figures of other providers are left out)"), ...boardRefusals, 422: jsonContent(ErrorBody, 'Bad query') },
});

const SealRequest = z.object({ from: Month, to: Month }).openapi('SealRequest');
const sealBoard = signedInRoute('post', '/{networkId}/leaderboard/seal', 'Seal a period until the meeting: each provider sees only its own figures (host only)', {
  request: { params: NetworkParams, body: jsonBody(SealRequest) },
  responses: { 200: jsonContent(Leaderboard, 'The sealed board as the host sees it'), ...boardRefusals, 422: jsonContent(ErrorBody, 'Bad period') },
});

const revealBoard = signedInRoute('post', '/{networkId}/leaderboard/reveal', 'Reveal every sealed period: all screens show the full board at once (host only)', {
  request: { params: NetworkParams },
  responses: { 200: jsonContent(z.object({ revealed: z.number().int() }), 'How many seals were lifted'), ...boardRefusals },
});

const SettingsRequest = z.object({ leadingMetric: LeaderboardMetric.optional(), minCitizensToRate: z.number().int().min(1).max(1000).optional() }).openapi('LeaderboardSettings');
const settings = signedInRoute('put', '/{networkId}/leaderboard/settings', 'Choose the leading metric and the minimum n to rate (host only)', {
  request: { params: NetworkParams, body: jsonBody(SettingsRequest) },
  responses: { 200: jsonContent(SettingsRequest, 'The settings now'), ...boardRefusals },
});

const exportBoard = signedInRoute('get', '/{networkId}/leaderboard/{file}', 'The leaderboard as CSV or XLSX, as the caller may see it', {
  request: { params: NetworkParams.extend({ file: fileParam(['export.csv', 'export.xlsx']) }), query: LeaderboardQuery },
  responses: { 200: { description: 'The file' }, ...boardRefusals },
});


const survival = signedInRoute('get', '/{networkId}/survival', 'Kaplan–Meier survival curves per provider: the share still without a job N weeks after referral', {
  request: { params: NetworkParams, query: z.object({ cutoff: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }) },
  responses: { 200: jsonContent(SurvivalResponse, 'One curve per provider the caller may see'), ...boardRefusals },
});

function requireHost(actor: Parameters<typeof can>[0], networkId: string) {
  if (!can(actor, { action: 'network.manage', networkId })) throw new AppError('forbidden', 'Only the host may do this.');
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1000) / 10);

export function leaderboardRoutes(ctx: AppContext, live: LiveHooks) {
  const boardFor = async (actor: Parameters<typeof liveAudienceOf>[0], networkId: string, query: z.infer<typeof LeaderboardQuery>) => {
    const audience = liveAudienceOf(actor, networkId);
    const board = await computeBoard(ctx.db, await boardParams(ctx.db, networkId, query, ctx.now()), ctx.now());
    return renderBoard(board, viewFor(audience, board));
  };

  return newRouter()
    .openapi(getBoard, async (c) => {
      const { actor } = requireIdentity(c);
      return c.json(await boardFor(actor, c.req.valid('param').networkId, c.req.valid('query')), 200);
    })
    .openapi(sealBoard, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      requireHost(identity.actor, networkId);
      const { from, to } = c.req.valid('json');
      if (from > to) throw new AppError('validation_failed', 'The period starts after it ends.', [{ path: 'from', message: `${from} is after ${to}` }]);
      const at = ctx.now().toISOString();
      await ctx.db.transaction().execute(async (trx) => {
        const seal = { id: ctx.newId(), network_id: networkId, period_from: from, period_to: to, sealed_at: at, sealed_by: identity.user.id, revealed_at: null, revealed_by: null };
        await insertSeal(trx, seal);
        await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: identity.user.id, action: 'leaderboard.seal', subjectType: 'leaderboard', subjectId: networkId, after: { from, to } });
      });
      live.resultsChanged(networkId);
      return c.json(await boardFor(identity.actor, networkId, { from, to }), 200);
    })
    .openapi(revealBoard, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      requireHost(identity.actor, networkId);
      const at = ctx.now().toISOString();
      const revealed = await ctx.db.transaction().execute(async (trx) => {
        const n = await revealSeals(trx, networkId, identity.user.id, at);
        await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: identity.user.id, action: 'leaderboard.reveal', subjectType: 'leaderboard', subjectId: networkId, after: { revealed: n } });
        return n;
      });
      live.resultsChanged(networkId);
      return c.json({ revealed }, 200);
    })
    .openapi(settings, async (c) => {
      const identity = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      requireHost(identity.actor, networkId);
      const body = c.req.valid('json');
      const before = await leaderboardSettings(ctx.db, networkId);
      const after = { leading_metric: body.leadingMetric ?? before.leading_metric, min_citizens_to_rate: body.minCitizensToRate ?? before.min_citizens_to_rate };
      await ctx.db.transaction().execute(async (trx) => {
        await updateNetwork(trx, networkId, after);
        await appendAudit(trx, { id: ctx.newId(), at: ctx.now().toISOString(), networkId, actorUserId: identity.user.id, action: 'leaderboard.settings', subjectType: 'network', subjectId: networkId, before, after });
      });
      live.resultsChanged(networkId);
      return c.json({ leadingMetric: after.leading_metric as z.infer<typeof LeaderboardMetric>, minCitizensToRate: after.min_citizens_to_rate }, 200);
    })
    .openapi(exportBoard, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId, file } = c.req.valid('param');
      const board = await boardFor(actor, networkId, c.req.valid('query'));
      const columns = ['rank', 'status', 'provider', 'jobRatePct', 'jobRateLowPct', 'jobRateHighPct', 'jobRateN', 'retentionPct', 'retentionN',
        'activationPct', 'meetsActivationRequirement', 'satisfaction', 'satisfactionN', 'medianWeeksToJob', 'actualVsExpected', 'band', 'from', 'to', 'metric'];
      const rows = board.rows.map((r) => {
        const f = r.figures;
        return [r.rank, r.status, r.name, pct(f?.jobRate?.estimate), pct(f?.jobRate?.low), pct(f?.jobRate?.high), f?.jobRate?.n ?? null,
          pct(f?.retention?.estimate), f?.retention?.n ?? null, f?.activation ? Math.round(f.activation.sharePct * 10) / 10 : null,
          f?.activation ? (f.activation.meetsRequirement ? 'yes' : 'no') : null, f?.satisfaction ? Math.round(f.satisfaction.estimate * 100) / 100 : null,
          f?.satisfaction?.n ?? null, f?.medianWeeksToJob?.medianWeeks ?? null, f?.standardised?.ratio ? Math.round(f.standardised.ratio.estimate * 100) / 100 : null,
          f?.standardised?.band ?? null, board.from, board.to, board.metric];
      });
      const csv = file === 'export.csv';
      const sheet = plainSheet('Resultattavle', columns, rows);
      const content = csv ? writeCsv(sheet) : await writeXlsx(sheet);
      return c.body(content as Uint8Array<ArrayBuffer>, 200, {
        'content-type': csv ? `${CSV_TYPE}; charset=utf-8` : XLSX_TYPE,
        'content-disposition': `attachment; filename="samspil-leaderboard-${board.from}-${board.to}.${csv ? 'csv' : 'xlsx'}"`,
      });
    })
    .openapi(survival, async (c) => {
      const { actor } = requireIdentity(c);
      const { networkId } = c.req.valid('param');
      const audience = liveAudienceOf(actor, networkId);
      const cutoff = c.req.valid('query').cutoff ?? ctx.now().toISOString().slice(0, 10);
      const sealed = (await activeSeals(ctx.db, networkId)).length > 0;
      const view = viewFor(audience, { sealed: sealed ? { sealedAt: '', from: '', to: '' } : null });
      // As on the boards: a provider that does not take part in the cut-off's month has no curve.
      const cutoffMonth = copenhagenMonth(new Date(`${cutoff}T12:00:00Z`));
      const providers = (await providersWithPeriods(ctx.db, networkId)).filter((p) => takesPartIn(p.periods, cutoffMonth));
      const courses = await coursesOfNetwork(ctx.db, networkId);
      const curves = providers
        .filter((p) => view === 'all' || view === `own:${p.id}`)
        .map((p) => {
          const own = courses
            .filter((x) => x.provider_id === p.id && x.referral_date <= cutoff)
            .map((x) => ({ referralDate: x.referral_date, endDate: x.end_date, firstJobDate: x.first_job_date }));
          const curve = kaplanMeier(own, cutoff);
          return {
            providerId: p.id,
            n: curve.n,
            events: curve.events,
            medianWeeks: curve.medianWeeks,
            medianLow: curve.medianLow,
            medianHigh: curve.medianHigh,
            steps: curve.steps.map((s) => ({ week: s.week, atRisk: s.atRisk, events: s.events, censored: s.censored, survival: s.survival, low: s.low, high: s.high })),
          };
        });
      return c.json({ cutoff, sealed, curves }, 200);
    });
}
