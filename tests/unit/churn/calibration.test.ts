import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { applyCalibration, chooseCalibration, fitIsotonic, fitPlatt } from '@shared/churn/calibration';
import { brierScore, sigmoid } from '@shared/churn/metrics';

/** True risk sigmoid(z), but the model reports the overconfident, shifted margin 3z + 1. */
function miscalibrated(n: number, seed: string): { margins: Float64Array; labels: Uint8Array } {
  const random = createRandom(seed);
  const margins = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = random.normal(-0.8, 1.2);
    labels[i] = random.chance(sigmoid(z)) ? 1 : 0;
    margins[i] = 3 * z + 1;
  }
  return { margins, labels };
}

describe('calibration', () => {
  const fit = miscalibrated(3000, 'calibration-fit');
  const test = miscalibrated(3000, 'calibration-test');
  const raw = brierScore(test.labels, Array.from(test.margins, sigmoid));

  for (const [name, fitter] of [['platt', fitPlatt], ['isotonic', fitIsotonic]] as const) {
    it(`${name} is monotone and improves the Brier score on held-out data`, () => {
      const calibrator = fitter(fit.margins, fit.labels);
      const grid = Array.from({ length: 200 }, (_, k) => -12 + k * 0.12);
      const values = grid.map((m) => applyCalibration(calibrator, m));
      for (let k = 1; k < values.length; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      for (const v of values) {
        expect(v).toBeGreaterThan(0);
        expect(v).toBeLessThan(1);
      }
      const calibrated = brierScore(test.labels, Array.from(test.margins, (m) => applyCalibration(calibrator, m)));
      expect(calibrated).toBeLessThan(raw - 0.005);
    });
  }

  it('Platt recovers the slope and intercept of a known distortion', () => {
    const calibrator = fitPlatt(fit.margins, fit.labels);
    if (calibrator.kind !== 'platt') throw new Error('expected Platt');
    // margin = 3z + 1, so z = margin / 3 - 1/3.
    expect(calibrator.slope).toBeCloseTo(1 / 3, 1);
    expect(calibrator.intercept).toBeCloseTo(-1 / 3, 0);
  });

  it('isotonic pools violators into non-decreasing steps', () => {
    const calibrator = fitIsotonic([1, 2, 3, 4], [1, 0, 1, 1]);
    if (calibrator.kind !== 'isotonic') throw new Error('expected isotonic');
    // 1 and 0 pool to 0.5 over margins 1..2, then 1s.
    expect(applyCalibration(calibrator, 1.5)).toBeCloseTo(0.5, 12);
    expect(applyCalibration(calibrator, 4)).toBeGreaterThan(0.8);
  });

  it('chooses a method by cross-fitted Brier and beats the raw margins', () => {
    const choice = chooseCalibration(fit.margins, fit.labels, 1);
    expect(choice.brier).toBeLessThanOrEqual(Math.max(choice.scores.platt, choice.scores.isotonic));
    expect(choice.brier).toBe(Math.min(choice.scores.platt, choice.scores.isotonic));
    const calibrated = brierScore(test.labels, Array.from(test.margins, (m) => applyCalibration(choice.calibrator, m)));
    expect(calibrated).toBeLessThan(raw);
  });
});
