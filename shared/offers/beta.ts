import type { Random } from '../util/random';

/**
 * Gamma and Beta variates from the project's seeded Random.
 * Why hand-written: no small, well-kept npm package samples Beta from a
 * caller's seeded generator (the @stdlib samplers bring their own PRNG), and
 * the algorithms are short and standard:
 * Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
 * with the shape < 1 boost Gamma(a) = Gamma(a + 1) · U^(1/a); Beta(a, b) = X / (X + Y).
 */
export function sampleGamma(random: Random, shape: number): number {
  if (!(shape > 0)) throw new Error(`Gamma shape must be positive, got ${shape}`);
  if (shape < 1) {
    const u = 1 - random.next();
    return sampleGamma(random, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(random: Random, a: number, b: number): number {
  const x = sampleGamma(random, a);
  const y = sampleGamma(random, b);
  return x / (x + y);
}
