// The archive of a national deployment for the cluster benchmark's search measurement: networks
// with five years of meetings every second month, each meeting's minutes, method notes, decisions
// and action items in `archive_entries` and its search index (PostgreSQL's generated tsvector
// column, SQLite's archive_fts), written directly through Kysely, one transaction per network.
// Text is generated Danish in the archive's own register (deterministic: a seeded generator).
import { sql } from 'kysely';
import { hashPassword } from '../../realtime/auth/password.ts';
import { issueApiToken } from '../../realtime/auth/identity.ts';
import type { AppContext } from '../../realtime/context.ts';
import { seededRandom } from '../../db/seed.ts';

const CITIES = 'Aalborg Aarhus Odense Esbjerg Vejle Randers Viborg Horsens Kolding Herning Silkeborg Roskilde Næstved Slagelse Holbæk Hjørring Frederikshavn Skive Thisted Svendborg Sønderborg Haderslev Aabenraa Fredericia Holstebro Ringkøbing Middelfart Nyborg Faaborg Guldborgsund Lolland Vordingborg Køge Greve Hillerød Helsingør Frederikssund Gladsaxe Gentofte Ballerup'.split(' ');
const GROUPS = ['Akademikernetværket', 'Ungenetværket', 'Sygedagpengenetværket', 'Integrationsnetværket', 'Seniornetværket', 'Fleksjobnetværket'];
const TARGETS = ['ledige dimittender og akademikere', 'unge under 30 uden uddannelse', 'sygemeldte med lang fraværsperiode', 'flygtninge og familiesammenførte', 'ledige over 55 år', 'borgere visiteret til fleksjob'];
const PROVIDERS = ['Karrierebroen', 'Jobvejen', 'Kompetencehuset', 'Virksomhedsporten', 'Nye Veje', 'Brobyggerne', 'Mentorhuset', 'Arbejdsmarkedsakademiet', 'Trinet', 'Fremtidsfabrikken', 'Job & Trivsel', 'Kursushuset Nord'];
const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
const BRANCHES = ['byggeriet', 'detailhandlen', 'transport og logistik', 'ældreplejen', 'industrien', 'rengøring', 'IT-branchen', 'hotel og restauration', 'landbruget', 'den offentlige administration'];

const NOTE = {
  target: [
    'Målgruppen er {target}; flere end sidst har været ledige i over et år.',
    'Vi har modtaget {n} henvisninger i perioden, hovedsageligt {target}.',
    'Kandidaterne har ofte ingen relevant erhvervserfaring, men stærke faglige kompetencer.',
    'En del borgere har psykiske udfordringer som stress, angst eller depression ved opstart.',
    'Sprogbarrierer fylder stadig meget, især i de første uger af forløbet.',
  ],
  methods: [
    'Individuel coaching hver anden uge og virksomhedspraktik hos små og mellemstore virksomheder.',
    'Vi har indført mentorordninger med tidligere kandidater, der nu er i job.',
    'Korte praktikker på fire uger med en fast kontaktperson i virksomheden.',
    'Fælles jobsøgningsworkshops om CV, ansøgning og jobsamtale to gange om måneden.',
    'Virksomhedsbesøg i små grupper, så kandidaterne møder arbejdspladsen før praktikken.',
    'Opkvalificering med branchepakker inden for {branch} i samarbejde med erhvervsskolen.',
    'Løntilskud bruges målrettet, når praktikken viser et reelt jobperspektiv.',
    'Helhedsorienteret indsats, hvor sagsbehandler, mentor og virksomhedskonsulent mødes hver måned.',
    'Sprogpraktik kombineret med danskundervisning på arbejdspladsen.',
    'IPS-metoden med jobsøgning fra første dag og støtte efter ansættelsen.',
  ],
  worked: [
    'Mentorordningen: kandidaterne tør ringe til virksomhederne selv.',
    'Virksomhedspraktik i {branch} har givet {n} ordinære ansættelser siden {month}.',
    'Den faste kontaktperson i virksomheden gør fastholdelsen langt lettere.',
    'Gruppeforløbene skaber netværk mellem kandidaterne, og fremmødet er stabilt.',
    'Tæt opfølgning de første tretten uger efter jobstart har hævet fastholdelsen.',
    'Samarbejdet med jobcentrets virksomhedskonsulenter om rekruttering er blevet bedre.',
  ],
  struggled: [
    'Fælles jobsøgningsworkshops – fremmødet faldt efter tredje gang.',
    'Lange praktikker uden klar jobåbning gav få ansættelser.',
    'Sommerferien giver et hul i forløbene, hvor virksomhederne ikke tager praktikanter.',
    'Transporttiden til virksomhederne i yderområderne er en barriere for mange.',
    'Sygefravær blandt kandidaterne har forsinket flere forløb i {month}.',
    'Det er svært at finde praktikpladser i {branch} uden for de store byer.',
  ],
  results: [
    'Flere jobstarter i ordinær beskæftigelse end sidste periode; fastholdelsen holder.',
    '{n} jobstarter og {m} fastholdt 13 af 26 uger; tilfredsheden ligger på {s} ud af 5.',
    'Aktiveringsgraden er {p} procent, over kravet i kontrakten.',
    'Tilfredshedsmålingen viser, at kandidaterne især værdsætter den personlige kontakt.',
    'Resultaterne ligger på niveau med sidste møde; forskellen er inden for usikkerheden.',
  ],
  questions: [
    'Hvordan får I virksomhederne til at tage kandidater i praktik hen over sommeren?',
    'Er der andre, der har prøvet mentorer fra egne tidligere kandidater?',
    'Hvordan håndterer I kandidater, der bliver sygemeldt under praktikken?',
    'Kan netværket dele erfaringer med løntilskud i {branch}?',
    'Hvad gør I for at fastholde kandidaterne efter de første tretten uger?',
  ],
};
const MINUTES = [
  'Velkomst ved jobcentret; referatet fra sidste møde blev godkendt uden bemærkninger.',
  'Resultaterne blev gennemgået side om side; forskellene ligger inden for usikkerheden.',
  '{provider} fortalte om sine metoder; spørgsmål fra netværket om praktik og fastholdelse.',
  '{provider} præsenterede erfaringer med mentorordninger og virksomhedsbesøg.',
  'Drøftelse af de nye krav til dokumentation af aktiveringsgraden fra {month}.',
  'Jobcentret orienterede om den nye beskæftigelsesreform og betydningen for kontrakterne.',
  'Netværket drøftede, hvordan sommerferien påvirker praktikker i {branch}.',
  'Der var enighed om at dele skabeloner for praktikaftaler på tværs af udbyderne.',
  'Tilsynet i {month} gav anledning til spørgsmål om opfølgning på sygemeldte kandidater.',
  '{provider} efterlyste bedre overlevering fra sagsbehandlerne ved henvisning.',
  'Næste møde holdes i {month} hos {provider}; dagsordenen sendes ud to uger før.',
];
const DECISIONS = [
  'Alle udbydere deler deres praktikaftaler som skabelon.',
  'Mentorordninger afprøves af tre udbydere til næste møde.',
  'Netværket indfører fælles måling af fastholdelse efter 26 uger.',
  'Jobcentret holder de offentliggjorte metodenotater tilbage til mødets start.',
  'Sommerpraktikker planlægges allerede i {month}.',
];
const ACTIONS = [
  'Jobcentret samler praktikaftalerne og sender dem rundt.',
  '{provider} beskriver mentorordningen på én side.',
  'Virksomhedskonsulenterne laver en liste over praktikpladser i {branch}.',
  '{provider} undersøger transportstøtte til kandidater i yderområderne.',
];

