/**
 * Summary statistics for outcome reports: normal and Student t quantiles, the Wilson score
 * interval for a responder proportion and the paired mean change with its t interval.
 *
 * Pure and deterministic: no I/O, no clock, no randomness, no `node:` imports (runs in the
 * browser). Impossible input throws `ScienceInputError` naming the field; results that cannot
 * be computed from the data (too few patients) are `null`, never `NaN`.
 */
import { ScienceInputError, requireNumber } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Normal quantile
// ---------------------------------------------------------------------------------------------

// Coefficients of Wichura's algorithm AS 241 (PPND16), Applied Statistics 1988;37(3):477–484.
// Rational approximations in three regions; about 16 significant digits.
const AS241_CENTRAL_NUM = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const AS241_CENTRAL_DEN = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const;
const AS241_INTERMEDIATE_NUM = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const AS241_INTERMEDIATE_DEN = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
const AS241_TAIL_NUM = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const AS241_TAIL_DEN = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
] as const;

/** Evaluates c[0] + c[1]·x + … + c[k]·x^k by Horner's rule. */
function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + (coefficients[i] ?? 0);
  return value;
}

/**
 * Standard normal quantile Φ⁻¹(p): the z with P(Z ≤ z) = p.
 *
 * Source: Wichura MJ. Algorithm AS 241: The percentage points of the normal distribution.
 * Applied Statistics 1988;37(3):477–484 (PPND16, relative error about 1e-16).
 *
 * @param p probability, strictly between 0 and 1
 * @throws ScienceInputError when p is not in (0, 1)
 */
export function normalQuantile(p: number): number {
  requireOpenUnit(p, 'p');
  const q = p - 0.5;
  // AS 241 central region |p − 0.5| ≤ 0.425 (Wichura 1988)
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_CENTRAL_NUM, r)) / polynomial(AS241_CENTRAL_DEN, r);
  }
  // AS 241 tails: r = √(−ln(min(p, 1 − p))), split at r = 5 (Wichura 1988)
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(AS241_INTERMEDIATE_NUM, r) / polynomial(AS241_INTERMEDIATE_DEN, r);
  } else {
    r -= 5;
    value = polynomial(AS241_TAIL_NUM, r) / polynomial(AS241_TAIL_DEN, r);
  }
  return q < 0 ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Student t distribution
// ---------------------------------------------------------------------------------------------

