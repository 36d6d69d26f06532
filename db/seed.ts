// The demo network: a fictional jobcenter and six fictional providers for unemployed graduates,
// modelled on the source articles, with a year of monthly reports and three meetings.
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { addDays, addMonths } from '../domain/time.ts';
import { countUsers } from './queries/users.ts';
import { countNetworks } from './queries/networks.ts';

export const DEMO_PASSWORD = 'samspil-demo';

export interface SeedDeps {
  now: Date;
  newId: () => string;
  hashPassword: (password: string) => Promise<string>;
}

interface DemoProvider {
  name: string;
  shortName: string;
  members: Array<{ email: string; name: string }>;
  /** Tendency of the provider's figures: the articles' providers differ, none is hopeless. */
  strength: number;
}

export const DEMO_PROVIDERS: DemoProvider[] = [
  { name: 'Karrierebroen ApS', shortName: 'Karrierebroen', strength: 1.15, members: [
    { email: 'anna@provider1.example', name: 'Anna Holm' },
    { email: 'carl@provider1.example', name: 'Carl Vestergaard' },
  ] },
  { name: 'Nordlys Job & Kompetence', shortName: 'Nordlys', strength: 1.0, members: [{ email: 'bo@provider2.example', name: 'Bo Kjær' }] },
  { name: 'Fjordhuset Rekruttering', shortName: 'Fjordhuset', strength: 0.9, members: [{ email: 'dorthe@provider3.example', name: 'Dorthe Lund' }] },
  { name: 'Brobyg Akademikerservice', shortName: 'Brobyg', strength: 1.05, members: [{ email: 'emil@provider4.example', name: 'Emil Sørensen' }] },
  { name: 'Vækstpunkt Karriere', shortName: 'Vækstpunkt', strength: 0.85, members: [{ email: 'frida@provider5.example', name: 'Frida Mortensen' }] },
  { name: 'Trinvis Jobformidling', shortName: 'Trinvis', strength: 0.95, members: [{ email: 'gustav@provider6.example', name: 'Gustav Nygaard' }] },
];

export const DEMO_HOST = { email: 'host@jobcenter.example', name: 'Helle Jobcenter' };
export const DEMO_VIEWER = { email: 'viewer@jobcenter.example', name: 'Vibeke Deltager' };

/** Small deterministic generator (mulberry32) so the demo looks the same on every machine. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo's months count from the UTC month of `now`. */
const utcMonth = (at: Date) => at.toISOString().slice(0, 7);
/** A weekday at 09:00 Copenhagen time (08:00 UTC in winter, 07:00 in summer; 08:00 UTC is close enough for a demo). */
const meetingTime = (month: string, day: number) => new Date(`${month}-${String(day).padStart(2, '0')}T08:00:00.000Z`);

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await countUsers(db)) === 0 && (await countNetworks(db)) === 0;
}

