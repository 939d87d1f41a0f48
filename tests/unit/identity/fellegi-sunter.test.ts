import { describe, expect, it } from 'vitest';
import { estimateFellegiSunter, matchProbability, matchWeight } from '@shared/identity/fellegi-sunter';
import type { PatternCounts } from '@shared/identity/fellegi-sunter';
import { createRandom } from '@shared/util/random';

const SPECS = [
  { name: 'name', levels: ['exact', 'close', 'different'] },
  { name: 'dob', levels: ['exact', 'near', 'different'] },
  { name: 'phone', levels: ['exact', 'different'] },
  { name: 'address', levels: ['same', 'partly', 'different'] },
];
const TRUE_M = [[0.85, 0.1, 0.05], [0.8, 0.15, 0.05], [0.7, 0.3], [0.6, 0.25, 0.15]];
const TRUE_U = [[0.05, 0.1, 0.85], [0.01, 0.04, 0.95], [0.02, 0.98], [0.1, 0.3, 0.6]];

/** Comparison vectors drawn from a known model, with some values missing. */
function sample(seed: number, pairs: number, lambda: number): PatternCounts {
  const random = createRandom(seed);
  const counts = new Map<string, number>();
  for (let n = 0; n < pairs; n++) {
    const match = random.chance(lambda);
    const levels = SPECS.map((spec, k) => {
      if (random.chance(0.1)) return -1;
      const probabilities = (match ? TRUE_M : TRUE_U)[k] as number[];
      return random.weighted(spec.levels.map((_l, l) => l), probabilities);
    });
    const key = levels.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    vectors: [...counts.keys()].map((key) => Int8Array.from(key.split(',').map(Number))),
    counts: [...counts.values()],
  };
}

describe('estimateFellegiSunter (EM without labels)', () => {
  it('recovers m, u and the match share from unlabelled comparison vectors', () => {
    const model = estimateFellegiSunter(SPECS, sample(7, 40_000, 0.2));
    expect(model.converged).toBe(true);
    expect(model.lambda).toBeCloseTo(0.2, 1);
    for (let k = 0; k < SPECS.length; k++) {
      for (let l = 0; l < (TRUE_M[k] as number[]).length; l++) {
        expect(Math.abs((model.m[k] as number[])[l]! - (TRUE_M[k] as number[])[l]!)).toBeLessThan(0.05);
        expect(Math.abs((model.u[k] as number[])[l]! - (TRUE_U[k] as number[])[l]!)).toBeLessThan(0.05);
      }
    }
  });

  it('gives agreement positive weight, disagreement negative, and a posterior that orders pairs', () => {
    const model = estimateFellegiSunter(SPECS, sample(11, 20_000, 0.3));
    for (const weights of model.weights) {
      expect(weights[0]).toBeGreaterThan(0);
      expect(weights[weights.length - 1]).toBeLessThan(0);
    }
    const allAgree = Int8Array.from([0, 0, 0, 0]);
    const allDisagree = Int8Array.from([2, 2, 1, 2]);
    const onlyName = Int8Array.from([0, -1, -1, -1]);
    const pAgree = matchProbability(model, matchWeight(model, allAgree));
    const pName = matchProbability(model, matchWeight(model, onlyName));
    const pDisagree = matchProbability(model, matchWeight(model, allDisagree));
    expect(pAgree).toBeGreaterThan(0.99);
    expect(pDisagree).toBeLessThan(0.01);
    expect(pName).toBeGreaterThan(pDisagree);
    expect(pName).toBeLessThan(pAgree);
  });

  it('does not swap the classes when started from a poor guess of the match share', () => {
    const model = estimateFellegiSunter(SPECS, sample(3, 20_000, 0.6), { maxIterations: 300, tolerance: 1e-7, initialLambda: 0.01, floor: 1e-6 });
    expect(model.lambda).toBeCloseTo(0.6, 1);
    expect((model.m[2] as number[])[0]).toBeGreaterThan((model.u[2] as number[])[0] as number);
  });
});
