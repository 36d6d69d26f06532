// Supervision (tilsyn): the host logs visits with findings and follow-ups, the visited provider
// reads its own and answers. Each function checks the input and the caller, then changes and
// audits (before → after) in one transaction.
import type { Kysely } from 'kysely';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { copenhagenDate } from '../../domain/time.ts';
import { CPR_MESSAGE, containsCpr } from '../../domain/cpr.ts';
import type { Database } from '../../db/database.ts';
import type { SupervisionActionRow, SupervisionVisitRow } from '../../db/tables/supervision.table.ts';
import { appendAudit } from '../../db/queries/audit.ts';
import { providersOfNetwork } from '../../db/queries/networks.ts';
import { userNames } from '../../db/queries/users.ts';
import { actionsOfVisits, findVisit, insertActions, insertVisit, overdueActions, updateAction, updateVisit, visitsOfNetwork } from '../../db/queries/supervision.ts';
import type { AppContext } from '../context.ts';
import { AppError, type FieldIssue } from '../errors.ts';
import type { FollowUp, FollowUpChange, OverdueFollowUp, SupervisionVisit, SupervisionVisitChange, SupervisionVisitInput } from '../wire/supervision.ts';
import { assertProviderInNetwork } from '../results/reports.ts';

export interface Who {
  userId: string;
  actor: Actor;
}

type FollowUpInput = SupervisionVisitInput['actions'][number];

/** A CPR number anywhere in free text is refused, naming the field it is in. */
function cprIssues(texts: Array<[path: string, text: string | undefined]>): FieldIssue[] {
  return texts.filter(([, text]) => text !== undefined && containsCpr(text)).map(([path]) => ({ path, message: CPR_MESSAGE.en }));
}

function followUpIssues(actions: readonly FollowUpInput[], prefix: string, visitDate: string): FieldIssue[] {
  return actions.flatMap((a, i) => [
    ...cprIssues([[`${prefix}.${i}.text`, a.text]]),
    ...(a.dueDate < visitDate ? [{ path: `${prefix}.${i}.dueDate`, message: `The follow-up is due before the visit (${visitDate})` }] : []),
  ]);
}

