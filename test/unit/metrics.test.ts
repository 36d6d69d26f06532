// Provider metrics from monthly reports and course records, checked by hand and against the identities they must keep.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  expectedJobRates, InvalidReportsError, jobRateFromCourses, latestVersions, medianWeeksToJob, periodOf,
  providerMetrics, resultsByProgramme, type CourseRecord, type MonthlyReport,
} from '../../domain/metrics.ts';
import { monthsBetween } from '../../domain/time.ts';

const SEED = { seed: 20260403, numRuns: 200 };
const TOLERANCE = 4;

describe('periods', () => {
  it('lists every month between two months, both included', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
    expect(monthsBetween('2026-03', '2026-02')).toEqual([]);
    expect(() => monthsBetween('2026-13', '2026-02')).toThrow(RangeError);
  });

  it('finds the calendar quarter around a month', () => {
    expect(periodOf('quarter', '2026-05')).toMatchObject({ from: '2026-04', to: '2026-06', label: '2026-Q2' });
    expect(periodOf('quarter', '2025-12')).toMatchObject({ from: '2025-10', to: '2025-12', months: ['2025-10', '2025-11', '2025-12'], label: '2025-Q4' });
    expect(periodOf('month', '2026-01')).toMatchObject({ from: '2026-01', to: '2026-01', months: ['2026-01'] });
    expect(periodOf('contract', { from: '2026-02', to: '2027-01' }).months).toHaveLength(12);
    expect(() => periodOf('contract', { from: '2027-02', to: '2027-01' })).toThrow(RangeError);
  });
});

function report(month: string, figures: Partial<MonthlyReport> = {}): MonthlyReport {
  return {
    providerId: 'A', month, version: 1, referred: 8, active: 40, jobStarts: 4, retained13of26: 2, activationPct: 30,
    satisfactionMean: 4, satisfactionResponses: 10, ...figures,
  };
}

describe('latestVersions', () => {
  it("keeps each provider's latest version of a month", () => {
    const kept = latestVersions([report('2026-01', { version: 2, active: 41 }), report('2026-01'), report('2026-01', { providerId: 'B' })]);
    expect(kept.map((r) => [r.providerId, r.version, r.active])).toEqual([['A', 2, 41], ['B', 1, 40]]);
  });

  it('refuses two reports claiming the same version', () => {
    expect(() => latestVersions([report('2026-01'), report('2026-01')])).toThrow(RangeError);
  });
});

/*
 * Three months by hand:
 *   month    active  jobStarts  retained  activation%  satisfaction
 *   2026-01  40      4          3         35           4.0 × 10
 *   2026-02  50      5          2         28           3.0 × 10
 *   2026-03  30      3          3         30           —   × 0
 * Job rate 12/120 = 0.1; Wilson n = 120: d = 1.0320122, c = (0.1 + 0.0160061)/d = 0.1124077,
 *   h = (1.959964/d)·√(0.00075 + 0.0000667) = 1.8991760·0.0285780 = 0.0542741 → [0.0581336, 0.1666817].
 * Retention 8/12 = 0.6666667; Wilson n = 12: d = 1.3201216, c = (0.6666667 + 0.1600608)/d = 0.6262510,
 *   h = (1.959964/d)·√(0.0185185 + 0.0066692) = 1.4846808·0.1587064 = 0.2356289 → [0.3906221, 0.8618799].
 * Activation (35·40 + 28·50 + 30·30)/120 = 3700/120 = 30.8333 % — meets 30 %, not 40 %.
 * Satisfaction (4·10 + 3·10)/20 = 3.5 with n = 20 (interval worked out in statistics.test.ts).
 */
