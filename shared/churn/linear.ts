import { minimizeLbfgs } from './lbfgs';
import type { FeatureSpec } from './schema';

/**
 * L2-regularised logistic regression on one-hot levels and standardised
 * numerics. Each design column belongs to one feature, so a prediction splits
 * exactly into per-feature contributions w_c * (x_c - mean_c).
 *
 * Fitted by damped Newton (Cholesky) for up to 300 columns, L-BFGS beyond.
 * Why hand-written: the fit must build the Hessian from the sparse one-hot
 * rows and run in the browser as well as Node; the solver is ~40 lines, less
 * than wiring a general matrix library (e.g. ml-matrix) into shared/.
 */

export type LinearColumn =
  | { feature: number; kind: 'numeric'; center: number; scale: number }
  | { feature: number; kind: 'missing' }
  | { feature: number; kind: 'level'; code: number };

export interface LinearModel {
  lambda: number;
  intercept: number;
  columns: LinearColumn[];
  weights: number[];
  /** Training mean of each design column: the reference point of the contributions. */
  means: number[];
}

/** Standardised values are clipped here so one extreme value cannot dominate a prediction. */
export const LINEAR_CLIP = 6;

export function linearColumns(features: readonly FeatureSpec[]): LinearColumn[] {
  const columns: LinearColumn[] = [];
  features.forEach((f, j) => {
    if (f.kind === 'numeric') columns.push({ feature: j, kind: 'numeric', center: f.mean, scale: f.sd });
    else for (let code = 0; code <= f.levels.length; code++) columns.push({ feature: j, kind: 'level', code });
    if (f.missingRate > 0) columns.push({ feature: j, kind: 'missing' });
  });
  return columns;
}

/** Value of one design column for an encoded feature value. */
export function columnValue(column: LinearColumn, x: number): number {
  const missing = Number.isNaN(x);
  switch (column.kind) {
    case 'missing':
      return missing ? 1 : 0;
    case 'level':
      return !missing && x === column.code ? 1 : 0;
    case 'numeric': {
      if (missing) return 0;
      const z = (x - column.center) / column.scale;
      return z > LINEAR_CLIP ? LINEAR_CLIP : z < -LINEAR_CLIP ? -LINEAR_CLIP : z;
    }
  }
}

/**
 * The design matrix in fixed-width sparse form: every feature fills the same
 * number of slots in every row (numeric: value and, if present, its missing
 * flag; categorical: the one active level or missing column), so row i holds
 * `width` (column, value) pairs starting at i * width. One-hot columns are
 * mostly zero, and this keeps the fitting cost proportional to the features,
 * not to the number of levels.
 */
export interface SparseDesign {
  n: number;
  /** Number of design columns. */
  p: number;
  width: number;
  columns: Int32Array;
  values: Float64Array;
}

export function sparseDesign(linearColumnList: readonly LinearColumn[], d: number, encoded: Float64Array, n: number): SparseDesign {
  const byFeature: number[][] = Array.from({ length: d }, () => []);
  linearColumnList.forEach((column, c) => byFeature[column.feature]?.push(c));
  const slots = byFeature.map((cols) => {
    const kinds = cols.map((c) => (linearColumnList[c] as LinearColumn).kind);
    return kinds.includes('level') ? 1 : kinds.length;
  });
  const width = slots.reduce((s, k) => s + k, 0);
  const columns = new Int32Array(n * width);
  const values = new Float64Array(n * width);
  let slot = 0;
  byFeature.forEach((cols, j) => {
    const base = j * n;
    if (slots[j] === 1 && cols.length > 1) {
      // Categorical: one active column per row (a level, or missing); a value with no column contributes 0.
      const levelColumn = new Map<number, number>();
      let missingColumn = -1;
      for (const c of cols) {
        const column = linearColumnList[c] as LinearColumn;
        if (column.kind === 'level') levelColumn.set(column.code, c);
        else if (column.kind === 'missing') missingColumn = c;
      }
      for (let i = 0; i < n; i++) {
        const x = encoded[base + i] as number;
        const c = Number.isNaN(x) ? missingColumn : (levelColumn.get(x) ?? -1);
        columns[i * width + slot] = c < 0 ? (cols[0] as number) : c;
        values[i * width + slot] = c < 0 ? 0 : 1;
      }
      slot += 1;
      return;
    }
    for (const c of cols) {
      const column = linearColumnList[c] as LinearColumn;
      for (let i = 0; i < n; i++) {
        columns[i * width + slot] = c;
        values[i * width + slot] = columnValue(column, encoded[base + i] as number);
      }
      slot += 1;
    }
  });
  return { n, p: linearColumnList.length, width, columns, values };
}

