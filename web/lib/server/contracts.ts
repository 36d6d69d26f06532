// Server-only: the contracts, settlement-preview and settlement pages as the signed-in user may see
// them, and their form actions (register or change a contract, preview a course, approve a month,
// add a correction line). Each action is one API call through the bridge; messages are catalogue keys.
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Contract } from '$wire/contracts.ts';
import type { NetworkDetail } from '$wire/networks.ts';
import type { SettlementPreview } from '$wire/settlements.ts';
import {
  contractValuesOf,
  CONTRACT_FIELDS,
  CORRECTION_FIELDS,
  correctionValuesOf,
  newContractValues,
  PREVIEW_FIELDS,
  previewValuesOf,
  problemsFromIssues,
  readContractForm,
  readCorrectionForm,
  readPreviewForm,
  termsValuesFromContract,
  AALBORG_TERMS,
  type ContractValues,
  type CorrectionValues,
  type PreviewValues,
  type Problem,
} from '$lib/contracts/forms.ts';
import { addMonths, copenhagenMonth, isMonth } from '$domain/time.ts';
import { call, expectOk, segment, type ApiClient, type ApiResult } from './api.ts';
import { loadNetwork } from './results.ts';

type Event = Pick<RequestEvent, 'platform' | 'url' | 'request' | 'locals' | 'params'>;

const networkParam = (networkId: string) => ({ networkId: segment(networkId) });

/** Viewers (and members of no provider) are sent to the pages' friendly 403. */
function assertContractReader(network: NetworkDetail): void {
  if (network.capabilities.manageContracts || network.capabilities.readOwnContract) return;
  error(403, { message: "Contracts and settlements are between the jobcenter and each provider; they are not shown to viewers.", code: 'forbidden' });
}

function assertHost(network: NetworkDetail): void {
  if (!network.capabilities.manageContracts) error(403, { message: 'Only the host previews settlements.', code: 'forbidden' });
}

async function listContracts(event: Event, networkId: string): Promise<Contract[]> {
  return expectOk(await call(event, (api) => api.networks[':networkId'].contracts.$get({ param: networkParam(networkId) }))).contracts;
}

/** A failed call's meaning for a form: back to sign-in, or which message to show. */
function failureKind(result: Extract<ApiResult<unknown>, { ok: false }>): 'forbidden' | 'conflict' | 'failed' {
  if (result.status === 401) redirect(303, '/login');
  if (result.status === 403 || result.status === 404) return 'forbidden';
  if (result.status === 409) return 'conflict';
  return 'failed';
}

// ---------------------------------------------------------------- contracts

export async function loadContracts(event: Event) {
  const network = await loadNetwork(event);
  assertContractReader(network);
  const contracts = await listContracts(event, network.id);
  const histories = await Promise.all(
    contracts.map(async (c) => {
      const param = { ...networkParam(network.id), contractId: segment(c.id) };
      const r = await call(event, (api) => api.networks[':networkId'].contracts[':contractId'].versions.$get({ param }));
      return [c.id, r.ok ? r.data.versions : [c]] as const;
    }),
  );
  const query = event.url.searchParams;
  const changing = network.capabilities.manageContracts ? (contracts.find((c) => c.id === query.get('change')) ?? null) : null;
  // A new contract is most likely for the provider asked for, else the first without one.
  const requested = network.providers.find((p) => p.id === query.get('provider'))?.id;
  const formProviderId = requested ?? network.providers.find((p) => !contracts.some((c) => c.providerId === p.id))?.id ?? network.providers[0]?.id ?? '';
  return {
    network,
    contracts,
    versions: Object.fromEntries(histories),
    changing,
    defaults: newContractValues(formProviderId, Number(copenhagenMonth(new Date()).slice(0, 4))),
  };
}

/** What the contract form shows after a submission. */
export type ContractActionResult =
  | { kind: 'saved'; contractId: string; version: number; providerName: string }
  | { kind: 'invalid'; values: ContractValues; problems: Problem[]; contractId: string | null }
  | { kind: 'forbidden' | 'failed'; values: ContractValues; contractId: string | null }
  /** Someone else changed the contract since the form was opened: it is at `currentVersion` now. */
  | { kind: 'stale'; values: ContractValues; contractId: string; currentVersion: number };