export interface SeededArchive {
  /** Per network: its id and a host's API token (the searcher). */
  networks: Array<{ id: string; token: string }>;
  meetings: number;
  entries: number;
  textBytes: number;
  seedMs: number;
}

/** Seeds `networkCount` networks × `meetingsPerNetwork` closed meetings (every second month back from now), one transaction per network. */
export async function seedArchive(ctx: AppContext, networkCount: number, meetingsPerNetwork: number): Promise<SeededArchive> {
  const started = performance.now();
  const rnd = seededRandom(98);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const passwordHash = await hashPassword('benchmark-only-not-used');
  const at = ctx.now().toISOString();
  const networks: SeededArchive['networks'] = [];
  let entries = 0;
  let textBytes = 0;
  for (let n = 0; n < networkCount; n++) {
    const city = CITIES[n % CITIES.length];
    const group = GROUPS[n % GROUPS.length];
    const providers = Array.from({ length: 6 }, (_, i) => ({ id: ctx.newId(), name: PROVIDERS[(n + i * 5) % PROVIDERS.length] }));
    const fill = (template: string) =>
      template
        .replaceAll('{target}', TARGETS[n % TARGETS.length])
        .replaceAll('{branch}', pick(BRANCHES))
        .replaceAll('{month}', pick(MONTHS))
        .replaceAll('{provider}', pick(providers).name)
        .replaceAll('{n}', String(2 + Math.floor(rnd() * 30)))
        .replaceAll('{m}', String(1 + Math.floor(rnd() * 12)))
        .replaceAll('{s}', (3 + rnd() * 2).toFixed(1).replace('.', ','))
        .replaceAll('{p}', String(25 + Math.floor(rnd() * 20)));
    const some = (list: string[], min: number, max: number) => Array.from({ length: min + Math.floor(rnd() * (max - min + 1)) }, () => fill(pick(list))).join(' ');
    const networkId = ctx.newId();
    const hostUserId = ctx.newId();
    await ctx.db.transaction().execute(async (trx) => {
      const jobcenterId = ctx.newId();
      await trx.insertInto('organisations').values({ id: jobcenterId, kind: 'jobcenter', name: `Jobcenter ${city}`, short_name: `JC ${city}`, created_at: at }).execute();
      await trx
        .insertInto('networks')
        .values({ id: networkId, name: `${group} ${city} ${Math.floor(n / CITIES.length) + 1}`, host_organisation_id: jobcenterId, target_group: TARGETS[n % TARGETS.length], meeting_cadence_months: 2, activation_requirement_pct: 30, created_at: at })
        .execute();
      await trx.insertInto('organisations').values(providers.map((p) => ({ id: p.id, kind: 'provider' as const, name: `${p.name} ${city}`, short_name: p.name, created_at: at }))).execute();
      await trx.insertInto('network_providers').values(providers.map((p, position) => ({ network_id: networkId, organisation_id: p.id, position }))).execute();
      await trx.insertInto('users').values({ id: hostUserId, email: `vaert.${n}@jobcenter-${n}.example`, name: `Vært ${city} ${n}`, password_hash: passwordHash, locale: 'da', created_at: at, disabled_at: null }).execute();
      await trx.insertInto('memberships').values({ id: ctx.newId(), user_id: hostUserId, network_id: networkId, role: 'host', organisation_id: jobcenterId, created_at: at }).execute();

      const now = new Date(ctx.now());
      const meetings = Array.from({ length: meetingsPerNetwork }, (_, i) => {
        const startsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2 * (meetingsPerNetwork - i), 10 + (n % 15), 9));
        return {
          id: ctx.newId(),
          network_id: networkId,
          title: `Netværksmøde ${MONTHS[startsAt.getUTCMonth()]} ${startsAt.getUTCFullYear()}`,
          starts_at: startsAt.toISOString(),
          duration_minutes: 180,
          location: `Jobcenter ${city}, mødelokale ${1 + (i % 4)}`,
          status: 'closed' as const,
          sequence: 0,
          notes_held: 0,
          created_at: at,
          updated_at: at,
          closed_at: new Date(startsAt.getTime() + 180 * 60_000).toISOString(),
        };
      });
      await trx.insertInto('meetings').values(meetings).execute();
      const rows = meetings.flatMap((m) => [
        { kind: 'minutes' as const, provider_id: null, published: 1, title: `Referat: ${m.title}`, body: some(MINUTES, 8, 14) },
        ...providers.map((p) => ({
          kind: 'methodNote' as const,
          provider_id: p.id,
          published: rnd() < 0.9 ? 1 : 0,
          title: `Metodenotat: ${p.name} ${city}`,
          body: [some(NOTE.target, 1, 2), some(NOTE.methods, 2, 4), some(NOTE.worked, 1, 3), some(NOTE.struggled, 1, 2), some(NOTE.results, 1, 2), some(NOTE.questions, 1, 1)].join('\n\n'),
        })),
        ...Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({ kind: 'decision' as const, provider_id: null, published: 1, title: 'Beslutning', body: fill(pick(DECISIONS)) })),
        ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
          const owner = pick(providers).name;
          return { kind: 'action' as const, provider_id: null, published: 1, title: `Aktionspunkt (${owner})`, body: fill(pick(ACTIONS)) };
        }),
      ].map((e) => ({ ...e, id: ctx.newId(), network_id: networkId, meeting_id: m.id })));
      entries += rows.length;
      textBytes += rows.reduce((s, r) => s + Buffer.byteLength(r.title) + Buffer.byteLength(r.body), 0);
      // In slices, well under either engine's limit of bound parameters per statement.
      for (let i = 0; i < rows.length; i += 500) {
        const slice = rows.slice(i, i + 500);
        await trx.insertInto('archive_entries').values(slice).execute();
        if (ctx.dialect === 'sqlite') await sql`insert into archive_fts (entry_id, title, body) values ${sql.join(slice.map((r) => sql`(${r.id}, ${r.title}, ${r.body})`))}`.execute(trx);
      }
    });
    const { token } = await issueApiToken(ctx, hostUserId, 'cluster benchmark');
    networks.push({ id: networkId, token });
  }
  // The planner's statistics, as autovacuum would have them a minute later in production.
  if (ctx.dialect === 'postgres') await sql`analyze archive_entries, meetings`.execute(ctx.db);
  return { networks, meetings: networkCount * meetingsPerNetwork, entries, textBytes, seedMs: performance.now() - started };
}

/** The query mix: what people look for in the archive (frequent and rare words, several words, a name, a prefix, nothing found). */
export const SEARCH_QUERIES: Array<{ q: string; kind: string }> = [
  { q: 'praktik', kind: 'frequent word' },
  { q: 'mentorordning', kind: 'frequent word' },
  { q: 'fastholdelse', kind: 'frequent word' },
  { q: 'sommerferien', kind: 'less frequent word' },
  { q: 'transportstøtte', kind: 'rare word' },
  { q: 'løntilskud byggeriet', kind: 'two words' },
  { q: 'sygemeldt under praktikken', kind: 'three words' },
  { q: 'Karrierebroen', kind: 'provider name' },
  { q: 'IPS-metoden', kind: 'hyphenated' },
  { q: 'beskæftigelsesreform', kind: 'rare word' },
  { q: 'kvantecomputer', kind: 'no hits' },
];
