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
}

export type MembershipRow = Selectable<MembershipTable>;
export type NewMembership = Insertable<MembershipTable>;
export type MembershipUpdate = Updateable<MembershipTable>;