// Lanczos approximation to ln Γ(x), g = 7, 9 terms (Lanczos 1964, SIAM J Numer Anal [M] details unverified;
// coefficient set attributed to Godfrey 2001 [M] unverified attribution; accuracy checked in
// statistics.test.ts against reference values of ln Γ).
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  requireNumber(x, 'x', { min: 0, minExclusive: true });
  // Γ(x) = Γ(x + 1)/x keeps the Lanczos sum in its accurate range (x ≥ ½)
  if (x < 0.5) return logGamma(x + 1) - Math.log(x);
  // Lanczos 1964: Γ(x) = √(2π) t^(x−½) e^(−t) A(x), t = x + g − ½, evaluated for x − 1
  const z = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) series += (LANCZOS_COEFFICIENTS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

const LENTZ_TINY = 1e-300;
const LENTZ_EPSILON = 1e-16;
const LENTZ_MAX_TERMS = 200_000;

/**
 * Regularized incomplete beta I_x(a, b), with y = 1 − x passed in by the caller so that values
 * of x near 1 keep their precision.
 *
 * Continued fraction of NIST DLMF §8.17(v) (eq. 8.17.22 [M] number unverified), evaluated by the
 * modified Lentz method (Thompson & Barnett 1986, J Comput Phys [M] unverified citation); uses the
 * symmetry I_x(a, b) = 1 − I_y(b, a) (DLMF §8.17) where the fraction converges slowly.
 */
function incompleteBetaRatio(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // The fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use the symmetry (DLMF §8.17)
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBetaRatio(y, x, b, a);
  // Prefactor x^a y^b / (a B(a, b)) of the DLMF §8.17(v) continued fraction
  const logFront = a * Math.log(x) + b * Math.log(y) - (logGamma(a) + logGamma(b) - logGamma(a + b)) - Math.log(a);
  // Modified Lentz on 1 + d1/(1 + d2/(1 + …)), d_{2m+1} and d_{2m} from DLMF §8.17(v)
  let f = 1;
  let c = 1;
  let d = 0;
  for (let j = 1; j <= LENTZ_MAX_TERMS; j++) {
    const m = Math.floor(j / 2);
    const term =
      j % 2 === 1
        ? -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        : (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + term * d;
    if (Math.abs(d) < LENTZ_TINY) d = LENTZ_TINY;
    c = 1 + term / c;
    if (Math.abs(c) < LENTZ_TINY) c = LENTZ_TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < LENTZ_EPSILON) return Math.exp(logFront) / f;
  }
  // Unreachable for the (a, b) this module uses; a loud failure beats a silent wrong interval.
  throw new Error(`incomplete beta continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/** P(T > t) for t ≥ 0 and T ~ Student t with `df` degrees of freedom. */
function studentTUpperTail(t: number, df: number): number {
  const t2 = t * t;
  // P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 1964, 26.5.27)
  return 0.5 * incompleteBetaRatio(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

/** Density of Student t with `df` degrees of freedom at t. */
function studentTDensity(t: number, df: number): number {
  // f(t) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) · (1 + t²/ν)^(−(ν+1)/2) (Student 1908, Biometrika 6:1)
  const logDensity =
    logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/**
 * Student t cumulative distribution P(T ≤ t).
 *
 * Source: Abramowitz & Stegun 1964, Handbook of Mathematical Functions, 26.5.27 (t tail through
 * the regularized incomplete beta function), evaluated with the DLMF §8.17(v) continued fraction.
 *
 * @param t the value (any finite number)
 * @param df degrees of freedom, > 0 (need not be an integer)
 */
export function studentTCdf(t: number, df: number): number {
  requireNumber(t, 't');
  requireNumber(df, 'df', { min: 0, minExclusive: true });
  const upper = studentTUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - upper : upper;
}

/**
 * Student t quantile: the t with P(T ≤ t) = p for `df` degrees of freedom (any df > 0).
 *
 * Method: the upper tail P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½) (Abramowitz & Stegun 26.5.27,
 * incomplete beta by the DLMF §8.17(v) continued fraction) is inverted by Newton's method on
 * ln P(T > t) against ln t, safeguarded by bisection, starting from the normal quantile (which
 * never exceeds the t quantile for p > ½). Relative error below 1e-10 for ν from 0.5 to 10⁶
 * (checked against SciPy), and against printed tables (t₀.₉₇₅ = 12.706 at ν = 1, 2.262 at 9,
 * 2.045 at 29) and the closed forms for ν = 1 and 2 in statistics.test.ts.
 *
 * @param p probability, strictly between 0 and 1
 * @param df degrees of freedom, > 0
 */
export function studentTQuantile(p: number, df: number): number {
  requireOpenUnit(p, 'p');
  requireNumber(df, 'df', { min: 0, minExclusive: true });
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tailProbability = 1 - p;
  const logTarget = Math.log(tailProbability);

  // Bracket in u = ln t: the t quantile is at least the normal quantile (heavier tails).
  let lowLog = Math.log(normalQuantile(p));
  let highLog = Number.POSITIVE_INFINITY;
  let u = lowLog;
  for (let iteration = 0; iteration < 200; iteration++) {
    const t = Math.exp(u);
    const tail = studentTUpperTail(t, df);
    const residual = Math.log(tail) - logTarget; // decreasing in u
    if (residual > 0) lowLog = Math.max(lowLog, u);
    else highLog = Math.min(highLog, u);
    if (Math.abs(residual) < 1e-14) return t;
    // d ln S / d ln t = −t f(t) / S(t)
    const slope = (-t * studentTDensity(t, df)) / tail;
    let next = u - residual / slope;
    const outside = !Number.isFinite(next) || next <= lowLog || next >= highLog;
    if (outside) next = Number.isFinite(highLog) ? (lowLog + highLog) / 2 : lowLog + 1;
    if (Math.abs(next - u) < 1e-15 * Math.max(1, Math.abs(u))) return Math.exp(next);
    u = next;
  }
  return Math.exp(u);
}

// ---------------------------------------------------------------------------------------------
// Proportions
// ---------------------------------------------------------------------------------------------

/** A proportion with its confidence interval; all null when there is no denominator (n = 0). */
export interface ProportionInterval {
  /** successes / n (the observed proportion, 0–1), or null when n = 0 */
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Wilson score interval for a binomial proportion (e.g. the share of responders).
 *
 * Sources: Wilson EB. Probable inference, the law of succession, and statistical inference.
 * J Am Stat Assoc 1927;22:209–212. Recommended over the Wald interval by Brown LD, Cai TT,
 * DasGupta A. Interval estimation for a binomial proportion. Stat Sci 2001;16:101–133.
 * Without continuity correction; matches Newcombe 1998 (Stat Med 17:857–872) method 3.
 *
 * @param successes number of successes, integer 0…n
 * @param n number of trials, integer ≥ 0 (0 gives nulls: no data, no interval)
 * @param confidence two-sided confidence level in (0, 1), default 0.95
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  requireCount(n, 'n');
  requireCount(successes, 'successes');
  if (successes > n) throw new ScienceInputError('successes', `an integer from 0 to n (${n})`);
  requireOpenUnit(confidence, 'confidence');
  if (n === 0) return { estimate: null, lower: null, upper: null };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const estimate = successes / n;
  const z2 = z * z;
  // Wilson 1927: centre (p̂ + z²/2n)/(1 + z²/n), half-width z√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n)
  const denominator = 1 + z2 / n;
  const centre = (estimate + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((estimate * (1 - estimate)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 and n successes the exact bound is 0 or 1; pin it so rounding cannot leave [0, 1].
  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === n ? 1 : Math.min(1, centre + halfWidth);
  return { estimate, lower, upper };
}

// ---------------------------------------------------------------------------------------------
// Mean change
// ---------------------------------------------------------------------------------------------

/** Paired mean change with its t interval. Change = follow-up − baseline (see `meanChange`). */
export interface MeanChange {
  /** number of complete pairs */
  n: number;
  /** mean of (follow-up − baseline); null when n = 0 */
  mean: number | null;
  /** sample SD of the differences (n − 1 denominator); null when n < 2 */
  sd: number | null;
  /** lower bound of the two-sided t interval; null when n < 2 */
  lower: number | null;
  /** upper bound of the two-sided t interval; null when n < 2 */
  upper: number | null;
}

/**
 * Mean within-patient change and its paired t confidence interval.
 *
 * Sign convention: change = follow-up − baseline, in the instrument's own units. For
 * instruments where higher is worse (NRS pain, ODI, PEG, RMDQ) an improvement is NEGATIVE
 * (ODI 40 → 25 is a change of −15 points); for higher-is-better scores (EQ VAS) it is positive.
 *
 * Formula: mean d̄ ± t(1 − α/2, n − 1) · s_d / √n (paired t interval, Student 1908; as in
 * outcomes.md §5). Report the baseline n beside this n: only complete pairs count here.
 *
 * @param pairs [baseline, followUp] per patient; both finite numbers (drop incomplete pairs first)
 * @param confidence two-sided confidence level in (0, 1), default 0.95
 */
export function meanChange(pairs: readonly (readonly [number, number])[], confidence = 0.95): MeanChange {
  if (!Array.isArray(pairs)) throw new ScienceInputError('pairs', 'an array of [baseline, followUp] pairs');
  requireOpenUnit(confidence, 'confidence');
  const differences = pairs.map((pair, index) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new ScienceInputError(`pairs[${index}]`, 'a [baseline, followUp] pair');
    const baseline = requireNumber(pair[0], `pairs[${index}][0]`);
    const followUp = requireNumber(pair[1], `pairs[${index}][1]`);
    return followUp - baseline;
  });
  const n = differences.length;
  if (n === 0) return { n, mean: null, sd: null, lower: null, upper: null };
  const mean = differences.reduce((sum, d) => sum + d, 0) / n;
  if (n < 2) return { n, mean, sd: null, lower: null, upper: null };
  // Sample variance with n − 1 denominator (two-pass: subtract the mean first for accuracy)
  const variance = differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (n - 1);
  const sd = Math.sqrt(variance);
  // Paired t interval: d̄ ± t(1 − α/2, n − 1) s_d/√n
  const halfWidth = (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, lower: mean - halfWidth, upper: mean + halfWidth };
}

/** Running sums of within-patient differences (follow-up − baseline), as a database aggregates them. */
export interface DifferenceSums {
  /** number of complete pairs */
  n: number;
  /** Σ d */
  sum: number;
  /** Σ d² */
  sumOfSquares: number;
}

/**
 * `meanChange` from sums instead of pairs, so a summary over a million episodes can be
 * aggregated in SQL (n, Σd, Σd²) and only the interval is computed here.
 *
 * Variance by the computational formula s² = (Σd² − (Σd)²/n)/(n − 1) (Welford 1962 discusses its
 * cancellation error: negligible here, where |d| ≤ 100 and the sums are exact in double
 * precision up to ~10¹¹ pairs); a tiny negative result from rounding is read as 0.
 */
export function meanChangeFromSums(sums: DifferenceSums, confidence = 0.95): MeanChange {
  const n = requireCount(sums?.n, 'n');
  const sum = requireNumber(sums.sum, 'sum');
  const sumOfSquares = requireNumber(sums.sumOfSquares, 'sumOfSquares', { min: 0 });
  requireOpenUnit(confidence, 'confidence');
  if (n === 0) return { n, mean: null, sd: null, lower: null, upper: null };
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: null, lower: null, upper: null };
  const variance = Math.max(0, (sumOfSquares - (sum * sum) / n) / (n - 1));
  const sd = Math.sqrt(variance);
  // Paired t interval: d̄ ± t(1 − α/2, n − 1) s_d/√n (as meanChange)
  const halfWidth = (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, lower: mean - halfWidth, upper: mean + halfWidth };
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

function requireOpenUnit(value: unknown, field: string): number {
  const allowed = 'a number strictly between 0 and 1';
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new ScienceInputError(field, allowed);
  }
  return value;
}

function requireCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ScienceInputError(field, 'a whole number ≥ 0');
  }
  return value;
}
