/**
 * Limited-memory BFGS for smooth convex objectives (the L2 logistic
 * regression). Why hand-written: ~80 lines, and the npm optimisers are either
 * unmaintained or pull in large matrix libraries for what is a small loop.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations?: number;
  memory?: number;
  /** Stop when the relative decrease of the objective falls below this. */
  tolerance?: number;
}

export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions = {}): { x: Float64Array; value: number; iterations: number } {
  const maxIterations = options.maxIterations ?? 500;
  const memory = options.memory ?? 10;
  const tolerance = options.tolerance ?? 1e-10;
  const p = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(p);
  let f = objective(x, g);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(p);
  const alphas = new Float64Array(memory);
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    // Two-loop recursion: direction = -H g.
    for (let i = 0; i < p; i++) direction[i] = -(g[i] as number);
    const k = sHistory.length;
    for (let h = k - 1; h >= 0; h--) {
      const a = (rhoHistory[h] as number) * dot(sHistory[h] as Float64Array, direction);
      alphas[h] = a;
      axpy(-a, yHistory[h] as Float64Array, direction);
    }
    if (k > 0) {
      const y = yHistory[k - 1] as Float64Array;
      const gamma = dot(sHistory[k - 1] as Float64Array, y) / dot(y, y);
      for (let i = 0; i < p; i++) direction[i] = (direction[i] as number) * gamma;
    } else {
      const norm = Math.sqrt(dot(g, g));
      if (norm === 0) break;
      for (let i = 0; i < p; i++) direction[i] = (direction[i] as number) / Math.max(1, norm);
    }
    for (let h = 0; h < k; h++) {
      const b = (rhoHistory[h] as number) * dot(yHistory[h] as Float64Array, direction);
      axpy((alphas[h] as number) - b, sHistory[h] as Float64Array, direction);
    }
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      for (let i = 0; i < p; i++) direction[i] = -(g[i] as number);
      slope = -dot(g, g);
      if (slope === 0) break;
    }
    // Backtracking line search (Armijo).
    let step = 1;
    const xNew = new Float64Array(p);
    const gNew = new Float64Array(p);
    let fNew = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < p; i++) xNew[i] = (x[i] as number) + step * (direction[i] as number);
      fNew = objective(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew <= f)) break;
    const s = new Float64Array(p);
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      s[i] = (xNew[i] as number) - (x[i] as number);
      y[i] = (gNew[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
      if (sHistory.length > memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
    }
    const decrease = f - fNew;
    x = xNew;
    g = gNew;
    f = fNew;
    if (decrease <= tolerance * Math.max(1, Math.abs(f))) break;
  }
  return { x, value: f, iterations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = (y[i] as number) + a * (x[i] as number);
}
