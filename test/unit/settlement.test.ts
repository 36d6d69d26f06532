// The settlement engine against DOMAIN.md's worked examples (test vectors), and its invariants on
// random contracts and courses.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatKroner, formatPercent, percentToBasisPoints, roundHalfUp } from '../../domain/money.ts';
import {
  buildStatement,
  courseProblems,
  settleCourse,
  termsProblems,
  type CourseFacts,
  type SettlementTerms,
} from '../../domain/settlement.ts';
import { addDays, addMonths, lastDayOf, monthsBetween } from '../../domain/time.ts';
import { buildVersionedStatement, versionForCourse, versionInForce } from '../../domain/contractVersions.ts';

const SEED = { seed: 20261123, numRuns: 500 };

const aalborg: SettlementTerms = {
  model: 'performance',
  priceOre: 1_000_000,
  baseShareBp: 2500,
  successShareBp: 7500,
  successWeeks: 13,
  successWindowWeeks: 26,
  courseDays: 365,
};
const course = (c: Partial<CourseFacts>): CourseFacts => ({ referralDate: '2026-01-01', endDate: null, jobStartDate: null, weeksEmployed: null, ...c });

describe('money', () => {
  it('rounds half-up once, formats Danish kroner and percentages', () => {
    expect(roundHalfUp({ num: 5n, den: 2n })).toBe(3);
    expect(roundHalfUp({ num: 7n, den: 3n })).toBe(2);
    expect(roundHalfUp({ num: 0n, den: 9n })).toBe(0);
    expect(formatKroner(1_000_000)).toBe('10.000,00 kr');
    expect(formatKroner(50_000)).toBe('500,00 kr');
    expect(formatKroner(123_456_789)).toBe('1.234.567,89 kr');
    expect(formatKroner(5)).toBe('0,05 kr');
    expect(formatPercent(2500)).toBe('25 %');
    expect(formatPercent(2250)).toBe('22,5 %');
    expect(formatPercent(1234)).toBe('12,34 %');
    expect(percentToBasisPoints(22.5)).toBe(2250);
    expect(() => percentToBasisPoints(22.555)).toThrow(/two decimals/);
  });
});

describe('DOMAIN.md test vectors (price 10.000,00 kr = 1,000,000 øre)', () => {
  it('referral 2026-01-01, end 2027-01-01, no job → 250,000 øre', () => {
    const s = settleCourse(aalborg, course({ endDate: '2027-01-01' }), { locale: 'en' });
    expect(s.totalOre).toBe(250_000);
    expect(s.lines[0]).toEqual({ kind: 'base', text: '25 % of 10.000,00 kr × 365/365 days = 2.500,00 kr', amountOre: 250_000 });
  });

  it('referral 2026-01-01, end 2026-03-15 (73 days), no job → 50,000 øre, explained as the issue words it', () => {
    const s = settleCourse(aalborg, course({ endDate: '2026-03-15' }), { locale: 'en' });
    expect(s.totalOre).toBe(50_000);
    expect(s.lines[0].text).toBe('25 % of 10.000,00 kr × 73/365 days = 500,00 kr');
    expect(s.lines.reduce((sum, l) => sum + l.amountOre, 0)).toBe(50_000);
    expect(settleCourse(aalborg, course({ endDate: '2026-03-15' })).lines[0].text).toBe('25 % af 10.000,00 kr × 73/365 dage = 500,00 kr');
  });

  it('a job held 13 of 26 weeks → 1,000,000 øre: the base share in full plus the further 7.500 kr', () => {
    const s = settleCourse(aalborg, course({ endDate: '2026-03-15', jobStartDate: '2026-03-15', weeksEmployed: 13 }), { locale: 'en' });
    expect(s.totalOre).toBe(1_000_000);
    expect(s.lines.map((l) => [l.kind, l.amountOre])).toEqual([
      ['base', 250_000],
      ['success', 750_000],
    ]);
    expect(s.lines[1].text).toBe('Ordinary employment 13 of 26 weeks (required 13): 75 % of 10.000,00 kr = 7.500,00 kr');
  });

  it('held 12 of 26 weeks → base share only', () => {
    const s = settleCourse(aalborg, course({ endDate: '2026-03-15', jobStartDate: '2026-03-15', weeksEmployed: 12 }));
    expect(s.totalOre).toBe(50_000);
    expect(s.pending).toBeNull();
  });

  it('days attached are capped at the course length', () => {
    expect(settleCourse(aalborg, course({ endDate: '2027-06-30' })).totalOre).toBe(250_000);
  });

  it('fixed price: the price per course, never a bonus; nothing after the contract ended', () => {
    const aarhus: SettlementTerms = { ...aalborg, model: 'fixed', priceOre: 1_250_000 };
    expect(settleCourse(aarhus, course({ endDate: '2026-02-01', jobStartDate: '2026-02-01', weeksEmployed: 26 }), { locale: 'en' })).toEqual({
      totalOre: 1_250_000,
      lines: [{ kind: 'fixed', text: 'Fixed price per course = 12.500,00 kr', amountOre: 1_250_000 }],
      pending: null,
      pendingOre: 0,
    });
    expect(settleCourse({ ...aarhus, endedOn: '2026-06-30' }, course({ referralDate: '2026-07-01' })).totalOre).toBe(0);
  });

  it('rounds half-up once, at the end (not per factor)', () => {
    // 999,999 × 25 % × 100/365 = 68,492.99… → 68,493
    const s = settleCourse({ ...aalborg, priceOre: 999_999 }, course({ endDate: addDays('2026-01-01', 100) }));
    expect(s.totalOre).toBe(68_493);
    // Two lines on success still add up exactly to the price.
    const odd = settleCourse({ ...aalborg, priceOre: 1_000_001 }, course({ endDate: '2026-02-01', jobStartDate: '2026-02-01', weeksEmployed: 20 }));
    expect(odd.lines.reduce((sum, l) => sum + l.amountOre, 0)).toBe(1_000_001);
  });
});