/** The rows `index` of a design. */
export function designRows(design: SparseDesign, index: readonly number[]): SparseDesign {
  const { width } = design;
  const columns = new Int32Array(index.length * width);
  const values = new Float64Array(index.length * width);
  index.forEach((i, k) => {
    columns.set(design.columns.subarray(i * width, i * width + width), k * width);
    values.set(design.values.subarray(i * width, i * width + width), k * width);
  });
  return { n: index.length, p: design.p, width, columns, values };
}

export interface LinearFit {
  intercept: number;
  weights: Float64Array;
}

/** Above this many design columns the O(p^3) Newton step gives way to L-BFGS. */
const NEWTON_MAX_COLUMNS = 300;

/** Minimises total log-loss + lambda/2 * |w|^2 (intercept not penalised). */
export function fitLogistic(design: SparseDesign, labels: Uint8Array, lambda: number, warmStart?: LinearFit): LinearFit {
  const { n, p } = design;
  const start = new Float64Array(p + 1);
  if (warmStart) {
    start[0] = warmStart.intercept;
    start.set(warmStart.weights, 1);
  } else {
    let positives = 0;
    for (let i = 0; i < n; i++) positives += labels[i] as number;
    const prior = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
    start[0] = Math.log(prior / (1 - prior));
  }
  const objective = (theta: Float64Array, gradient: Float64Array | null, hessian: Float64Array | null): number => logisticObjective(design, labels, lambda, theta, gradient, hessian);
  const theta = p <= NEWTON_MAX_COLUMNS ? minimizeNewton(objective, start) : minimizeLbfgs((x, g) => objective(x, g, null), start, { maxIterations: 300, tolerance: 1e-9 }).x;
  return { intercept: theta[0] as number, weights: theta.slice(1) };
}

/**
 * Penalised log-loss at theta = [intercept, weights]; fills the gradient and
 * the (p+1)^2 Hessian when asked (each row adds width^2 terms: sparse).
 */
function logisticObjective(design: SparseDesign, labels: Uint8Array, lambda: number, theta: Float64Array, gradient: Float64Array | null, hessian: Float64Array | null): number {
  const { n, p, width, columns, values } = design;
  const q = p + 1;
  let loss = 0;
  gradient?.fill(0);
  hessian?.fill(0);
  for (let i = 0; i < n; i++) {
    let z = theta[0] as number;
    const row = i * width;
    for (let s = 0; s < width; s++) z += (theta[(columns[row + s] as number) + 1] as number) * (values[row + s] as number);
    const y = labels[i] as number;
    loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z;
    if (!gradient) continue;
    const prob = 1 / (1 + Math.exp(-z));
    const r = prob - y;
    gradient[0] = (gradient[0] as number) + r;
    for (let s = 0; s < width; s++) {
      const c = (columns[row + s] as number) + 1;
      gradient[c] = (gradient[c] as number) + r * (values[row + s] as number);
    }
    if (!hessian) continue;
    const w = prob * (1 - prob);
    hessian[0] = (hessian[0] as number) + w;
    for (let s = 0; s < width; s++) {
      const a = (columns[row + s] as number) + 1;
      const wa = w * (values[row + s] as number);
      if (wa === 0) continue;
      hessian[a] = (hessian[a] as number) + wa;
      hessian[a * q] = (hessian[a * q] as number) + wa;
      for (let t = 0; t < width; t++) {
        const b = (columns[row + t] as number) + 1;
        hessian[a * q + b] = (hessian[a * q + b] as number) + wa * (values[row + t] as number);
      }
    }
  }
  for (let c = 1; c <= p; c++) {
    const w = theta[c] as number;
    loss += 0.5 * lambda * w * w;
    if (gradient) gradient[c] = (gradient[c] as number) + lambda * w;
    if (hessian) hessian[c * q + c] = (hessian[c * q + c] as number) + lambda;
  }
  if (hessian) hessian[0] = (hessian[0] as number) + 1e-10;
  return loss;
}

