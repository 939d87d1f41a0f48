import { stratifiedFolds } from './folds';
import { brierScore, logLoss, sigmoid } from './metrics';

/**
 * Maps a raw log-odds margin to a calibrated probability. Both kinds are
 * monotone non-decreasing, so they never change the ranking (AUC) nor the
 * order of reasons; they are fitted on out-of-fold margins only.
 */
export type Calibrator =
  | { kind: 'platt'; slope: number; intercept: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

export function applyCalibration(calibrator: Calibrator, margin: number): number {
  if (calibrator.kind === 'platt') return sigmoid(calibrator.slope * margin + calibrator.intercept);
  return interpolate(calibrator.x, calibrator.y, margin);
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const last = xs.length - 1;
  if (x <= (xs[0] as number)) return ys[0] as number;
  if (x >= (xs[last] as number)) return ys[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const y0 = ys[lo] as number;
  const y1 = ys[hi] as number;
  return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** Platt scaling: logistic regression of the label on the margin (damped Newton, tiny ridge for separable data). */
export function fitPlatt(margins: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const n = labels.length;
  const ridge = 1e-6 * n + 1e-9;
  const loss = (a: number, b: number): number => {
    let sum = 0.5 * ridge * (a - 1) * (a - 1);
    for (let i = 0; i < n; i++) {
      const z = a * (margins[i] as number) + b;
      sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (labels[i] as number) * z;
    }
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = ridge * (a - 1);
    let gb = 0;
    let haa = ridge;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const m = margins[i] as number;
      const p = sigmoid(a * m + b);
      const r = p - (labels[i] as number);
      const w = Math.max(p * (1 - p), 1e-12);
      ga += r * m;
      gb += r;
      haa += w * m * m;
      hab += w * m;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Halve the Newton step until the loss goes down: plain Newton can overshoot from a far start.
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (Math.abs(step * da) + Math.abs(step * db) < 1e-10 || improvement < 1e-12 * Math.max(1, current)) break;
  }
  return { kind: 'platt', slope: a, intercept: b };
}

/** Isotonic regression by pool-adjacent-violators, kept as interpolation knots. */
export function fitIsotonic(margins: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (margins[i] as number) - (margins[j] as number));
  // Blocks: [sum of labels, count, min x, max x]; tied margins start in one block.
  const sums: number[] = [];
  const counts: number[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  for (const i of order) {
    const x = margins[i] as number;
    const y = labels[i] as number;
    const top = sums.length - 1;
    if (top >= 0 && highs[top] === x) {
      sums[top] = (sums[top] as number) + y;
      counts[top] = (counts[top] as number) + 1;
    } else {
      sums.push(y);
      counts.push(1);
      lows.push(x);
      highs.push(x);
    }
    while (sums.length > 1) {
      const k = sums.length - 1;
      if ((sums[k - 1] as number) / (counts[k - 1] as number) < (sums[k] as number) / (counts[k] as number)) break;
      sums[k - 1] = (sums[k - 1] as number) + (sums[k] as number);
      counts[k - 1] = (counts[k - 1] as number) + (counts[k] as number);
      highs[k - 1] = highs[k] as number;
      sums.pop();
      counts.pop();
      lows.pop();
      highs.pop();
    }
  }
  // Keep probabilities off 0 and 1 so a single surprise cannot cost infinite log-loss.
  const eps = 0.5 / (n + 1);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < sums.length; k++) {
    const v = Math.min(1 - eps, Math.max(eps, (sums[k] as number) / (counts[k] as number)));
    xs.push(lows[k] as number);
    ys.push(v);
    if ((highs[k] as number) > (lows[k] as number)) {
      xs.push(highs[k] as number);
      ys.push(v);
    }
  }
  return { kind: 'isotonic', x: xs, y: ys };
}

export interface CalibrationChoice {
  calibrator: Calibrator;
  /** Cross-fitted (2-fold) scores of the chosen method on the margins it was given. */
  brier: number;
  logloss: number;
  scores: Record<'platt' | 'isotonic', number>;
}

/**
 * Fits Platt and isotonic scaling on out-of-fold margins and keeps the one
 * with the lower cross-fitted Brier score (each half scored by a calibrator
 * fitted on the other half); the winner is then refitted on all margins.
 */
export function chooseCalibration(margins: Float64Array, labels: Uint8Array, seed: number | string): CalibrationChoice {
  const fits = { platt: fitPlatt, isotonic: fitIsotonic } as const;
  const folds = stratifiedFolds(labels, 2, `${seed}:calibration`);
  const crossFitted: Record<'platt' | 'isotonic', Float64Array> = { platt: new Float64Array(labels.length), isotonic: new Float64Array(labels.length) };
  for (const kind of ['platt', 'isotonic'] as const) {
    for (let fold = 0; fold < 2; fold++) {
      const fitMargins: number[] = [];
      const fitLabels: number[] = [];
      for (let i = 0; i < labels.length; i++) {
        if (folds[i] !== fold) {
          fitMargins.push(margins[i] as number);
          fitLabels.push(labels[i] as number);
        }
      }
      const calibrator = fits[kind](fitMargins, fitLabels);
      for (let i = 0; i < labels.length; i++) if (folds[i] === fold) crossFitted[kind][i] = applyCalibration(calibrator, margins[i] as number);
    }
  }
  const scores = { platt: brierScore(labels, crossFitted.platt), isotonic: brierScore(labels, crossFitted.isotonic) };
  const kind = scores.isotonic < scores.platt ? 'isotonic' : 'platt';
  return {
    calibrator: fits[kind](margins, labels),
    brier: scores[kind],
    logloss: logLoss(labels, crossFitted[kind]),
    scores,
  };
}