describe('what is decidable when (statements settle "as of" a date)', () => {
  it('a course still running is pending; a job whose window is open is pending until it closes', () => {
    expect(settleCourse(aalborg, course({}), { asOf: '2026-06-30' })).toMatchObject({ totalOre: 0, pending: 'course_running', pendingOre: 1_000_000 });
    const withJob = course({ endDate: '2026-03-15', jobStartDate: '2026-03-15', weeksEmployed: 5 });
    expect(settleCourse(aalborg, withJob, { asOf: '2026-04-30' })).toMatchObject({ totalOre: 50_000, pending: 'success_undecided', pendingOre: 950_000 });
    expect(settleCourse(aalborg, withJob, { asOf: '2026-09-13' })).toMatchObject({ totalOre: 50_000, pending: null });
    // Held 13 weeks is known 13 weeks after the start, not before.
    const held = { ...withJob, weeksEmployed: 13 };
    expect(settleCourse(aalborg, held, { asOf: addDays('2026-03-15', 90) }).pending).toBe('success_undecided');
    expect(settleCourse(aalborg, held, { asOf: addDays('2026-03-15', 91) }).totalOre).toBe(1_000_000);
  });

  it('a monthly statement carries each change once: base in the end month, the rest when success is known', () => {
    const courses = [{ key: 'K1', ...course({ endDate: '2026-03-15', jobStartDate: '2026-03-15', weeksEmployed: 13 }) }];
    const march = buildStatement(aalborg, courses, '2026-03', '2026-12-01');
    expect(march.totalOre).toBe(50_000);
    expect(march.pending).toEqual([{ key: 'K1', reason: 'success_undecided', pendingOre: 950_000 }]);
    expect(buildStatement(aalborg, courses, '2026-04', '2026-12-01').courses).toEqual([]);
    const june = buildStatement(aalborg, courses, '2026-06', '2026-12-01'); // 2026-03-15 + 91 days = 2026-06-14
    expect(june.totalOre).toBe(950_000);
    expect(june.courses[0].lines.map((l) => [l.kind, l.amountOre])).toEqual([
      ['base', 250_000],
      ['success', 750_000],
      ['earlier', -50_000],
    ]);
  });
});

describe('validation names the field', () => {
  it('shares not adding up, weeks beyond the window, a negative price, dates out of order', () => {
    expect(termsProblems({ ...aalborg, successShareBp: 7000 }).map((p) => p.path)).toEqual(['successSharePct']);
    expect(termsProblems({ ...aalborg, priceOre: -1 }).map((p) => p.path)).toEqual(['priceOre']);
    expect(termsProblems({ ...aalborg, successWeeks: 30 }).map((p) => p.path)).toEqual(['successWeeks']);
    expect(termsProblems({ ...aalborg, model: 'fixed', successShareBp: 0 })).toEqual([]);
    expect(courseProblems(course({ endDate: '2025-12-31' })).map((p) => p.path)).toEqual(['endDate']);
    expect(courseProblems(course({ jobStartDate: '2025-12-01' })).map((p) => p.path)).toEqual(['jobStartDate']);
  });
});