type TwiceDifferentiable = (theta: Float64Array, gradient: Float64Array | null, hessian: Float64Array | null) => number;

/** Damped Newton: full steps near the optimum, halved while the objective does not drop. */
function minimizeNewton(objective: TwiceDifferentiable, start: Float64Array): Float64Array {
  const q = start.length;
  let theta = Float64Array.from(start);
  const gradient = new Float64Array(q);
  const hessian = new Float64Array(q * q);
  let current = objective(theta, gradient, hessian);
  for (let iter = 0; iter < 50; iter++) {
    const step = choleskySolve(hessian, gradient, q);
    if (!step) break;
    let scale = 1;
    let next = theta;
    let value = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      next = Float64Array.from(theta, (v, k) => v - scale * (step[k] as number));
      value = objective(next, null, null);
      if (value <= current) break;
      scale /= 2;
    }
    if (!(value <= current)) break;
    const decrease = current - value;
    theta = next;
    let largest = 0;
    for (let k = 0; k < q; k++) largest = Math.max(largest, Math.abs(scale * (step[k] as number)));
    if (largest < 1e-9 || decrease <= 1e-13 * Math.max(1, Math.abs(value))) break;
    current = objective(theta, gradient, hessian);
  }
  return theta;
}

/** Solves A x = b for a symmetric positive definite A (row-major q x q); null if A is not positive definite. */
function choleskySolve(a: Float64Array, b: Float64Array, q: number): Float64Array | null {
  const l = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * q + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * q + k] as number) * (l[j * q + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * q + i] = Math.sqrt(sum);
      } else l[i * q + j] = sum / (l[j * q + j] as number);
    }
  }
  const y = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * q + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * q + i] as number);
  }
  const x = new Float64Array(q);
  for (let i = q - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < q; k++) sum -= (l[k * q + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * q + i] as number);
  }
  return x;
}

export function linearMargins(design: SparseDesign, fit: LinearFit): Float64Array {
  const { n, width, columns, values } = design;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = fit.intercept;
    for (let s = 0; s < width; s++) z += (fit.weights[columns[i * width + s] as number] as number) * (values[i * width + s] as number);
    out[i] = z;
  }
  return out;
}

export function columnMeans(design: SparseDesign): number[] {
  const { n, p, width, columns, values } = design;
  const means = new Array<number>(p).fill(0);
  for (let k = 0; k < n * width; k++) means[columns[k] as number] = (means[columns[k] as number] as number) + (values[k] as number);
  return means.map((s) => s / Math.max(1, n));
}

/** Margin of the linear model for one encoded row (reference path; the scorer compiles this). */
export function linearMargin(model: LinearModel, x: ArrayLike<number>): number {
  let z = model.intercept;
  model.columns.forEach((column, c) => {
    z += (model.weights[c] as number) * columnValue(column, x[column.feature] as number);
  });
  return z;
}

/** Expected margin over the training data: the base value of the contributions. */
export function linearBase(model: LinearModel): number {
  return model.intercept + model.columns.reduce((s, _, c) => s + (model.weights[c] as number) * (model.means[c] as number), 0);
}

/** Exact per-feature contributions: margin = linearBase + sum(contributions). */
export function linearContributions(model: LinearModel, x: ArrayLike<number>, phi: Float64Array): void {
  model.columns.forEach((column, c) => {
    const v = columnValue(column, x[column.feature] as number);
    phi[column.feature] = (phi[column.feature] as number) + (model.weights[c] as number) * (v - (model.means[c] as number));
  });
}
