import { describe, expect, it } from 'vitest';
import { createRandom } from '@shared/util/random';
import { ChurnTrainingError, trainChurnModel } from '@shared/churn/train';
import { syntheticNonlinearRows, SYNTHETIC_TARGET } from '@shared/churn/synthetic';

const FAST = { innerFolds: 3, lambdaGrid: [10, 1, 0.1], createdAt: '2025-07-01T00:00:00.000Z' } as const;

describe('trainChurnModel', () => {
  const rows = syntheticNonlinearRows(1500, 11);
  const model = trainChurnModel(rows, SYNTHETIC_TARGET, { ...FAST, seed: 5 });

  it('drops the ID column by itself and records the training metadata', () => {
    expect(model.features.map((f) => f.name)).not.toContain('id');
    expect(model.training.droppedColumns.find((c) => c.name === 'id')?.reason).toMatch(/identifier/);
    expect(model.training.rows).toBe(1500);
    expect(model.training.positiveRate).toBeCloseTo(rows.filter((r) => r[SYNTHETIC_TARGET] === 'Yes').length / 1500, 12);
    expect(model.training.gbdtRoundsPerFold).toHaveLength(3);
    expect(model.gbdt.trees).toHaveLength(model.training.gbdtRounds);
    expect(model.modelVersion).toMatch(/^churn-20250701-[0-9a-f]{8}$/);
  });

  it('leans on the trees when the signal is non-linear', () => {
    expect(model.blend.gbdtWeight).toBeGreaterThanOrEqual(0.5);
    expect(model.training.cv.aucGbdt!).toBeGreaterThan(model.training.cv.aucLinear! + 0.1);
  });

  it('leans on the linear model when the signal is linear and smooth', () => {
    const random = createRandom('linear-signal');
    const linearRows = Array.from({ length: 800 }, () => {
      const x = Array.from({ length: 6 }, () => random.normal());
      const logit = 0.6 * x[0]! - 0.5 * x[1]! + 0.4 * x[2]! - 0.3 * x[3]! + 0.2 * x[4]! - 0.8;
      return { x0: x[0], x1: x[1], x2: x[2], x3: x[3], x4: x[4], x5: x[5], y: random.chance(1 / (1 + Math.exp(-logit))) ? 1 : 0 };
    });
    const linearModel = trainChurnModel(linearRows, 'y', { ...FAST, seed: 1 });
    expect(linearModel.blend.gbdtWeight).toBeLessThanOrEqual(0.5);
  });

  it('is deterministic for a seed', () => {
    const small = rows.slice(0, 400);
    const a = trainChurnModel(small, SYNTHETIC_TARGET, { ...FAST, seed: 2 });
    const b = trainChurnModel(small, SYNTHETIC_TARGET, { ...FAST, seed: 2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('can train one learner alone for comparisons', () => {
    const small = rows.slice(0, 400);
    const linear = trainChurnModel(small, SYNTHETIC_TARGET, { ...FAST, learners: 'linear' });
    expect(linear.blend.gbdtWeight).toBe(0);
    expect(linear.gbdt.trees).toHaveLength(0);
    expect(trainChurnModel(small, SYNTHETIC_TARGET, { ...FAST, learners: 'gbdt' }).blend.gbdtWeight).toBe(1);
  });

  it('refuses data it cannot learn from, naming the problem', () => {
    const oneClass = rows.slice(0, 100).map((r) => ({ ...r, [SYNTHETIC_TARGET]: 'No' }));
    expect(() => trainChurnModel(oneClass, SYNTHETIC_TARGET)).toThrow(ChurnTrainingError);
    expect(() => trainChurnModel(oneClass, SYNTHETIC_TARGET)).toThrow(/0 churned/);
    const onlyIds = rows.slice(0, 100).map((r) => ({ id: r.id, [SYNTHETIC_TARGET]: r[SYNTHETIC_TARGET] }));
    expect(() => trainChurnModel(onlyIds, SYNTHETIC_TARGET)).toThrow(/no usable feature columns.*id: identifier/);
  });
});