const dateArb = fc.integer({ min: 0, max: 3 * 365 }).map((d) => addDays('2025-01-01', d));
const termsArb: fc.Arbitrary<SettlementTerms> = fc
  .record({
    model: fc.constantFrom<'performance' | 'fixed'>('performance', 'fixed'),
    priceOre: fc.integer({ min: 0, max: 50_000_000 }),
    baseShareBp: fc.integer({ min: 0, max: 10_000 }),
    successWindowWeeks: fc.integer({ min: 1, max: 52 }),
    courseDays: fc.integer({ min: 30, max: 730 }),
  })
  .chain((t) =>
    fc.integer({ min: 1, max: t.successWindowWeeks }).map((successWeeks) => ({ ...t, successShareBp: 10_000 - t.baseShareBp, successWeeks })),
  );
const courseArb: fc.Arbitrary<CourseFacts> = fc
  .record({
    referralDate: dateArb,
    length: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    jobAfter: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    weeks: fc.integer({ min: 0, max: 52 }),
  })
  .map((c) => ({
    referralDate: c.referralDate,
    endDate: c.length === null ? null : addDays(c.referralDate, c.length),
    jobStartDate: c.jobAfter === null ? null : addDays(c.referralDate, c.jobAfter),
    weeksEmployed: c.jobAfter === null ? null : c.weeks,
  }));

describe('invariants (fast-check)', () => {
  it('an amount never exceeds the price, is never negative, and its lines add up to it', () => {
    fc.assert(
      fc.property(termsArb, courseArb, fc.option(dateArb, { nil: undefined }), (terms, c, asOf) => {
        const s = settleCourse(terms, c, { asOf });
        expect(s.totalOre).toBeGreaterThanOrEqual(0);
        expect(s.totalOre + s.pendingOre).toBeLessThanOrEqual(terms.priceOre);
        expect(s.lines.reduce((sum, l) => sum + l.amountOre, 0)).toBe(s.totalOre);
        expect(Number.isInteger(s.totalOre)).toBe(true);
      }),
      SEED,
    );
  });

  it('the base share never decreases with longer attachment', () => {
    fc.assert(
      fc.property(termsArb, dateArb, fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 100 }), (terms, referral, days, more) => {
        const shorter = settleCourse(terms, course({ referralDate: referral, endDate: addDays(referral, days) }));
        const longer = settleCourse(terms, course({ referralDate: referral, endDate: addDays(referral, days + more) }));
        expect(longer.totalOre).toBeGreaterThanOrEqual(shorter.totalOre);
      }),
      SEED,
    );
  });

  it('fixed-price contracts never pay a bonus', () => {
    fc.assert(
      fc.property(termsArb, courseArb, (terms, c) => {
        const s = settleCourse({ ...terms, model: 'fixed' }, c);
        expect(s.lines.some((l) => l.kind === 'success')).toBe(false);
        expect(s.totalOre).toBe(terms.priceOre);
      }),
      SEED,
    );
  });

  it('a statement sums its lines; month by month the statements add up to the final settlement', () => {
    fc.assert(
      fc.property(termsArb, fc.array(courseArb, { minLength: 1, maxLength: 8 }), (terms, cs) => {
        const courses = cs.map((c, i) => ({ key: `K${i}`, ...c }));
        let paid = 0;
        for (let y = 2025; y <= 2029; y++) {
          for (let m = 1; m <= 12; m++) {
            const statement = buildStatement(terms, courses, `${y}-${String(m).padStart(2, '0')}`, '2030-01-01');
            const lineSum = statement.courses.flatMap((c) => c.lines).reduce((sum, l) => sum + l.amountOre, 0);
            expect(statement.totalOre).toBe(lineSum);
            paid += statement.totalOre;
          }
        }
        const final = courses.reduce((sum, c) => sum + settleCourse(terms, c, { asOf: '2029-12-31' }).totalOre, 0);
        expect(paid).toBe(final);
      }),
      { ...SEED, numRuns: 60 },
    );
  });
});

