import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { expectInputError } from './testing/expect-input-error.js';
import { logGamma, meanChange, meanChangeFromSums, normalQuantile, studentTCdf, studentTQuantile, wilsonInterval } from './statistics.js';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('normalQuantile (Wichura AS 241)', () => {
  it('matches printed normal table values (3 decimals)', () => {
    // Printed standard normal table values (two-sided 90 %, 95 %, 99 %, 99.8 %)
    expect(normalQuantile(0.95)).toBeCloseTo(1.645, 3);
    expect(normalQuantile(0.975)).toBeCloseTo(1.96, 3);
    expect(normalQuantile(0.995)).toBeCloseTo(2.576, 3);
    expect(normalQuantile(0.999)).toBeCloseTo(3.09, 3);
  });

  it('matches reference values to about 1e-15 in every region of the approximation', () => {
    // Reference: SciPy 1.17 special.ndtri
    const cases: [number, number][] = [
      [0.8, 0.8416212335729143], // central region
      [0.975, 1.959963984540054], // intermediate tail
      [0.0001, -3.7190164854556804],
      [1e-10, -6.361340902404056],
      [1e-12, -7.034483825301131], // far tail (r > 5)
      [1e-20, -9.262340089798409],
      [1e-100, -21.273453560965322],
      [1e-300, -37.0470962993612],
    ];
    for (const [p, z] of cases) expect(relativeError(normalQuantile(p), z)).toBeLessThan(1e-14);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('is antisymmetric and increasing', () => {
    fc.assert(
      // p = k/2^30 so that 1 − p is exact in binary floating point
      fc.property(fc.integer({ min: 1, max: 2 ** 29 }), fc.integer({ min: 1, max: 2 ** 29 }), (k, l) => {
        const p = k / 2 ** 30;
        const q = l / 2 ** 30;
        expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 12);
        if (p < q) expect(normalQuantile(p)).toBeLessThanOrEqual(normalQuantile(q));
      }),
    );
  });

  it('rejects probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expectInputError(() => normalQuantile(p), 'p');
  });
});

describe('logGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(0.25)).toBeCloseTo(1.2880225246980774, 13); // SciPy gammaln
    expect(relativeError(logGamma(1e6), 12815504.569147611)).toBeLessThan(1e-14); // SciPy gammaln
  });
});

describe('studentTQuantile', () => {
  it('matches the printed t table (two-sided 95 %)', () => {
    // Printed Student t tables, t(0.975, df) etc., 3 decimals
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262, 3);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.045, 3);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962, 3);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.132, 3);
  });

  it('matches reference values to 1e-10 relative, small to very large df', () => {
    // Reference: SciPy 1.17 stats.t.ppf
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.9995, 1, 636.6192487687897],
      [0.9995, 2, 31.599054576445365],
      [0.975, 3, 3.1824463052837078],
      [0.975, 9, 2.262157162798205],
      [0.995, 29, 2.756385903670605],
      [0.975, 100, 1.9839715185235518],
      [0.975, 1000, 1.9623390808264083],
      [0.9995, 100000, 3.2906240314119137],
      [0.975, 0.5, 164.55767348048877],
    ];
    for (const [p, df, t] of cases) expect(relativeError(studentTQuantile(p, df), t)).toBeLessThan(1e-10);
  });

  it('matches the closed forms for df = 1 (Cauchy) and df = 2', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5001, max: 0.99999, noNaN: true }), (p) => {
        const cauchy = Math.tan(Math.PI * (p - 0.5));
        const df2 = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        expect(relativeError(studentTQuantile(p, 1), cauchy)).toBeLessThan(1e-9);
        expect(relativeError(studentTQuantile(p, 2), df2)).toBeLessThan(1e-9);
      }),
    );
  });

  it('inverts the CDF, is antisymmetric, and lies above the normal quantile, shrinking with df', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.51, max: 0.9999, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (p, df) => {
        const t = studentTQuantile(p, df);
        expect(studentTCdf(t, df)).toBeCloseTo(p, 10);
        expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 8);
        expect(t).toBeGreaterThanOrEqual(normalQuantile(p) - 1e-12);
        expect(studentTQuantile(p, df + 1)).toBeLessThanOrEqual(t + 1e-12);
      }),
    );
  });

  it('returns 0 at the median and rejects bad input', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expectInputError(() => studentTQuantile(1, 5), 'p');
    expectInputError(() => studentTQuantile(0.975, 0), 'df');
    expectInputError(() => studentTQuantile(0.975, Number.NaN), 'df');
  });
});

