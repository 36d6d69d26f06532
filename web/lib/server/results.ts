// Server-only: the results page (leaderboard, programmes, survival curves) and the monthly reports
// page as the signed-in user may see them, and their form actions (seal, reveal, settings, save a
// month). Each action is one API call through the bridge; messages are catalogue keys.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { LeaderboardMetric } from '$wire/leaderboard.ts';
import type { NetworkDetail } from '$wire/networks.ts';
import type { MonthlyReportVersion } from '$wire/reports.ts';
import { boardQuery, isMetric, lastTwelveMonths, readPeriod, recentMonths, recentQuarters, type Period } from '$lib/results/period.ts';
import { addMonths, copenhagenMonth, isMonth, lastDayOf } from '$domain/time.ts';
import { problemsFromIssues, readReportForm, valuesFromVersion, valuesOf, type FieldProblem, type ReportValues } from '$lib/results/reportForm.ts';
import { call, expectOk, segment } from './api.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

/** The path parameter of the network the page is about. */
const networkParam = (event: Event) => ({ networkId: segment(event.params.networkId ?? '') });

/** A board's query: the metric when one was chosen, the period when one was given. */
const boardParams = (metric: LeaderboardMetric | null, period: Period | null) => ({ ...(metric ? { metric } : {}), ...(period ? { from: period.from, to: period.to } : {}) });

/** The network with the caller's capabilities; the sign-in page (and back) when signed out. */
export async function loadNetwork(event: Event): Promise<NetworkDetail> {
  if (!event.locals.me) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  return expectOk(await call(event, (api) => api.networks[':networkId'].$get({ param: networkParam(event) })));
}

// ---------------------------------------------------------------- results

export async function loadResults(event: Event) {
  const network = await loadNetwork(event);
  const now = new Date();
  const query = event.url.searchParams;
  const chosenMetric = isMetric(query.get('metric')) ? (query.get('metric') as LeaderboardMetric) : null;
  const choice = readPeriod(query, now);
  // The picker's form names a preset; the page's address is always the plain ?metric=&from=&to=.
  if (choice.ok && choice.redirect) redirect(303, `/networks/${encodeURIComponent(network.id)}/results${boardQuery(chosenMetric, choice.period)}`);
  const period = choice.ok ? choice.period : null;

  const param = { networkId: segment(network.id) };
  const board = expectOk(await call(event, (api) => api.networks[':networkId'].leaderboard.$get({ param, query: boardParams(chosenMetric, period) })));
  const today = now.toISOString().slice(0, 10);
  const cutoff = lastDayOf(board.to) < today ? lastDayOf(board.to) : today;
  const survival = expectOk(await call(event, (api) => api.networks[':networkId'].survival.$get({ param, query: { cutoff } })));
  // The host's ranking settings need the network's own leading metric, which a board shows only
  // when no other metric was chosen (the API has no settings read; a one-month board is cheap).
  let leadingMetric = board.metric;
  if (chosenMetric && network.capabilities.manageNetwork) {
    const plain = await call(event, (api) => api.networks[':networkId'].leaderboard.$get({ param, query: boardParams(null, { from: board.to, to: board.to }) }));
    if (plain.ok) leadingMetric = plain.data.metric;
  }
  return {
    network,
    board,
    leadingMetric,
    survival,
    cutoff,
    chosenMetric,
    periodProblem: choice.ok ? null : choice.problem,
    picker: { months: recentMonths(now), quarters: recentQuarters(now), lastTwelve: lastTwelveMonths(now), now: now.toISOString() },
  };
}

/** What the results page shows after a host action. */
export interface ResultsActionResult {
  ok: boolean;
  action: 'seal' | 'reveal' | 'settings';
  message: 'sealedOk' | 'revealedOk' | 'revealedNone' | 'settingsOk' | 'actionForbidden' | 'periodInvalid' | 'minNInvalid' | 'actionFailed';
}

function hostFailure(status: number, action: ResultsActionResult['action']) {
  if (status === 401) redirect(303, '/login');
  const message: ResultsActionResult['message'] = status === 403 ? 'actionForbidden' : status === 422 ? 'periodInvalid' : 'actionFailed';
  return fail(status >= 400 && status < 500 ? status : 503, { ok: false, action, message } satisfies ResultsActionResult);
}