describe('effective-dated contract versions', () => {
  const v = (version: number, effectiveFrom: string, priceOre: number) => ({ version, effectiveFrom, terms: { ...aalborg, priceOre } });

  it('the version in force is the newest whose month has come; before any, the first', () => {
    const versions = [v(1, '2026-01', 1), v(2, '2027-01', 2), v(3, '2026-06', 3)];
    expect(versionInForce(versions, '2025-12').version).toBe(1);
    expect(versionInForce(versions, '2026-05').version).toBe(1);
    expect(versionInForce(versions, '2026-06').version).toBe(3);
    // Version 3 was written after version 2 and takes effect earlier: it governs from then on.
    expect(versionInForce(versions, '2027-03').version).toBe(3);
  });

  const monthArb = fc.integer({ min: 0, max: 47 }).map((i) => addMonths('2025-01', i));
  const versionsArb = fc.array(fc.tuple(monthArb, termsArb), { minLength: 1, maxLength: 4 }).map((vs) => vs.map(([effectiveFrom, terms], i) => ({ version: i + 1, effectiveFrom, terms })));
  const months = monthsBetween('2025-01', '2028-12');

  it('a version taking effect after an approved month never changes that month or any before it', () => {
    fc.assert(
      fc.property(versionsArb, fc.array(courseArb, { minLength: 1, maxLength: 6 }), monthArb, fc.integer({ min: 1, max: 12 }), termsArb, (versions, cs, approved, later, terms) => {
        const courses = cs.map((c, i) => ({ key: `K${i}`, ...c }));
        const changed = [...versions, { version: versions.length + 1, effectiveFrom: addMonths(approved, later), terms }];
        for (const month of months.filter((m) => m <= approved)) {
          expect(buildVersionedStatement(changed, courses, month, '2030-01-01')).toEqual(buildVersionedStatement(versions, courses, month, '2030-01-01'));
        }
      }),
      { ...SEED, numRuns: 150 },
    );
  });

  it('each course keeps the terms it was referred under: its months add up to its settlement under them, every statement sums its lines', () => {
    fc.assert(
      fc.property(versionsArb, fc.array(courseArb, { minLength: 1, maxLength: 6 }), (versions, cs) => {
        const courses = cs.map((c, i) => ({ key: `K${i}`, ...c }));
        let paid = 0;
        for (const month of months) {
          const statement = buildVersionedStatement(versions, courses, month, '2030-01-01');
          for (const c of statement.courses) {
            expect(c.lines.reduce((sum, l) => sum + l.amountOre, 0)).toBe(c.amountOre);
            expect(c.version).toBe(versionForCourse(versions, courses.find((x) => x.key === c.key)!.referralDate).version);
          }
          expect(statement.courses.reduce((sum, c) => sum + c.amountOre, 0)).toBe(statement.totalOre);
          paid += statement.totalOre;
        }
        const last = lastDayOf(months[months.length - 1]);
        const final = courses.reduce((sum, c) => sum + settleCourse(versionForCourse(versions, c.referralDate).terms, c, { asOf: last }).totalOre, 0);
        expect(paid).toBe(final);
      }),
      { ...SEED, numRuns: 80 },
    );
  });
});

describe('weeks counted in another window than the contract measures', () => {
  const ended = { endDate: '2026-06-30', jobStartDate: '2026-06-01' };
  it('course records count within 26 weeks: enough of them decides a 13-of-52 contract, too few cannot', () => {
    const longer: SettlementTerms = { ...aalborg, successWindowWeeks: 52 };
    expect(settleCourse(longer, course({ ...ended, weeksEmployed: 20, weeksCountedWithin: 26 })).pending).toBeNull();
    expect(settleCourse(longer, course({ ...ended, weeksEmployed: 20, weeksCountedWithin: 26 })).totalOre).toBe(1_000_000);
    const short = settleCourse(longer, course({ ...ended, weeksEmployed: 5, weeksCountedWithin: 26 }), { locale: 'en' });
    expect(short.pending).toBe('success_undecided');
    expect(short.lines.at(-1)!.text).toBe('Success share pending: the course record has 5 weeks in work counted within 26 weeks, the contract measures within 52 weeks; decide by hand');
  });
  it('for a 10-of-13 contract too few weeks within 26 is a final no, enough cannot be confirmed', () => {
    const shorter: SettlementTerms = { ...aalborg, successWeeks: 10, successWindowWeeks: 13 };
    const few = settleCourse(shorter, course({ ...ended, weeksEmployed: 5, weeksCountedWithin: 26 }));
    expect(few.pending).toBeNull();
    expect(few.lines.some((l) => l.kind === 'success')).toBe(false);
    expect(settleCourse(shorter, course({ ...ended, weeksEmployed: 20, weeksCountedWithin: 26 })).pending).toBe('success_undecided');
  });
  it('the same window as the contract changes nothing', () => {
    const facts = course({ ...ended, weeksEmployed: 13 });
    expect(settleCourse(aalborg, { ...facts, weeksCountedWithin: 26 })).toEqual(settleCourse(aalborg, facts));
  });
});

