import { describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURES } from '@shared/churn/customer-features';
import { loadChurnModel } from '@shared/churn/model-file';
import { createScorer } from '@shared/churn/scorer';
import type { ChurnModel } from '@shared/churn/model';
import { isLeaf } from '@shared/churn/tree';
import type { SplitNode } from '@shared/churn/tree';
import { smallCustomerModel } from './helpers';

/** A deep copy of the trained model as plain JSON data, to break on purpose. */
function modelJson(): ChurnModel {
  return JSON.parse(JSON.stringify(smallCustomerModel())) as ChurnModel;
}

function refused(input: unknown, options?: Parameters<typeof loadChurnModel>[1]): string {
  const result = loadChurnModel(input, options);
  if (result.ok) throw new Error('expected the model file to be refused');
  return result.error;
}

function firstSplit(json: ChurnModel): SplitNode {
  for (const tree of json.gbdt.trees) {
    const node = tree.nodes.find((n) => !isLeaf(n));
    if (node && !isLeaf(node)) return node;
  }
  throw new Error('no split in the model');
}

describe('model file', () => {
  it('round-trips through JSON and scores identically', () => {
    const model = smallCustomerModel();
    const result = loadChurnModel(JSON.stringify(model), { expectFeatures: Object.values(CUSTOMER_FEATURES) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.modelVersion).toBe(model.modelVersion);
    expect(result.model.training.rows).toBe(900);
    const row = { usage_change_90d: -0.4, complaints_90d: 3, contract_type: 'month-to-month', tenure_months: 2, monthly_charge: 95 };
    expect(createScorer(result.model).score(row)).toEqual(createScorer(model).score(row));
  });

  it('refuses text that is not JSON', () => {
    expect(refused('{"schemaVersion": 1, ')).toMatch(/not valid JSON/);
    expect(refused('[1,2]')).toMatch(/JSON object/);
  });

  it('refuses another schema version', () => {
    const json = modelJson();
    Reflect.set(json, 'schemaVersion', 2);
    expect(refused(json)).toMatch(/unsupported model schema version 2/);
  });

  it('refuses a file without trees', () => {
    const json = modelJson();
    Reflect.deleteProperty(json.gbdt, 'trees');
    expect(refused(json)).toMatch(/gbdt\.trees/);
    const empty = modelJson();
    empty.gbdt.trees = [];
    empty.blend.gbdtWeight = 0.5;
    expect(refused(empty)).toMatch(/missing trees/);
  });

  it('refuses NaN or non-numeric leaf values and names the node', () => {
    const json = modelJson();
    const nodes = json.gbdt.trees[0]!.nodes;
    const leaf = nodes.findIndex(isLeaf);
    Reflect.set(nodes[leaf]!, 'value', null); // JSON.stringify(NaN) === 'null'
    expect(refused(json)).toMatch(new RegExp(`gbdt\\.trees\\[0\\]\\.nodes\\[${leaf}\\]\\.value`));
    Reflect.set(nodes[leaf]!, 'value', 'NaN');
    expect(refused(json)).toMatch(/value/);
  });

  it('refuses a feature mismatch with the caller', () => {
    const error = refused(modelJson(), { expectFeatures: [...Object.values(CUSTOMER_FEATURES).filter((f) => f !== 'complaints_90d'), 'loyalty_points'] });
    expect(error).toMatch(/feature mismatch/);
    expect(error).toMatch(/loyalty_points/);
    expect(error).toMatch(/complaints_90d/);
  });

  it('refuses a split on a feature the model does not have', () => {
    const json = modelJson();
    firstSplit(json).feature = json.features.length + 3;
    expect(refused(json)).toMatch(/no feature/);
  });

  it('refuses broken tree links', () => {
    const json = modelJson();
    const split = firstSplit(json);
    split.right = split.left;
    expect(refused(json)).toMatch(/child links/);
    split.right = 10_000;
    expect(refused(json)).toMatch(/child links/);
    split.left = 0;
    expect(refused(json)).toMatch(/left/);
  });

  it('refuses linear weights that do not match the columns', () => {
    const json = modelJson();
    json.linear.weights.pop();
    expect(refused(json)).toMatch(/linear\.weights/);
  });

  it('refuses a non-monotone calibration', () => {
    const json = modelJson();
    json.calibration = { kind: 'isotonic', x: [-1, 0, 1], y: [0.1, 0.5, 0.3] };
    expect(refused(json)).toMatch(/not monotone/);
  });

  it('refuses blend weights that do not add up', () => {
    const json = modelJson();
    json.blend = { mode: 'blend', gbdtWeight: 0.7, linearWeight: 0.7 };
    expect(refused(json)).toMatch(/must sum to 1/);
    json.blend = { mode: 'residual', gbdtWeight: 1, linearWeight: 0.5 };
    expect(refused(json)).toMatch(/residual mode/);
  });

  it('refuses a missing feature list', () => {
    const json = modelJson();
    Reflect.deleteProperty(json, 'features');
    expect(refused(json)).toMatch(/^invalid model file: features/);
  });
});
