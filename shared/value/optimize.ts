/**
 * Unconstrained minimisation: Nelder-Mead restarts, then a BFGS polish.
 * Why hand-written: the npm options are either unmaintained (fmin, last
 * released 2017, no types) or barely used (optimization-js); the value models
 * need about 150 lines of textbook code (Nelder-Mead after Gao & Han 2012
 * adaptive coefficients; BFGS with a backtracking Armijo line search, Nocedal &
 * Wright ch. 6) that runs identically in Node and the browser.
 */

export type Objective = (x: readonly number[]) => number;
export type Gradient = (x: readonly number[]) => number[];

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the simplex values and points span less than these. */
  valueTolerance?: number;
  pointTolerance?: number;
  initialStep?: number;
}

/** A non-finite objective value counts as +Infinity, so the simplex walks away from it. */
function safe(f: Objective): Objective {
  return (x) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
}

export function nelderMead(objective: Objective, start: readonly number[], options: NelderMeadOptions = {}): MinimizeResult {
  const f = safe(objective);
  const n = start.length;
  const maxIterations = options.maxIterations ?? 2000 * n;
  const valueTolerance = options.valueTolerance ?? 1e-10;
  const pointTolerance = options.pointTolerance ?? 1e-10;
  const step = options.initialStep ?? 0.5;
  // Adaptive coefficients (Gao & Han) keep the method effective as n grows.
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;

  let simplex: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] = (p[i] as number) + step;
    simplex.push(p);
  }
  let values = simplex.map(f);

  const combine = (a: readonly number[], b: readonly number[], t: number): number[] =>
    a.map((ai, j) => ai + t * ((b[j] as number) - ai));

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
    simplex = order.map((i) => simplex[i] as number[]);
    values = order.map((i) => values[i] as number);
    const best = values[0] as number;
    const worst = values[n] as number;
    const spread = Math.max(
      ...simplex.slice(1).map((p) => Math.max(...p.map((v, j) => Math.abs(v - ((simplex[0] as number[])[j] as number))))),
    );
    if (Math.abs(worst - best) <= valueTolerance * (1 + Math.abs(best)) && spread <= pointTolerance) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((simplex[i] as number[])[j] as number) / n;
    const worstPoint = simplex[n] as number[];
    const reflected = combine(centroid, worstPoint, -alpha);
    const fr = f(reflected);
    if (fr < best) {
      const expanded = combine(centroid, worstPoint, -beta);
      const fe = f(expanded);
      if (fe < fr) {
        simplex[n] = expanded;
        values[n] = fe;
      } else {
        simplex[n] = reflected;
        values[n] = fr;
      }
      continue;
    }
    if (fr < (values[n - 1] as number)) {
      simplex[n] = reflected;
      values[n] = fr;
      continue;
    }
    const outside = fr < worst;
    const contracted = outside ? combine(centroid, worstPoint, -gamma) : combine(centroid, worstPoint, gamma);
    const fc = f(contracted);
    if (fc < (outside ? fr : worst)) {
      simplex[n] = contracted;
      values[n] = fc;
      continue;
    }
    const bestPoint = simplex[0] as number[];
    for (let i = 1; i <= n; i++) {
      simplex[i] = combine(bestPoint, simplex[i] as number[], delta);
      values[i] = f(simplex[i] as number[]);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[bestIndex] as number)) bestIndex = i;
  return { x: (simplex[bestIndex] as number[]).slice(), value: values[bestIndex] as number, iterations, converged };
}

export interface BfgsOptions {
  maxIterations?: number;
  gradientTolerance?: number;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, ai, i) => s + ai * (b[i] as number), 0);

export function bfgs(objective: Objective, gradient: Gradient, start: readonly number[], options: BfgsOptions = {}): MinimizeResult {
  const f = safe(objective);
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  let x = start.slice();
  let fx = f(x);
  let g = gradient(x);
  // Inverse Hessian approximation, starting from the identity.
  let h: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const gradNorm = Math.max(...g.map(Math.abs));
    if (!Number.isFinite(gradNorm)) break;
    if (gradNorm <= gradientTolerance * (1 + Math.abs(fx))) {
      converged = true;
      break;
    }
    let direction = h.map((row) => -dot(row, g));
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Not a descent direction: reset the curvature model and go downhill.
      h = h.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
      direction = g.map((v) => -v);
      slope = dot(direction, g);
    }
    let stepSize = 1;
    let next = x;
    let fNext = fx;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      next = x.map((xi, i) => xi + stepSize * (direction[i] as number));
      fNext = f(next);
      if (fNext <= fx + 1e-4 * stepSize * slope) {
        accepted = true;
        break;
      }
      stepSize *= 0.5;
    }
    if (!accepted) {
      converged = Math.max(...g.map(Math.abs)) <= 1e-5 * (1 + Math.abs(fx));
      break;
    }
    const gNext = gradient(next);
    const s = next.map((v, i) => v - (x[i] as number));
    const y = gNext.map((v, i) => v - (g[i] as number));
    const sy = dot(s, y);
    if (sy > 1e-12) {
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      const rho = 1 / sy;
      h = h.map((row, i) =>
        row.map(
          (hij, j) =>
            hij +
            (rho * rho * yhy + rho) * (s[i] as number) * (s[j] as number) -
            rho * ((hy[i] as number) * (s[j] as number) + (s[i] as number) * (hy[j] as number)),
        ),
      );
    }
    const improvement = fx - fNext;
    x = next;
    fx = fNext;
    g = gNext;
    if (improvement >= 0 && improvement <= 1e-15 * (1 + Math.abs(fx)) && Math.max(...g.map(Math.abs)) <= 1e-5 * (1 + Math.abs(fx))) {
      converged = true;
      break;
    }
  }
  return { x, value: fx, iterations, converged };
}

export interface MinimizeOptions {
  /** Starting points for the Nelder-Mead restarts. */
  starts: readonly (readonly number[])[];
  nelderMead?: NelderMeadOptions;
  bfgs?: BfgsOptions;
}

/**
 * Runs Nelder-Mead from every start, restarts it once from its own optimum
 * (a fresh simplex escapes premature collapse), then polishes the best point
 * with BFGS when a gradient is given.
 */
export function minimize(objective: Objective, gradient: Gradient | null, options: MinimizeOptions): MinimizeResult {
  let best: MinimizeResult | null = null;
  let iterations = 0;
  // The simplex only has to land in the right basin when BFGS polishes after it.
  const simplexOptions: NelderMeadOptions = gradient
    ? { pointTolerance: 1e-6, valueTolerance: 1e-9, ...options.nelderMead }
    : { ...options.nelderMead };
  for (const start of options.starts) {
    const first = nelderMead(objective, start, simplexOptions);
    const second = nelderMead(objective, first.x, { ...simplexOptions, initialStep: 0.1 });
    iterations += first.iterations + second.iterations;
    const candidate = second.value <= first.value ? second : first;
    if (best === null || candidate.value < best.value) best = candidate;
  }
  if (best === null) throw new Error('minimize needs at least one starting point');
  if (gradient) {
    const polished = bfgs(objective, gradient, best.x, options.bfgs);
    iterations += polished.iterations;
    if (polished.value <= best.value) best = { ...polished, converged: polished.converged || best.converged };
  }
  return { ...best, iterations };
}
