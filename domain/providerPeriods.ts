// When a provider takes part in a network: its periods (from month through last month), and who
// takes part in a given month. Pure: the rows come from db/queries/networks.ts.

/** One period of a provider in a network; months are YYYY-MM, inclusive at both ends. */
export interface ProviderPeriod {
  /** First month; null: from the network's start. */
  fromMonth: string | null;
  /** Last month; null: it has not left. */
  lastMonth: string | null;
}

/** Whether one of the periods covers the month. */
export function takesPartIn(periods: readonly ProviderPeriod[], month: string): boolean {
  return periods.some((p) => (p.fromMonth === null || p.fromMonth <= month) && (p.lastMonth === null || month <= p.lastMonth));
}

/** Whether the provider takes part in at least one month from `from` through `to`. */
export function takesPartDuring(periods: readonly ProviderPeriod[], from: string, to: string): boolean {
  return periods.some((p) => (p.fromMonth === null || p.fromMonth <= to) && (p.lastMonth === null || from <= p.lastMonth));
}

/** The providers (in their given order) whose periods cover the month. */
export function activeProviders<P extends { periods: readonly ProviderPeriod[] }>(providers: readonly P[], month: string): P[] {
  return providers.filter((p) => takesPartIn(p.periods, month));
}

/** The providers (in their given order) that take part in some month of the period `from`–`to`. */
export function providersDuring<P extends { periods: readonly ProviderPeriod[] }>(providers: readonly P[], from: string, to: string): P[] {
  return providers.filter((p) => takesPartDuring(p.periods, from, to));
}

/** The provider's last month of all its periods, or null when one of them is still running. */
export function lastMonthOf(periods: readonly ProviderPeriod[]): string | null {
  if (periods.length === 0 || periods.some((p) => p.lastMonth === null)) return null;
  return periods.reduce((last, p) => (p.lastMonth! > last ? p.lastMonth! : last), periods[0].lastMonth!);
}

/** A stable key of the periods, for caches of figures that depend on them. */
export function periodsKey(periods: readonly ProviderPeriod[]): string {
  return periods.map((p) => `${p.fromMonth ?? ''}-${p.lastMonth ?? ''}`).sort().join(',');
}
