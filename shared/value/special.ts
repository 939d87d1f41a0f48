/**
 * Special functions for the value models.
 * lgamma and digamma come from stdlib (well kept, pure JS, runs in every layer).
 * The hypergeometric-type series below is hand-written because no maintained
 * npm package offers 2F1, and the BG/NBD only needs one well-behaved series
 * (see `bgNbdResidualSeries`).
 */
import digammaImpl from '@stdlib/math-base-special-digamma';
import gammalnImpl from '@stdlib/math-base-special-gammaln';

export const lgamma: (x: number) => number = gammalnImpl;
export const digamma: (x: number) => number = digammaImpl;

/** log(exp(a) + exp(b)) without overflow or underflow. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Logistic function that never overflows. */
export function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

const SERIES_MAX_TERMS = 1_000_000;
const SERIES_REL_TOL = 1e-15;

/**
 * S(z) = sum_{n>=1} (d)_n (a)_{n-1} / ((c+1)_{n-1} n!) z^n for 0 <= z < 1.
 *
 * Why this odd series: the BG/NBD conditional expectation contains
 * 2F1(r+x, b+x; a+b+x-1; z) times a factor (1-z)^(r+x). After Euler's
 * transformation and dividing out the removable singularities at a = 1 and
 * a+b+x-1 = 0, what is left is this series. Its terms decay like
 * n^(a-2-r-x) z^n, so it cannot overflow for heavy buyers (x in the hundreds)
 * and needs no special case for a near 1.
 */
export function bgNbdResidualSeries(d: number, a: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`series argument must be in [0, 1), got ${z}`);
  if (z === 0) return 0;
  let term = d * z; // n = 1: (d)_1 (a)_0 / ((c+1)_0 1!) z
  let sum = term;
  for (let n = 1; n < SERIES_MAX_TERMS; n++) {
    // term_{n+1} / term_n = (d+n)(a+n-1) z / ((c+n)(n+1))
    term *= ((d + n) * (a + n - 1) * z) / ((c + n) * (n + 1));
    sum += term;
    if (Math.abs(term) <= SERIES_REL_TOL * Math.abs(sum) && n > Math.abs(d) + Math.abs(a)) return sum;
    if (term === 0) return sum;
  }
  return sum;
}