/** A 409's issues (approved month, overlapping contract) as the fields' problems, said in the page's language. */
function conflictProblems(issues: ReadonlyArray<{ path: string; message: string; value?: string }>): Problem[] {
  return issues.map((i) =>
    i.path === 'effectiveFrom' ? { field: 'effectiveFrom', key: 'approvedMonth', value: i.value } : i.path === 'periodStart' ? { field: 'periodStart', key: 'overlap', value: i.value } : { field: '', key: 'server', message: i.message },
  );
}

export const contractActions = {
  save: async (event: Event) => {
    const form = await event.request.formData();
    const values = contractValuesOf(form);
    const contractId = String(form.get('contractId') ?? '').slice(0, 100) || null;
    const { input, problems } = readContractForm(values, { change: contractId !== null });
    if (!input) return fail(422, { kind: 'invalid', values, problems, contractId } satisfies ContractActionResult);

    const networkId = event.params.networkId ?? '';
    const result = contractId
      ? await call(event, (api) =>
          api.networks[':networkId'].contracts[':contractId'].$put({ param: { ...networkParam(networkId), contractId: segment(contractId) }, header: { 'if-match': `"${values.basedOnVersion}"` }, json: input }),
        )
      : await call(event, (api) => api.networks[':networkId'].providers[':providerId'].contracts.$post({ param: { ...networkParam(networkId), providerId: segment(values.providerId) }, json: input }));
    if (result.ok) return { kind: 'saved', contractId: result.data.id, version: result.data.version, providerName: result.data.providerName } satisfies ContractActionResult;
    if (result.status === 422) {
      return fail(422, { kind: 'invalid', values, problems: problemsFromIssues(result.error.issues ?? [], CONTRACT_FIELDS), contractId } satisfies ContractActionResult);
    }
    if (result.status === 409 && result.error.issues?.length) {
      return fail(409, { kind: 'invalid', values, problems: conflictProblems(result.error.issues), contractId } satisfies ContractActionResult);
    }
    if ((result.status === 412 || result.status === 428) && contractId) {
      return fail(412, { kind: 'stale', values, contractId, currentVersion: result.error.currentVersion ?? 0 } satisfies ContractActionResult);
    }
    const kind = failureKind(result);
    return fail(kind === 'forbidden' ? 403 : 503, { kind: kind === 'forbidden' ? 'forbidden' : 'failed', values, contractId } satisfies ContractActionResult);
  },
};

// ---------------------------------------------------------------- settlement preview

export async function loadPreview(event: Event) {
  const network = await loadNetwork(event);
  assertHost(network);
  // "Preview with these terms" from a contract fills the terms in.
  const fromContract = event.url.searchParams.get('contract');
  const contract = fromContract ? ((await listContracts(event, network.id)).find((c) => c.id === fromContract) ?? null) : null;
  const terms = contract ? termsValuesFromContract(contract, event.locals.locale) : AALBORG_TERMS;
  const defaults: PreviewValues = { ...terms, referralDate: '', endDate: '', jobStartDate: '', weeksEmployed: '' };
  return { network, defaults, contract: contract ? { id: contract.id, providerName: contract.providerName, version: contract.version } : null };
}

export type PreviewActionResult =
  | { kind: 'result'; values: PreviewValues; preview: SettlementPreview }
  | { kind: 'invalid'; values: PreviewValues; problems: Problem[] }
  | { kind: 'forbidden' | 'failed'; values: PreviewValues };

export const previewActions = {
  preview: async (event: Event) => {
    const values = previewValuesOf(await event.request.formData());
    const { input, problems } = readPreviewForm(values);
    if (!input) return fail(422, { kind: 'invalid', values, problems } satisfies PreviewActionResult);
    const result = await call(event, (api) => api.settlements.preview.$post({ json: { ...input, locale: event.locals.locale } }));
    if (result.ok) return { kind: 'result', values, preview: result.data } satisfies PreviewActionResult;
    if (result.status === 422) return fail(422, { kind: 'invalid', values, problems: problemsFromIssues(result.error.issues ?? [], PREVIEW_FIELDS) } satisfies PreviewActionResult);
    const kind = failureKind(result);
    return fail(kind === 'forbidden' ? 403 : 503, { kind: kind === 'forbidden' ? 'forbidden' : 'failed', values } satisfies PreviewActionResult);
  },
};