describe('providerMetrics', () => {
  const quarter = [
    report('2026-01', { active: 40, jobStarts: 4, retained13of26: 3, activationPct: 35, satisfactionMean: 4, satisfactionResponses: 10 }),
    report('2026-02', { active: 50, jobStarts: 5, retained13of26: 2, activationPct: 28, satisfactionMean: 3, satisfactionResponses: 10 }),
    report('2026-03', { active: 30, jobStarts: 3, retained13of26: 3, activationPct: 30, satisfactionMean: null, satisfactionResponses: 0 }),
  ];

  it('matches the hand computation', () => {
    const m = providerMetrics(quarter);
    expect(m.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(m.referred).toBe(24);
    expect(m.jobRate).toMatchObject({ count: 12, n: 120, estimate: 0.1 });
    expect(m.jobRate!.low).toBeCloseTo(0.0581336, TOLERANCE);
    expect(m.jobRate!.high).toBeCloseTo(0.1666817, TOLERANCE);
    expect(m.retention).toMatchObject({ count: 8, n: 12 });
    expect(m.retention!.low).toBeCloseTo(0.3906221, TOLERANCE);
    expect(m.retention!.high).toBeCloseTo(0.8618799, TOLERANCE);
    expect(m.activation!.sharePct).toBeCloseTo(30.8333333, 6);
    expect(m.activation).toMatchObject({ n: 120, requirementPct: 30, meetsRequirement: true });
    expect(m.satisfaction).toMatchObject({ estimate: 3.5, n: 20 });
  });

  it('takes the activation requirement from the contract', () => {
    expect(providerMetrics(quarter, { activationRequirementPct: 40 }).activation!.meetsRequirement).toBe(false);
  });

  it('counts months exactly at the requirement as meeting it', () => {
    const atRequirement = [report('2026-01', { activationPct: 30, active: 37 }), report('2026-02', { activationPct: 30, active: 41 })];
    expect(providerMetrics(atRequirement).activation!.meetsRequirement).toBe(true);
  });

  it('has no figures without a denominator', () => {
    const m = providerMetrics([report('2026-01', { active: 0, jobStarts: 0, retained13of26: 0, satisfactionResponses: 0, satisfactionMean: null })]);
    expect([m.jobRate, m.retention, m.activation, m.satisfaction]).toEqual([null, null, null, null]);
  });

  it('says which report keeps more jobs than it started', () => {
    const bad = [report('2026-01'), report('2026-02', { jobStarts: 2, retained13of26: 3 })];
    expect(() => providerMetrics(bad)).toThrow(InvalidReportsError);
    try {
      providerMetrics(bad);
    } catch (error) {
      expect((error as InvalidReportsError).problems).toEqual([
        { rule: 'retained_exceeds_job_starts', field: 'retained13of26', providerId: 'A', month: '2026-02', values: { retained13of26: 3, jobStarts: 2 } },
      ]);
      expect((error as InvalidReportsError).message).toBe('A 2026-02: Held 13 of 26 weeks (3) cannot exceed job starts (2).');
    }
  });

  it('refuses two versions of one month, counts that are not counts, and more job starts than citizen-months', () => {
    const codes = (rs: MonthlyReport[]) => {
      try {
        providerMetrics(rs);
        return [];
      } catch (error) {
        return (error as InvalidReportsError).problems.map((p) => p.rule);
      }
    };
    expect(codes([report('2026-01'), report('2026-01', { version: 2 })])).toEqual(['duplicate_month']);
    expect(codes([report('2026-01', { active: -1 })])).toContain('whole_number');
    expect(codes([report('2026-01', { activationPct: 120 })])).toEqual(['activation_range']);
    expect(codes([report('2026-01', { satisfactionMean: null })])).toEqual(['satisfaction_missing']);
    expect(codes([report('2026-01', { active: 1, jobStarts: 2, retained13of26: 0, satisfactionResponses: 1 })])).toEqual(['job_starts_exceed_active']);
  });

  const validMonth = fc.integer({ min: 0, max: 60 }).chain((active) =>
    fc.integer({ min: 0, max: active }).chain((jobStarts) =>
      fc.record({
        active: fc.constant(active), jobStarts: fc.constant(jobStarts), retained13of26: fc.integer({ min: 0, max: jobStarts }), activationPct: fc.double({ min: 0, max: 100, noNaN: true }),
        satisfactionResponses: fc.integer({ min: 0, max: active }),
      }),
    ),
  );

  it('never reports retention above 1, and every interval contains its estimate', () => {
    fc.assert(
      fc.property(fc.array(validMonth, { minLength: 1, maxLength: 12 }), (months) => {
        const m = providerMetrics(months.map((figures, i) => report(`2026-${String(i + 1).padStart(2, '0')}`, figures)));
        for (const figure of [m.jobRate, m.retention, m.satisfaction]) {
          if (figure) expect(figure.low <= figure.estimate && figure.estimate <= figure.high).toBe(true);
        }
        if (m.retention) expect(m.retention.count).toBeLessThanOrEqual(m.retention.n);
        if (m.retention) expect(m.retention.high).toBeLessThanOrEqual(1);
      }),
      SEED,
    );
  });
});

// Course records for the hand-worked network below: day 0 is 2026-01-01, the cut-off day 364.
const DAY0 = Date.UTC(2026, 0, 1);
const day = (d: number) => new Date(DAY0 + d * 86_400_000).toISOString().slice(0, 10);
const CUTOFF = day(364);
type Group = [string, string, string];
const G1: Group = ['long', 'stem', '30-39'];
const G2: Group = ['long', 'humanities', '30-39'];
const G3: Group = ['long', 'social', '40-49'];
const G4: Group = ['short', 'stem', '25-29'];

function course(caseKey: string, programme: string, [unemploymentBand, educationField, ageBand]: Group, job: number | null, end: number | null = null, referral = 0): CourseRecord {
  return {
    caseKey, providerId: caseKey[0], programme, referralDate: day(referral), endDate: end === null ? null : day(end),
    firstJobDate: job === null ? null : day(job), weeksEmployedOf26: null, intake: { unemploymentBand, educationField, ageBand },
  };
}

/*
 * 26 weeks = 182 days. Job within the window marked ✓.
 *   G1 long·stem·30-39, praktik: A1 ✓ day 50, A2 ✓ day 182 (the last day counts), A3 ✓ day 100,
 *        A4 ✗ ended day 30 without a job (still counts: intention to treat), B1 ✓ day 60, B2 ✗ job day 200 (too late)
 *   G2 long·humanities·30-39, mentor: A5 ✓ day 90, B3 ✗ still running
 *   G3 long·social·40-49, mentor: B4 ✓ day 120, B5 ✗ ended day 300, B6 ✗ running
 *   G4 short·stem·25-29, mentor: A6 ✓ day 10, A7 ✗ running
 *   A8 (G1, referred day 335) is not observable for 26 weeks and is left out.
 * Strata (minimum 5): G1 has 6 → own rate 4/6. G2 (2) and G3 (3) are small; pooled as the 'long' band: 5 courses,
 *   2 jobs → 0.4. G4 (2) is small and the 'short' pool has 2 → network left-overs: 2 courses, 1 job → 0.5.
 * Expected A = 4·(4/6) + 1·0.4 + 2·0.5 = 4.0666667, observed 5, ratio 1.2295082;
 *   Byar: lower count 5·(1 − 1/45 − 1.959964/(3·√5))³ = 1.6113477, upper 6·(1 − 1/54 + 1.959964/(3·√6))³ = 11.6681641
 *   → [0.3962330, 2.8692207]: as expected.
 * Expected B = 2·(4/6) + 1·0.4 + 3·0.4 = 2.9333333, observed 2 → 0.6818182 [0.0765768, 2.4616599]: as expected.
 * Σ expected = 7 = Σ observed.
 */
const NETWORK: CourseRecord[] = [
  course('A1', 'praktik', G1, 50), course('A2', 'praktik', G1, 182), course('A3', 'praktik', G1, 100), course('A4', 'praktik', G1, null, 30),
  course('B1', 'praktik', G1, 60), course('B2', 'praktik', G1, 200),
  course('A5', 'mentor', G2, 90), course('B3', 'mentor', G2, null),
  course('B4', 'mentor', G3, 120), course('B5', 'mentor', G3, null, 300), course('B6', 'mentor', G3, null),
  course('A6', 'mentor', G4, 10), course('A7', 'mentor', G4, null),
  course('A8', 'praktik', G1, 340, null, 335),
];

describe('job rates from course records', () => {
  it("counts jobs within 26 weeks among courses observable that long (A: 5 of 7; Wilson [0.3589345, 0.9177811])", () => {
    const rate = jobRateFromCourses(NETWORK.filter((c) => c.providerId === 'A'), { cutoff: CUTOFF })!;
    expect(rate).toMatchObject({ count: 5, n: 7 });
    expect(rate.low).toBeCloseTo(0.3589345, TOLERANCE);
    expect(rate.high).toBeCloseTo(0.9177811, TOLERANCE);
  });

  it('gives the median weeks to a job from the survival curve', () => {
    // Jobs at weeks 2, 4, 6, 8 of four courses: S = 0.75, 0.5 → median 4 weeks.
    const four = [14, 28, 42, 56].map((d, i) => course(`A${i}`, 'mentor', G1, d));
    expect(medianWeeksToJob(four, CUTOFF)).toMatchObject({ medianWeeks: 4, n: 4, events: 4 });
  });

  it('splits results by programme, network-wide and per provider', () => {
    const results = resultsByProgramme(NETWORK, { cutoff: CUTOFF });
    expect(results.map((r) => r.programme)).toEqual(['mentor', 'praktik']);
    const [mentor, praktik] = results;
    // mentor 3/7: Wilson [0.1582199, 0.7495416]; praktik 4/6: Wilson [0.2999933, 0.9032286]
    expect(mentor.network).toMatchObject({ count: 3, n: 7 });
    expect(mentor.network!.low).toBeCloseTo(0.1582199, TOLERANCE);
    expect(praktik.network).toMatchObject({ count: 4, n: 6 });
    expect(praktik.network!.high).toBeCloseTo(0.9032286, TOLERANCE);
    expect(mentor.providers.map((p) => [p.providerId, p.jobRate!.count, p.jobRate!.n])).toEqual([['A', 2, 3], ['B', 1, 4]]);
    expect(praktik.providers.map((p) => [p.providerId, p.jobRate!.count, p.jobRate!.n])).toEqual([['A', 3, 4], ['B', 1, 2]]);
  });

  it('has no rate when no course has been observable long enough', () => {
    expect(jobRateFromCourses([course('A9', 'mentor', G1, null, null, 300)], { cutoff: CUTOFF })).toBeNull();
  });
});

describe('expectedJobRates (indirect standardisation)', () => {
  const result = expectedJobRates(NETWORK, { cutoff: CUTOFF });

  it('pools small intake groups first by unemployment band, then network-wide', () => {
    expect(result.strata).toEqual([
      { level: 'intake', intake: { unemploymentBand: 'long', educationField: 'stem', ageBand: '30-39' }, n: 6, jobs: 4, rate: 4 / 6 },
      { level: 'unemploymentBand', intake: { unemploymentBand: 'long' }, n: 5, jobs: 2, rate: 0.4 },
      { level: 'network', intake: {}, n: 2, jobs: 1, rate: 0.5 },
    ]);
    expect(result.network).toEqual({ n: 13, observed: 7 });
  });

  it('matches the hand computation for each provider', () => {
    const [a, b] = result.providers;
    expect(a).toMatchObject({ providerId: 'A', n: 7, observed: 5, band: 'as_expected' });
    expect(a.expected).toBeCloseTo(4.0666667, 6);
    expect(a.ratio!.estimate).toBeCloseTo(1.2295082, 6);
    expect(a.ratio!.low).toBeCloseTo(0.396233, TOLERANCE);
    expect(a.ratio!.high).toBeCloseTo(2.8692207, TOLERANCE);
    expect(b).toMatchObject({ providerId: 'B', n: 6, observed: 2, band: 'as_expected' });
    expect(b.expected).toBeCloseTo(2.9333333, 6);
    expect(b.ratio!.low).toBeCloseTo(0.0765768, TOLERANCE);
    expect(b.ratio!.high).toBeCloseTo(2.4616599, TOLERANCE);
  });

  it('calls a clear difference above or below expected', () => {
    // One group of 80: A 30 of 40, B 10 of 40 → rate 0.5, both expect 20. Byar: A [1.0118470, 2.1414186], B [0.2393725, 0.9195729].
    const big = [
      ...Array.from({ length: 40 }, (_, i) => course(`A${i}`, 'mentor', G1, i < 30 ? 20 : null)),
      ...Array.from({ length: 40 }, (_, i) => course(`B${i}`, 'mentor', G1, i < 10 ? 20 : null)),
    ];
    expect(expectedJobRates(big, { cutoff: CUTOFF }).providers.map((p) => p.band)).toEqual(['above', 'below']);
  });

  it('has no ratio for a provider with nothing observable yet', () => {
    const young = expectedJobRates([...NETWORK, course('C1', 'mentor', G1, null, null, 300)], { cutoff: CUTOFF });
    expect(young.providers[2]).toMatchObject({ providerId: 'C', n: 0, observed: 0, expected: 0, ratio: null, band: null });
  });

  const randomCourse = fc.record({
    provider: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    group: fc.tuple(fc.constantFrom('short', 'long'), fc.constantFrom('stem', 'humanities', 'social'), fc.constantFrom('<30', '30-39', '40+')),
    referral: fc.integer({ min: 0, max: 364 }),
    job: fc.option(fc.integer({ min: 0, max: 400 })),
    end: fc.option(fc.integer({ min: 0, max: 400 })),
  });

  it('expects, summed over providers, exactly what the network observed', () => {
    fc.assert(
      fc.property(fc.array(randomCourse, { maxLength: 150 }), fc.integer({ min: 1, max: 10 }), (drawn, minGroupSize) => {
        const courses = drawn.map((d, i) =>
          course(`${d.provider}${i}`, 'mentor', d.group as Group, d.job === null ? null : d.referral + d.job, d.end === null ? null : d.referral + d.end, d.referral));
        const { providers, network, strata } = expectedJobRates(courses, { cutoff: CUTOFF, minGroupSize });
        const expected = providers.reduce((total, p) => total + p.expected, 0);
        expect(expected).toBeCloseTo(network.observed, 9);
        expect(providers.reduce((total, p) => total + p.observed, 0)).toBe(network.observed);
        expect(strata.reduce((total, s) => total + s.n, 0)).toBe(network.n);
        for (const p of providers) if (p.ratio) expect(p.ratio.low <= p.ratio.estimate && p.ratio.estimate <= p.ratio.high).toBe(true);
      }),
      SEED,
    );
  });
});
