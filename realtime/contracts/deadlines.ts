// Documentation deadlines of a network as stored: the contracts' current terms and the months
// reported, judged by domain/deadlines.ts. The host sees every provider, a provider itself.
import type { Kysely } from 'kysely';
import { can, membershipIn, type Actor } from '../../domain/access.ts';
import { reportDeadlines, type ReportDue as Due } from '../../domain/deadlines.ts';
import { currentContracts } from '../../db/queries/contracts.ts';
import { takesPartIn } from '../../domain/providerPeriods.ts';
import { providersWithPeriods } from '../../db/queries/networks.ts';
import { reportedMonths } from '../../db/queries/reports.ts';
import type { Database } from '../../db/database.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { DeadlinesResponse, ReportDue } from '../wire/deadlines.ts';

/** Every provider's overdue and soon-due reports in a network at `now`, with provider names. */
export async function networkDeadlines(db: Kysely<Database>, networkId: string, now: Date): Promise<{ overdue: ReportDue[]; dueSoon: ReportDue[] }> {
  const [contracts, reported, providers] = await Promise.all([currentContracts(db, networkId), reportedMonths(db, networkId), providersWithPeriods(db, networkId)]);
  const names = new Map(providers.map((p) => [p.id, p.name]));
  // A contract with a provider that has since left the network owes nothing here.
  const terms = contracts
    .filter((c) => names.has(c.contract.provider_id))
    .map((c) => ({
      providerId: c.contract.provider_id,
      periodStart: c.current.period_start,
      periodEnd: c.current.period_end,
      endedOn: c.current.ended_on,
      deadlineDay: c.current.documentation_deadline_day,
    }));
  const status = reportDeadlines(terms, reported, now);
  const named = (d: Due): ReportDue => ({ ...d, providerName: names.get(d.providerId) ?? d.providerId });
  // A month the provider does not take part in (after it left, before it joined) is owed to no one.
  const periods = new Map(providers.map((p) => [p.id, p.periods]));
  const owed = (d: Due) => takesPartIn(periods.get(d.providerId) ?? [], d.month);
  return { overdue: status.overdue.filter(owed).map(named), dueSoon: status.dueSoon.filter(owed).map(named) };
}

/** GET /deadlines: the host sees all providers, a provider its own; viewers are refused. */
export async function deadlinesFor(ctx: AppContext, actor: Actor, networkId: string): Promise<DeadlinesResponse> {
  const m = membershipIn(actor, networkId);
  if (!m || m.role === 'viewer') throw new AppError('forbidden', 'The documentation deadlines are for the host and the providers.');
  const now = ctx.now();
  const all = await networkDeadlines(ctx.db, networkId, now);
  const visible = (d: ReportDue) => can(actor, { action: 'contract.read', networkId, providerId: d.providerId });
  return { networkId, asOf: now.toISOString(), overdue: all.overdue.filter(visible), dueSoon: all.dueSoon.filter(visible) };
}