// ---------------------------------------------------------------- settlement statements

/** Whose statements the caller sees: their own, or for the host the provider picked (default the first). */
function providerFor(network: NetworkDetail, requested: string | null): string {
  const caps = network.capabilities;
  if (caps.manageContracts) return network.providers.find((p) => p.id === requested)?.id ?? network.providers[0]?.id ?? '';
  if (caps.readOwnContract && caps.ownProviderId) return caps.ownProviderId;
  assertContractReader(network);
  error(403, { message: 'You belong to no provider in this network.', code: 'forbidden' });
}

export async function loadSettlements(event: Event) {
  const network = await loadNetwork(event);
  assertContractReader(network);
  const providerId = providerFor(network, event.url.searchParams.get('provider'));
  const thisMonth = copenhagenMonth(new Date());
  const asked = event.url.searchParams.get('month');
  // By default the last finished month: the one the host is most likely to approve.
  const month = isMonth(asked) ? asked : addMonths(thisMonth, -1);
  const param = { ...networkParam(network.id), providerId: segment(providerId) };
  const statement = expectOk(await call(event, (api) => api.networks[':networkId'].providers[':providerId'].settlements.$get({ param, query: { month, locale: event.locals.locale } })));
  return { network, providerId, month, statement, currentMonth: thisMonth, monthProblem: asked !== null && asked !== '' && !isMonth(asked) };
}

export type SettlementActionResult =
  | { action: 'approve'; kind: 'approved' | 'conflict' | 'forbidden' | 'failed' }
  | { action: 'correct'; kind: 'added' }
  | { action: 'correct'; kind: 'invalid'; values: CorrectionValues; problems: Problem[] }
  | { action: 'correct'; kind: 'conflict' | 'forbidden' | 'failed'; values: CorrectionValues };

/** The path parameters of the statement a form is about, or null when its hidden fields do not name one. */
function statementParam(event: Event, form: FormData) {
  const providerId = String(form.get('providerId') ?? '').slice(0, 100);
  const month = form.get('month');
  if (!providerId || !isMonth(month)) return null;
  return { ...networkParam(event.params.networkId ?? ''), providerId: segment(providerId), month };
}
const statementIn = (api: ApiClient) => api.networks[':networkId'].providers[':providerId'].settlements[':month'];

export const settlementActions = {
  approve: async (event: Event) => {
    const param = statementParam(event, await event.request.formData());
    if (!param) return fail(422, { action: 'approve', kind: 'failed' } satisfies SettlementActionResult);
    const result = await call(event, (api) => statementIn(api).approve.$post({ param }));
    if (result.ok) return { action: 'approve', kind: 'approved' } satisfies SettlementActionResult;
    const kind = failureKind(result);
    return fail(result.status, { action: 'approve', kind } satisfies SettlementActionResult);
  },
  correct: async (event: Event) => {
    const form = await event.request.formData();
    const values = correctionValuesOf(form);
    const param = statementParam(event, form);
    if (!param) return fail(422, { action: 'correct', kind: 'failed', values } satisfies SettlementActionResult);
    const { input, problems } = readCorrectionForm(values);
    if (!input) return fail(422, { action: 'correct', kind: 'invalid', values, problems } satisfies SettlementActionResult);
    const result = await call(event, (api) => statementIn(api).corrections.$post({ param, json: input }));
    if (result.ok) return { action: 'correct', kind: 'added' } satisfies SettlementActionResult;
    if (result.status === 422) {
      return fail(422, { action: 'correct', kind: 'invalid', values, problems: problemsFromIssues(result.error.issues ?? [], CORRECTION_FIELDS) } satisfies SettlementActionResult);
    }
    const kind = failureKind(result);
    return fail(result.status, { action: 'correct', kind, values } satisfies SettlementActionResult);
  },
};