export async function seedDemo(db: Kysely<Database>, deps: SeedDeps): Promise<{ networkId: string; users: number; reports: number; meetings: number }> {
  const { newId } = deps;
  const at = deps.now.toISOString();
  const passwordHash = await deps.hashPassword(DEMO_PASSWORD);
  const rnd = seededRandom(2026);
  let users = 0;
  let reports = 0;

  return db.transaction().execute(async (trx) => {
    const jobcenterId = newId();
    await trx.insertInto('organisations').values({ id: jobcenterId, kind: 'jobcenter', name: 'Jobcenter Nordby', short_name: 'Jobcenter Nordby', created_at: at }).execute();
    const networkId = newId();
    await trx.insertInto('networks').values({
      id: networkId,
      name: 'Akademikernetværket Nordby',
      host_organisation_id: jobcenterId,
      target_group: 'Ledige dimittender og akademikere',
      meeting_cadence_months: 2,
      activation_requirement_pct: 30,
      created_at: at,
    }).execute();

    const addUser = async (email: string, name: string, role: 'host' | 'provider' | 'viewer', organisationId: string | null, providerAdmin = false) => {
      const userId = newId();
      await trx.insertInto('users').values({ id: userId, email, name, password_hash: passwordHash, locale: 'da', created_at: at, disabled_at: null }).execute();
      await trx
        .insertInto('memberships')
        .values({ id: newId(), user_id: userId, network_id: networkId, role, organisation_id: organisationId, created_at: at, provider_admin: providerAdmin ? 1 : 0, invited_by: null })
        .execute();
      users++;
      return userId;
    };
    const hostId = await addUser(DEMO_HOST.email, DEMO_HOST.name, 'host', jobcenterId);
    await addUser(DEMO_VIEWER.email, DEMO_VIEWER.name, 'viewer', null);

    const providerIds: string[] = [];
    for (const [position, p] of DEMO_PROVIDERS.entries()) {
      const orgId = newId();
      providerIds.push(orgId);
      await trx.insertInto('organisations').values({ id: orgId, kind: 'provider', name: p.name, short_name: p.shortName, created_at: at }).execute();
      await trx.insertInto('network_providers').values({ network_id: networkId, organisation_id: orgId, position }).execute();
      let firstMemberId = hostId;
      for (const [i, m] of p.members.entries()) {
        // Each provider's first member administers its staff (invites and deactivates them).
        const id = await addUser(m.email, m.name, 'provider', orgId, i === 0);
        if (i === 0) firstMemberId = id;
      }

      // Twelve complete months, ending with the month before this one.
      const thisMonth = utcMonth(deps.now);
      for (let back = 12; back >= 1; back--) {
        const month = addMonths(thisMonth, -back);
        const referred = 6 + Math.floor(rnd() * 10);
        const active = 30 + Math.floor(rnd() * 28);
        const jobStarts = Math.max(0, Math.round((2 + rnd() * 6) * p.strength));
        const retained = Math.min(jobStarts, Math.round(jobStarts * (0.4 + rnd() * 0.5)));
        const responses = 8 + Math.floor(rnd() * 18);
        await trx.insertInto('monthly_reports').values({
          id: newId(),
          network_id: networkId,
          provider_id: orgId,
          month,
          version: 1,
          referred,
          active,
          job_starts: jobStarts,
          retained_13_of_26: retained,
          activation_pct: Math.round((24 + rnd() * 20) * 10) / 10,
          satisfaction_mean: Math.round((3.4 + rnd() * 1.3 * Math.min(1, p.strength)) * 10) / 10,
          satisfaction_responses: responses,
          reason: null,
          created_by: firstMemberId,
          created_at: new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 3, 10)).toISOString(), // the 3rd of the next month
        }).execute();
        reports++;
      }
    }

    // Pseudonymous course records: about 40 citizens per provider over the last 18 months, for
    // survival curves and intake-fair comparison. Longer unemployment before referral lowers the odds.
    const bands = [
      { band: '0-3 mdr', factor: 1.3 },
      { band: '3-6 mdr', factor: 1.0 },
      { band: '6-12 mdr', factor: 0.75 },
      { band: '12+ mdr', factor: 0.5 },
    ];
    const fields = ['Samfundsvidenskab', 'Humaniora', 'Naturvidenskab', 'Teknik', 'Sundhed'];
    const ages = ['under 30', '30-39', '40+'];
    const programmes = ['Jobsøgningskursus', 'Individuel coaching', 'Jobsamtaletræning', 'Virksomhedspraktik'];
    const day = 86400_000;
    const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
    for (const [p, orgId] of providerIds.entries()) {
      const courses = 34 + Math.floor(rnd() * 16);
      for (let i = 0; i < courses; i++) {
        const referral = deps.now.getTime() - Math.floor(rnd() * 540) * day;
        const band = bands[Math.floor(rnd() * bands.length)];
        const programme = programmes[Math.floor(rnd() * programmes.length)];
        const weeklyHazard = 0.035 * DEMO_PROVIDERS[p].strength * band.factor * (programme === 'Virksomhedspraktik' ? 1.25 : 1);
        const weeksToJob = Math.ceil(-Math.log(1 - rnd()) / weeklyHazard);
        const jobAt = referral + weeksToJob * 7 * day;
        const courseEnd = referral + 365 * day;
        const gotJob = weeksToJob <= 52 && jobAt <= deps.now.getTime();
        const ended = gotJob ? jobAt : courseEnd <= deps.now.getTime() ? courseEnd : null;
        const followedUp = gotJob && jobAt + 26 * 7 * day <= deps.now.getTime();
        await trx.insertInto('course_records').values({
          id: newId(),
          network_id: networkId,
          provider_id: orgId,
          case_key: `NB${p + 1}-${String(i + 1).padStart(4, '0')}`,
          programme,
          referral_date: isoDay(referral),
          end_date: ended === null ? null : isoDay(ended),
          first_job_date: gotJob ? isoDay(jobAt) : null,
          weeks_employed_of_26: followedUp ? Math.min(26, 6 + Math.floor(rnd() * 24)) : null,
          unemployment_band: band.band,
          education_field: fields[Math.floor(rnd() * fields.length)],
          age_band: ages[Math.floor(rnd() * ages.length)],
          created_by: hostId,
          created_at: at,
          updated_at: at,
        }).execute();
      }
    }

    // A contract per provider: four on Aalborg's performance model (each its own bid price), two on
    // Aarhus' fixed price, running from two years back to a year ahead, with framework commitments.
    const prices = [1_000_000, 1_150_000, 950_000, 1_080_000, 1_200_000, 1_100_000];
    const periodStart = `${addMonths(utcMonth(deps.now), -24)}-01`;
    const periodEnd = addDays(`${addMonths(utcMonth(deps.now), 13)}-01`, -1);
    for (const [p, orgId] of providerIds.entries()) {
      const contractId = newId();
      const fixed = p >= 4;
      const contract = { name: `${DEMO_PROVIDERS[p].name} ${periodStart.slice(0, 4)}–${periodEnd.slice(0, 4)}`, number: `K-${at.slice(0, 4)}-${String(p + 1).padStart(3, '0')}` };
      await trx.insertInto('contracts').values({ id: contractId, network_id: networkId, provider_id: orgId, ...contract, created_by: hostId, created_at: at }).execute();
      await trx.insertInto('contract_versions').values({
        contract_id: contractId,
        version: 1,
        effective_from: periodStart.slice(0, 7),
        period_start: periodStart,
        period_end: periodEnd,
        ended_on: null,
        model: fixed ? 'fixed' : 'performance',
        price_ore: prices[p],
        base_share_bp: 2500,
        success_share_bp: 7500,
        success_weeks: 13,
        success_window_weeks: 26,
        course_days: 365,
        activation_requirement_pct: 30,
        documentation_deadline_day: 10,
        commitments_json: JSON.stringify([
          { id: newId(), text: 'Mindst 30 % af de aktive borgere er i aktivering', measure: 'Aktiveringsandelen i månedsrapporten' },
          { id: newId(), text: 'Første samtale inden for 5 hverdage efter henvisning', measure: 'Stikprøve på 10 forløb ved tilsyn' },
          { id: newId(), text: 'Opfølgning hos arbejdsgiver i de første 13 uger af et job', measure: 'Udbyderens egen opgørelse, kvartalsvis' },
        ]),
        reason: null,
        created_by: hostId,
        created_at: at,
      }).execute();
    }

    // Two archived meetings (about every second month) and the next one.
    const meetings = [
      { offset: -3, status: 'closed' as const, title: 'Fælles erfaringsmøde: virksomhedspraktik der virker' },
      { offset: -1, status: 'closed' as const, title: 'Fælles erfaringsmøde: fastholdelse 13 af 26 uger' },
      { offset: 1, status: 'planned' as const, title: 'Fælles erfaringsmøde: kandidattilfredshed og aktivering' },
    ];
    for (const m of meetings) {
      const id = newId();
      const startsAt = meetingTime(addMonths(utcMonth(deps.now), m.offset), 12);
      await trx.insertInto('meetings').values({
        id,
        network_id: networkId,
        title: m.title,
        starts_at: startsAt.toISOString(),
        duration_minutes: 180,
        location: 'Jobcenter Nordby, mødelokale 2',
        status: m.status,
        sequence: 0,
        notes_held: 0,
        created_at: at,
        updated_at: at,
        closed_at: m.status === 'closed' ? new Date(startsAt.getTime() + 180 * 60_000).toISOString() : null,
      }).execute();
      const agenda = [
        { title: 'Velkomst og opfølgning på aktionspunkter', providerId: null, minutes: 15 },
        { title: 'Resultater side om side', providerId: null, minutes: 20 },
        ...providerIds.map((pid, i) => ({ title: `Oplæg: ${DEMO_PROVIDERS[i].shortName}`, providerId: pid, minutes: 15 })),
        { title: 'Beslutninger og næste møde', providerId: null, minutes: 15 },
      ];
      for (const [position, item] of agenda.entries()) {
        await trx.insertInto('agenda_items').values({ id: newId(), meeting_id: id, position, title: item.title, provider_id: item.providerId, minutes: item.minutes }).execute();
      }
    }

    await trx.insertInto('audit_log').values({
      id: newId(), network_id: networkId, actor_user_id: null, action: 'seed', subject_type: 'network', subject_id: networkId,
      before_json: null, after_json: JSON.stringify({ demo: true }), at,
    }).execute();

    return { networkId, users, reports, meetings: meetings.length };
  });
}