describe('studentTCdf', () => {
  it('matches reference values', () => {
    expect(studentTCdf(0, 5)).toBe(0.5);
    expect(studentTCdf(-2, 3)).toBeCloseTo(0.06966298427942152, 13); // SciPy stats.t.cdf
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13); // Cauchy: ½ + atan(1)/π
  });
});

describe('wilsonInterval', () => {
  it('reproduces Newcombe 1998 (Stat Med 17:857, Table II, method 3) to 4 decimals', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lower, upper] of cases) {
      const ci = wilsonInterval(x, n);
      expect(ci.estimate).toBeCloseTo(x / n, 12);
      expect(ci.lower).toBeCloseTo(lower, 4);
      expect(ci.upper).toBeCloseTo(upper, 4);
    }
  });

  it('matches a hand calculation: 5 of 10 at 95 % is 0.2366–0.7634', () => {
    // z = 1.959964; centre = (0.5 + z²/20)/(1 + z²/10) = 0.5; half = z·√(0.025 + z²/400)/(1 + z²/10)
    const ci = wilsonInterval(5, 10);
    expect(ci.lower).toBeCloseTo(0.236593090512564, 12);
    expect(ci.upper).toBeCloseTo(0.7634069094874361, 12);
  });

  it('uses the requested confidence level', () => {
    const ci90 = wilsonInterval(5, 10, 0.9);
    const ci99 = wilsonInterval(5, 10, 0.99);
    expect(ci90.lower).toBeCloseTo(0.2692718211382672, 12);
    expect(ci99.lower).toBeCloseTo(0.1842255182472355, 12);
  });

  it('pins the bounds at 0 and 1 at the extremes, and gives nulls for n = 0', () => {
    expect(wilsonInterval(0, 1)).toEqual({ estimate: 0, lower: 0, upper: expect.closeTo(0.7934506856227626, 12) });
    expect(wilsonInterval(1, 1).upper).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ estimate: null, lower: null, upper: null });
  });

  it('rejects impossible counts and levels', () => {
    expectInputError(() => wilsonInterval(11, 10), 'successes');
    expectInputError(() => wilsonInterval(-1, 10), 'successes');
    expectInputError(() => wilsonInterval(1.5, 10), 'successes');
    expectInputError(() => wilsonInterval(1, -3), 'n');
    expectInputError(() => wilsonInterval(1, 10, 1), 'confidence');
    expectInputError(() => wilsonInterval(1, 10, 95), 'confidence');
  });

  it('property: 0 ≤ lower ≤ estimate ≤ upper ≤ 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        ([x, n], confidence) => {
          const { estimate, lower, upper } = wilsonInterval(x, n, confidence);
          if (estimate === null || lower === null || upper === null) throw new Error('null interval for n > 0');
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(lower).toBeLessThanOrEqual(estimate);
          expect(estimate).toBeLessThanOrEqual(upper);
          expect(upper).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('property: the interval narrows as n grows at the same observed proportion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc.integer({ min: 2, max: 50 }),
        ([x, n], factor) => {
          const small = wilsonInterval(x, n);
          const large = wilsonInterval(x * factor, n * factor);
          const width = (ci: typeof small) => (ci.upper ?? NaN) - (ci.lower ?? NaN);
          expect(width(large)).toBeLessThan(width(small));
        },
      ),
    );
  });

  it('property: a higher confidence level gives a wider interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (x, extra) => {
        const n = x + extra + 1;
        const a = wilsonInterval(x, n, 0.9);
        const b = wilsonInterval(x, n, 0.99);
        expect((b.upper ?? 0) - (b.lower ?? 0)).toBeGreaterThan((a.upper ?? 0) - (a.lower ?? 0));
      }),
    );
  });
});