function refuseIssues(what: string, issues: FieldIssue[]): void {
  if (issues.length) throw new AppError('validation_failed', `The ${what} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

function assertHost(actor: Actor, networkId: string): void {
  if (!can(actor, { action: 'supervision.write', networkId })) throw new AppError('forbidden', 'Only the jobcenter (the host) logs and changes supervision visits.');
}

function assertMayRead(actor: Actor, visit: SupervisionVisitRow): void {
  if (!can(actor, { action: 'supervision.read', networkId: visit.network_id, providerId: visit.provider_id })) {
    throw new AppError('forbidden', 'Only the jobcenter and the visited provider see a supervision visit.');
  }
}

async function visitOrNotFound(db: Kysely<Database>, networkId: string, visitId: string): Promise<SupervisionVisitRow> {
  const visit = await findVisit(db, networkId, visitId);
  if (!visit) throw new AppError('not_found', 'No such supervision visit in this network.');
  return visit;
}

function newFollowUps(ctx: Pick<AppContext, 'newId'>, visit: Pick<SupervisionVisitRow, 'id' | 'network_id'>, actions: readonly FollowUpInput[], at: string): SupervisionActionRow[] {
  return actions.map((a) => ({
    id: ctx.newId(),
    visit_id: visit.id,
    network_id: visit.network_id,
    text: a.text,
    owner: a.owner,
    due_date: a.dueDate,
    status: 'open',
    done_at: null,
    created_at: at,
  }));
}

// ---------------------------------------------------------------- reading

const followUpDto = (a: SupervisionActionRow, today: string): FollowUp => ({
  id: a.id,
  visitId: a.visit_id,
  text: a.text,
  owner: a.owner as FollowUp['owner'],
  dueDate: a.due_date,
  status: a.status,
  doneAt: a.done_at,
  overdue: a.status === 'open' && a.due_date < today,
});

async function visitDtos(ctx: AppContext, networkId: string, visits: SupervisionVisitRow[]): Promise<SupervisionVisit[]> {
  const today = copenhagenDate(ctx.now());
  const providers = new Map((await providersOfNetwork(ctx.db, networkId)).map((p) => [p.id, p.name]));
  const actions = await actionsOfVisits(ctx.db, visits.map((v) => v.id));
  const people = await userNames(ctx.db, visits.flatMap((v) => [v.created_by, ...(v.responded_by ? [v.responded_by] : [])]));
  const person = (id: string) => ({ id, name: people.get(id) ?? '?' });
  return visits.map((v) => ({
    id: v.id,
    networkId: v.network_id,
    providerId: v.provider_id,
    providerName: providers.get(v.provider_id) ?? v.provider_id,
    visitDate: v.visit_date,
    kind: v.kind,
    findings: v.findings,
    status: v.status,
    response: v.provider_response !== null && v.responded_by && v.responded_at ? { text: v.provider_response, by: person(v.responded_by), at: v.responded_at } : null,
    actions: actions.filter((a) => a.visit_id === v.id).map((a) => followUpDto(a, today)),
    createdBy: person(v.created_by),
    createdAt: v.created_at,
    updatedAt: v.updated_at,
  }));
}

/** The providers whose visits the caller sees: every one for the host, its own for a provider; viewers none (403). */
async function visibleProviders(ctx: AppContext, actor: Actor, networkId: string): Promise<string[]> {
  const m = membershipIn(actor, networkId);
  if (!m || m.role === 'viewer') throw new AppError('forbidden', 'Supervision is between the jobcenter and each provider; viewers do not see it.');
  const providers = await providersOfNetwork(ctx.db, networkId);
  return providers.map((p) => p.id).filter((providerId) => can(actor, { action: 'supervision.read', networkId, providerId }));
}

export async function listVisits(ctx: AppContext, actor: Actor, networkId: string): Promise<SupervisionVisit[]> {
  const providerIds = await visibleProviders(ctx, actor, networkId);
  return visitDtos(ctx, networkId, await visitsOfNetwork(ctx.db, networkId, providerIds));
}

/** Open follow-ups past their due date (today in Copenhagen is not yet overdue), of the visits the caller sees. */
export async function overdueFollowUps(ctx: AppContext, actor: Actor, networkId: string): Promise<OverdueFollowUp[]> {
  const visible = new Set(await visibleProviders(ctx, actor, networkId));
  const names = new Map((await providersOfNetwork(ctx.db, networkId)).map((p) => [p.id, p.name]));
  const today = copenhagenDate(ctx.now());
  const rows = await overdueActions(ctx.db, networkId, today);
  return rows
    .filter((r) => visible.has(r.provider_id))
    .map((r) => ({ ...followUpDto(r, today), providerId: r.provider_id, providerName: names.get(r.provider_id) ?? r.provider_id, visitDate: r.visit_date }));
}

async function oneVisit(ctx: AppContext, networkId: string, visitId: string): Promise<SupervisionVisit> {
  const [dto] = await visitDtos(ctx, networkId, [await visitOrNotFound(ctx.db, networkId, visitId)]);
  return dto;
}

// ---------------------------------------------------------------- changing

export async function logVisit(ctx: AppContext, who: Who, networkId: string, providerId: string, input: SupervisionVisitInput): Promise<SupervisionVisit> {
  assertHost(who.actor, networkId);
  await assertProviderInNetwork(ctx.db, networkId, providerId);
  const today = copenhagenDate(ctx.now());
  refuseIssues('visit', [
    ...(input.visitDate > today ? [{ path: 'visitDate', message: `The visit date is after today (${today}); log a visit once it has taken place` }] : []),
    ...cprIssues([['findings', input.findings]]),
    ...followUpIssues(input.actions, 'actions', input.visitDate),
  ]);
  const at = ctx.now().toISOString();
  const visit: SupervisionVisitRow = {
    id: ctx.newId(),
    network_id: networkId,
    provider_id: providerId,
    visit_date: input.visitDate,
    kind: input.kind,
    findings: input.findings,
    status: 'open',
    provider_response: null,
    responded_by: null,
    responded_at: null,
    created_by: who.userId,
    created_at: at,
    updated_at: at,
  };
  const actions = newFollowUps(ctx, visit, input.actions, at);
  await ctx.db.transaction().execute(async (trx) => {
    await insertVisit(trx, visit);
    await insertActions(trx, actions);
    await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'supervision.create', subjectType: 'supervisionVisit', subjectId: visit.id, after: { visit, actions } });
  });
  return oneVisit(ctx, networkId, visit.id);
}

/** The host changes the findings or the status, or adds follow-ups. */
export async function changeVisit(ctx: AppContext, who: Who, networkId: string, visitId: string, change: SupervisionVisitChange): Promise<SupervisionVisit> {
  assertHost(who.actor, networkId);
  if (change.findings === undefined && change.status === undefined && !change.addActions?.length) {
    throw new AppError('validation_failed', 'Nothing to change: send findings, status or addActions.', [{ path: '(body)', message: 'Send findings, status or addActions' }]);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await visitOrNotFound(trx, networkId, visitId);
    refuseIssues('change', [...cprIssues([['findings', change.findings]]), ...followUpIssues(change.addActions ?? [], 'addActions', before.visit_date)]);
    const at = ctx.now().toISOString();
    const actionsBefore = await actionsOfVisits(trx, [visitId]);
    const after: SupervisionVisitRow = { ...before, findings: change.findings ?? before.findings, status: change.status ?? before.status, updated_at: at };
    const added = newFollowUps(ctx, before, change.addActions ?? [], at);
    await updateVisit(trx, visitId, { findings: after.findings, status: after.status, updated_at: at });
    await insertActions(trx, added);
    await appendAudit(trx, {
      id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'supervision.update', subjectType: 'supervisionVisit', subjectId: visitId,
      before: { visit: before, actions: actionsBefore },
      after: { visit: after, actions: [...actionsBefore, ...added] },
    });
  });
  return oneVisit(ctx, networkId, visitId);
}

/** A follow-up is marked done (or open again) by the host, or by the provider when the provider owns it. */
export async function changeFollowUp(ctx: AppContext, who: Who, networkId: string, visitId: string, actionId: string, change: FollowUpChange): Promise<SupervisionVisit> {
  await ctx.db.transaction().execute(async (trx) => {
    const visit = await visitOrNotFound(trx, networkId, visitId);
    assertMayRead(who.actor, visit);
    const before = (await actionsOfVisits(trx, [visitId])).find((a) => a.id === actionId);
    if (!before) throw new AppError('not_found', 'No such follow-up on this visit.');
    const byHost = can(who.actor, { action: 'supervision.write', networkId });
    const byOwningProvider = before.owner === 'provider' && can(who.actor, { action: 'supervision.respond', networkId, providerId: visit.provider_id });
    if (!byHost && !byOwningProvider) throw new AppError('forbidden', 'Only the jobcenter, or the provider when the follow-up is the provider’s, changes its status.');
    if (before.status === change.status) return;
    const at = ctx.now().toISOString();
    const after: SupervisionActionRow = { ...before, status: change.status, done_at: change.status === 'done' ? at : null };
    await updateAction(trx, actionId, { status: after.status, done_at: after.done_at });
    await updateVisit(trx, visitId, { updated_at: at });
    await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'supervision.followUp', subjectType: 'supervisionFollowUp', subjectId: actionId, before, after });
  });
  return oneVisit(ctx, networkId, visitId);
}

/** The visited provider attaches (or rewrites) its response; the earlier one stays in the audit log. */
export async function respondToVisit(ctx: AppContext, who: Who, networkId: string, visitId: string, response: string): Promise<SupervisionVisit> {
  refuseIssues('response', cprIssues([['response', response]]));
  await ctx.db.transaction().execute(async (trx) => {
    const before = await visitOrNotFound(trx, networkId, visitId);
    assertMayRead(who.actor, before);
    if (!can(who.actor, { action: 'supervision.respond', networkId, providerId: before.provider_id })) {
      throw new AppError('forbidden', 'Only the visited provider’s own members answer a supervision visit.');
    }
    const at = ctx.now().toISOString();
    const after: SupervisionVisitRow = { ...before, provider_response: response, responded_by: who.userId, responded_at: at, updated_at: at };
    await updateVisit(trx, visitId, { provider_response: response, responded_by: who.userId, responded_at: at, updated_at: at });
    await appendAudit(trx, { id: ctx.newId(), at, networkId, actorUserId: who.userId, action: 'supervision.respond', subjectType: 'supervisionVisit', subjectId: visitId, before, after });
  });
  return oneVisit(ctx, networkId, visitId);
}
