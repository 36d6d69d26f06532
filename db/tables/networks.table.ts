// Networks, the organisations in them (the host jobcenter and its providers) and who belongs to which.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IsoTime } from './columns.ts';

export interface NetworkTable {
  id: string;
  name: string;
  /** The jobcenter organisation that hosts the network. */
  host_organisation_id: string;
  target_group: string;
  /** Months between joint meetings: 2 by default ("about every second month"). */
  meeting_cadence_months: number;
  /** Share of active citizens a provider must keep in activation, in percent (Aalborg: 30). */
  activation_requirement_pct: number;
  created_at: IsoTime;
  /** Figures based on fewer citizens than this are shown as "too few to rate". */
  min_citizens_to_rate: Generated<number>;
  /** The metric the leaderboard leads with, chosen by the host. */
  leading_metric: Generated<string>;
}

export type NetworkRow = Selectable<NetworkTable>;
export type NewNetwork = Insertable<NetworkTable>;
export type NetworkUpdate = Updateable<NetworkTable>;

export type OrganisationKind = 'jobcenter' | 'provider';

export interface OrganisationTable {
  id: string;
  kind: OrganisationKind;
  name: string;
  /** Short label for tables and plots on a projector. */
  short_name: string;
  /** Danish company registration number (8 digits), unique: one company is one organisation across networks. */
  cvr: string | null;
  created_at: IsoTime;
}

export type OrganisationRow = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type OrganisationUpdate = Updateable<OrganisationTable>;

export interface NetworkProviderTable {
  network_id: string;
  organisation_id: string;
  /** Order the providers are listed and present in. */
  position: number;
  /** The current period: first month (YYYY-MM) it takes part in; null: from the network's start. */
  from_month: string | null;
  /** Last month (YYYY-MM) it takes part in; null: it has not left. */
  last_month: string | null;
}

export type NetworkProviderRow = Selectable<NetworkProviderTable>;
export type NewNetworkProvider = Insertable<NetworkProviderTable>;
export type NetworkProviderUpdate = Updateable<NetworkProviderTable>;

export type Role = 'host' | 'provider' | 'viewer';

export interface MembershipTable {
  id: string;
  user_id: string;
  network_id: string;
  role: Role;
  /** The provider organisation for role 'provider', the jobcenter for 'host', null for viewers. */
  organisation_id: string | null;
  created_at: IsoTime;
  /** Set while the membership is deactivated: the person keeps the account but not this network. */
  disabled_at: IsoTime | null;
  /** 1 when a provider member may invite and deactivate members of their own provider. */
  provider_admin: Generated<number>;
  invited_by: string | null;
}

export type MembershipRow = Selectable<MembershipTable>;
export type NewMembership = Insertable<MembershipTable>;
export type MembershipUpdate = Updateable<MembershipTable>;

/** A period that ended before the provider rejoined (the current one is on its network_providers row). */
export interface EarlierProviderPeriodTable {
  id: string;
  network_id: string;
  organisation_id: string;
  from_month: string | null;
  last_month: string;
}

export type EarlierProviderPeriodRow = Selectable<EarlierProviderPeriodTable>;
export type NewEarlierProviderPeriod = Insertable<EarlierProviderPeriodTable>;

/** What the jobcenter checked before contracting a new provider (the contract and first visit live in their own tables). */
export interface ProviderChecklistTable {
  network_id: string;
  organisation_id: string;
  /** Day (YYYY-MM-DD) of the pre-contract interview. */
  interview_on: string | null;
  /** How they solve the task and what they do when something does not work. */
  interview_notes: Generated<string>;
  /** JSON array of { who, checkedOn, outcome }. */
  references_json: Generated<string>;
  updated_at: IsoTime;
  updated_by: string | null;
}

export type ProviderChecklistRow = Selectable<ProviderChecklistTable>;
export type NewProviderChecklist = Insertable<ProviderChecklistTable>;
export type ProviderChecklistUpdate = Updateable<ProviderChecklistTable>;
