import { describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURES, customerFeatureRow, trainChurnModel, type ChurnModel } from '@shared/churn';
import { syntheticCustomers } from '@shared/churn/synthetic';
import { churnModelRegistry, ModelRegistry, valueModelRegistry } from '../../../src-server/scoring/model-registry';
import type { ValueModelFile } from '../../../src-server/scoring/value-model-file';
import { valueFileFor } from './value-fixtures';

const AS_OF = '2025-06-30';

function trainOn(seed: string, createdAt: string): ChurnModel {
  const rows = syntheticCustomers(600, seed, AS_OF).map(({ profile, churned }) => ({ ...customerFeatureRow(profile, AS_OF), churned: churned ? 1 : 0 }));
  return trainChurnModel(rows, 'churned', { seed: 1, innerFolds: 3, lambdaGrid: [10, 1], createdAt });
}

const first = trainOn('registry-a', '2025-07-01T00:00:00.000Z');
const second = trainOn('registry-b', '2025-08-01T00:00:00.000Z');

describe('ModelRegistry (churn)', () => {
  it('takes a valid model file, as JSON text or object, and replaces the one in use', () => {
    const registry = churnModelRegistry();
    expect(registry.current).toBeNull();
    const taken = registry.offer(JSON.stringify(first));
    expect(taken).toMatchObject({ ok: true, replaced: null });
    expect(registry.current?.modelVersion).toBe(first.modelVersion);
    expect(registry.offer(second)).toMatchObject({ ok: true, replaced: first.modelVersion });
    expect(registry.current?.modelVersion).toBe(second.modelVersion);
    expect(first.modelVersion).not.toBe(second.modelVersion);
  });

  it.each([
    ['text that is not JSON', () => '{"schemaVersion": 1, ', /not valid JSON/],
    ['another schema version', () => ({ ...first, schemaVersion: 99 }), /unsupported model schema version 99/],
    ['a missing calibration', () => { const { calibration: _c, ...rest } = first; return rest; }, /calibration/],
    ['linear weights that do not match its columns', () => dropLinearWeight(first), /linear\.weights/],
    ['a feature the server does not compute', () => renameFeature(first, 'shoe_size'), /features the server does not compute: shoe_size/],
  ])('refuses %s and keeps the previous model', (_name, make, message) => {
    const registry = churnModelRegistry();
    registry.offer(first);
    const result = registry.offer(make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(message);
    expect(result.error).toMatch(/^churn model refused: /);
    expect(result.error).toContain(`model ${first.modelVersion} stays in use`);
    expect(result.kept).toBe(first.modelVersion);
    expect(registry.current?.modelVersion).toBe(first.modelVersion);
  });

  it('says no model is in use when the first offer is bad', () => {
    const registry = churnModelRegistry();
    const result = registry.offer(null);
    expect(result).toMatchObject({ ok: false, kept: null });
    expect(!result.ok && result.error).toMatch(/no model is in use/);
    expect(registry.current).toBeNull();
  });

  it('accepts a model that lacks a feature (a constant column the trainer dropped)', () => {
    const rows = syntheticCustomers(600, 'registry-c', AS_OF).map(({ profile, churned }) => ({ ...customerFeatureRow(profile, AS_OF), service_count: 2, churned: churned ? 1 : 0 }));
    const model = trainChurnModel(rows, 'churned', { seed: 1, innerFolds: 3, lambdaGrid: [10] });
    expect(model.features.map((f) => f.name)).not.toContain(CUSTOMER_FEATURES.serviceCount);
    expect(churnModelRegistry().offer(model).ok).toBe(true);
  });

  it('reads the model the store holds, and refuses a malformed one there too', async () => {
    const registry = churnModelRegistry();
    expect(await registry.offerFromStore({ model: async () => null })).toBeNull();
    expect(await registry.offerFromStore({ model: async (kind) => (kind === 'churn' ? first : null) })).toMatchObject({ ok: true });
    const bad = await registry.offerFromStore({ model: async () => ({ schemaVersion: 1, modelVersion: 'x' }) });
    expect(bad?.ok).toBe(false);
    expect(registry.current?.modelVersion).toBe(first.modelVersion);
  });
});

describe('ModelRegistry (value)', () => {
  const file: ValueModelFile = valueFileFor('registry');

  it('takes a fitted value model file and refuses one whose parameters do not match its version', () => {
    const registry = valueModelRegistry();
    expect(registry.offer(JSON.parse(JSON.stringify(file)))).toMatchObject({ ok: true });
    const tampered = JSON.parse(JSON.stringify(file)) as ValueModelFile;
    tampered.fit.bgnbd.r *= 2;
    const result = registry.offer(tampered);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/does not match its parameters/);
    expect(registry.current?.fit.bgnbd.r).toBe(file.fit.bgnbd.r);
  });

  it('refuses a negative parameter and an unknown transaction kind, naming the field', () => {
    const registry = valueModelRegistry();
    const negative = JSON.parse(JSON.stringify(file)) as ValueModelFile;
    negative.fit.gammaGamma.q = -1;
    expect(registry.offer(negative)).toMatchObject({ ok: false });
    expect((registry.offer(negative) as { error: string }).error).toMatch(/fit\.gammaGamma\.q/);
    expect((registry.offer({ ...file, repeatPurchaseKinds: ['refund'] }) as { error: string }).error).toMatch(/repeatPurchaseKinds/);
  });
});

it('is generic over any versioned model with a loader', () => {
  const registry = new ModelRegistry<{ modelVersion: string }>('toy', (input) =>
    typeof input === 'string' && input.startsWith('v') ? { ok: true, model: { modelVersion: input } } : { ok: false, error: 'not a toy model' });
  registry.offer('v1');
  expect(registry.offer('oops')).toEqual({ ok: false, error: 'toy model refused: not a toy model; model v1 stays in use', kept: 'v1' });
});

function dropLinearWeight(model: ChurnModel): unknown {
  const copy = JSON.parse(JSON.stringify(model)) as ChurnModel;
  copy.linear.weights.pop();
  return copy;
}

function renameFeature(model: ChurnModel, name: string): unknown {
  const copy = JSON.parse(JSON.stringify(model)) as ChurnModel;
  (copy.features[0] as { name: string }).name = name;
  return copy;
}