export const resultsActions = {
  seal: async (event: Event) => {
    const form = await event.request.formData();
    const from = form.get('from');
    const to = form.get('to');
    if (!isMonth(from) || !isMonth(to) || from > to) return fail(422, { ok: false, action: 'seal', message: 'periodInvalid' } satisfies ResultsActionResult);
    const result = await call(event, (api) => api.networks[':networkId'].leaderboard.seal.$post({ param: networkParam(event), json: { from, to } }));
    if (!result.ok) return hostFailure(result.status, 'seal');
    return { ok: true, action: 'seal', message: 'sealedOk' } satisfies ResultsActionResult;
  },
  reveal: async (event: Event) => {
    const result = await call(event, (api) => api.networks[':networkId'].leaderboard.reveal.$post({ param: networkParam(event) }));
    if (!result.ok) return hostFailure(result.status, 'reveal');
    return { ok: true, action: 'reveal', message: result.data.revealed > 0 ? 'revealedOk' : 'revealedNone' } satisfies ResultsActionResult;
  },
  settings: async (event: Event) => {
    const form = await event.request.formData();
    const leadingMetric = form.get('leadingMetric');
    const minText = String(form.get('minCitizensToRate') ?? '').trim();
    const minN = Number(minText);
    if (!isMetric(leadingMetric)) return fail(422, { ok: false, action: 'settings', message: 'actionFailed' } satisfies ResultsActionResult);
    if (!/^\d+$/.test(minText) || minN < 1 || minN > 1000) return fail(422, { ok: false, action: 'settings', message: 'minNInvalid' } satisfies ResultsActionResult);
    const result = await call(event, (api) => api.networks[':networkId'].leaderboard.settings.$put({ param: networkParam(event), json: { leadingMetric, minCitizensToRate: minN } }));
    if (!result.ok) return hostFailure(result.status, 'settings');
    return { ok: true, action: 'settings', message: 'settingsOk' } satisfies ResultsActionResult;
  },
};

// ---------------------------------------------------------------- monthly reports

/** Which provider's reports the caller works on: their own, or for the host the one picked (default the first). */
function providerFor(network: NetworkDetail, requested: string | null): string {
  const caps = network.capabilities;
  if (caps.writeAnyReport) return network.providers.find((p) => p.id === requested)?.id ?? network.providers[0]?.id ?? '';
  if (caps.writeOwnReports && caps.ownProviderId) return caps.ownProviderId;
  // Viewers, and members of no provider: the reports are the providers' and the host's documentation.
  error(403, { message: "Only the providers' own members and the host see and enter monthly reports.", code: 'forbidden' });
}

export async function loadReports(event: Event) {
  const network = await loadNetwork(event);
  const providerId = providerFor(network, event.url.searchParams.get('provider'));
  const { reports } = expectOk(
    await call(event, (api) => api.networks[':networkId'].providers[':providerId'].reports.$get({ param: { networkId: segment(network.id), providerId: segment(providerId) }, query: {} })),
  );
  const now = new Date();
  const thisMonth = copenhagenMonth(now);
  const latest = new Map<string, MonthlyReportVersion>();
  for (const r of reports) if ((latest.get(r.month)?.version ?? 0) < r.version) latest.set(r.month, r);

  // "Correct this month" in the history opens the form filled in with the month's current figures.
  const correct = event.url.searchParams.get('correct');
  const toCorrect = isMonth(correct) ? latest.get(correct) : undefined;
  const prefill: ReportValues | null = toCorrect ? valuesFromVersion(toCorrect, event.locals.locale === 'da') : null;

  // A new report is most likely for the month after the newest one (never a month still to come).
  const newest = [...latest.keys()].sort().at(-1);
  const suggestedMonth = newest ? (addMonths(newest, 1) > thisMonth ? thisMonth : addMonths(newest, 1)) : addMonths(thisMonth, -1);
  return { network, providerId, reports, prefill, correcting: toCorrect?.month ?? null, suggestedMonth, currentMonth: thisMonth };
}

/** What the report form shows after a submission. */
export type ReportActionResult =
  | { kind: 'saved'; month: string; version: number; providerId: string }
  | { kind: 'invalid' | 'conflict'; values: ReportValues; problems: FieldProblem[]; providerId: string; correction: boolean }
  | { kind: 'forbidden' | 'failed'; values: ReportValues; providerId: string; correction: boolean };

export const reportActions = {
  save: async (event: Event) => {
    const form = await event.request.formData();
    const values = valuesOf(form);
    const providerId = String(form.get('providerId') ?? '').slice(0, 100);
    const correction = form.get('correction') === 'true';
    const { input, problems } = readReportForm(values, { currentMonth: copenhagenMonth(new Date()), correction });
    if (!input) return fail(422, { kind: 'invalid', values, problems, providerId, correction } satisfies ReportActionResult);

    const param = { ...networkParam(event), providerId: segment(providerId) };
    const result = await call(event, (api) => api.networks[':networkId'].providers[':providerId'].reports.$post({ param, json: input }));
    if (result.ok) return { kind: 'saved', month: result.data.month, version: result.data.version, providerId } satisfies ReportActionResult;
    if (result.status === 401) redirect(303, '/login');
    // The month exists: a change is a correction, a new version that needs a reason.
    if (result.status === 409) return fail(409, { kind: 'conflict', values, problems: [], providerId, correction: true } satisfies ReportActionResult);
    if (result.status === 422) {
      return fail(422, { kind: 'invalid', values, problems: problemsFromIssues(result.error.issues ?? []), providerId, correction } satisfies ReportActionResult);
    }
    if (result.status === 403 || result.status === 404) return fail(403, { kind: 'forbidden', values, providerId, correction } satisfies ReportActionResult);
    return fail(503, { kind: 'failed', values, providerId, correction } satisfies ReportActionResult);
  },
};