describe('meanChange', () => {
  const pairs: [number, number][] = [
    [6, 3],
    [7, 5],
    [5, 4],
    [8, 4],
    [6, 5],
  ];

  it('matches a hand-checked paired t interval', () => {
    // d = [−3, −2, −1, −4, −1]; mean −2.2; sd √(6.8/4) = 1.30384; t(0.975, 4) = 2.776445
    const result = meanChange(pairs);
    expect(result.n).toBe(5);
    expect(result.mean).toBeCloseTo(-2.2, 12);
    expect(result.sd).toBeCloseTo(1.3038404810405297, 12);
    expect(result.lower).toBeCloseTo(-3.8189317847087034, 10);
    expect(result.upper).toBeCloseTo(-0.5810682152912969, 10);
  });

  it('uses follow-up − baseline: improvement on a higher-is-worse score is negative', () => {
    expect(meanChange([[40, 25], [50, 35]]).mean).toBe(-15); // ODI 40 → 25
    expect(meanChange([[3, 7], [4, 8]]).mean).toBe(4);
  });

  it('gives null, never NaN, when there are too few pairs', () => {
    expect(meanChange([])).toEqual({ n: 0, mean: null, sd: null, lower: null, upper: null });
    expect(meanChange([[6, 4]])).toEqual({ n: 1, mean: -2, sd: null, lower: null, upper: null });
  });

  it('has zero width when every change is equal', () => {
    expect(meanChange([[5, 3], [7, 5], [9, 7]])).toEqual({ n: 3, mean: -2, sd: 0, lower: -2, upper: -2 });
  });

  it('names the offending pair', () => {
    expectInputError(() => meanChange([[1, 2], [Number.NaN, 3]]), 'pairs[1][0]');
    expectInputError(() => meanChange([[1, 2], [3, Number.POSITIVE_INFINITY]]), 'pairs[1][1]');
    expectInputError(() => meanChange([[1, 2, 3] as unknown as [number, number]]), 'pairs[0]');
    expectInputError(() => meanChange(pairs, 0), 'confidence');
  });

  it('property: the interval contains the mean and ignores a shift of both scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: -50, max: 50 }),
        (data, shift) => {
          const result = meanChange(data);
          const shifted = meanChange(data.map(([b, f]) => [b + shift, f + shift] as [number, number]));
          if (result.mean === null || result.lower === null || result.upper === null || result.sd === null) throw new Error('null for n ≥ 2');
          expect(result.sd).toBeGreaterThanOrEqual(0);
          expect(result.lower).toBeLessThanOrEqual(result.mean + 1e-9);
          expect(result.upper).toBeGreaterThanOrEqual(result.mean - 1e-9);
          expect(shifted.mean).toBeCloseTo(result.mean, 9);
          expect(shifted.lower).toBeCloseTo(result.lower, 9);
        },
      ),
    );
  });
});

describe('meanChangeFromSums (what a database aggregates)', () => {
  it('equals meanChange on the same pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 0, maxLength: 60 }), (pairs) => {
        const d = pairs.map(([b, f]) => f - b);
        const fromSums = meanChangeFromSums({ n: d.length, sum: d.reduce((a, x) => a + x, 0), sumOfSquares: d.reduce((a, x) => a + x * x, 0) });
        const direct = meanChange(pairs);
        expect(fromSums.n).toBe(direct.n);
        for (const key of ['mean', 'sd', 'lower', 'upper'] as const) {
          if (direct[key] === null) expect(fromSums[key]).toBeNull();
          else expect(fromSums[key]).toBeCloseTo(direct[key]!, 9);
        }
      }),
    );
  });

  it('reads a tiny negative variance from rounding as zero, and rejects impossible sums', () => {
    expect(meanChangeFromSums({ n: 3, sum: 0.3, sumOfSquares: 0.03 }).sd).toBe(0);
    expectInputError(() => meanChangeFromSums({ n: -1, sum: 0, sumOfSquares: 0 }), 'n');
    expectInputError(() => meanChangeFromSums({ n: 2, sum: 1, sumOfSquares: -1 }), 'sumOfSquares');
  });
});
