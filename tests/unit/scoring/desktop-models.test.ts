import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChurnModel } from '@shared/churn';
import { LocalCache } from '../../../src-main/services/cache/local-cache';
import { checkModelFile, describeRefusal } from '../../../src-main/services/models/model-check';
import { makeTempDir } from '../../support/temp-dir';
import { smallCustomerModel } from '../churn/helpers';
import { valueFileFor } from './value-fixtures';

const KEY = 'b2'.repeat(32);
const AT = '2026-11-20T10:00:00.000Z';
const dirs: { remove(): void }[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => d.remove());
  vi.restoreAllMocks();
});
function openCache(): LocalCache {
  const dir = makeTempDir('models');
  dirs.push(dir);
  return new LocalCache(join(dir.path, 'cache.db'), KEY);
}

/** A model whose first tree links to nodes it does not have: valid JSON, wrong model. */
function brokenTrees(model: ChurnModel): unknown {
  const copy = JSON.parse(JSON.stringify(model)) as ChurnModel;
  const first = copy.gbdt.trees[0];
  if (!first) throw new Error('the test model has no trees');
  first.nodes = [{ feature: 0, threshold: 1, missingLeft: true, left: 5, right: 6, cover: 1, gain: 1 }];
  return { ...copy, modelVersion: 'churn-broken' };
}

describe('checkModelFile: the desktop reads model files with their own strict loaders', () => {
  it('accepts valid churn and value files and summarises them for the pop', () => {
    const churn = checkModelFile('churn', smallCustomerModel(), AT);
    expect(churn.ok && churn.active).toMatchObject({ kind: 'churn', modelVersion: smallCustomerModel().modelVersion, receivedAt: AT });
    const valueFile = valueFileFor('desktop');
    const value = checkModelFile('value', JSON.stringify(valueFile), AT);
    expect(value.ok && value.active).toMatchObject({ kind: 'value', modelVersion: valueFile.modelVersion, horizonMonths: 12, tierShares: { high: 0.2, mid: 0.3 } });
  });

  it('refuses malformed files with the problem named', () => {
    const broken = checkModelFile('churn', brokenTrees(smallCustomerModel()), AT);
    expect(broken).toEqual({ ok: false, error: expect.stringMatching(/gbdt\.trees\[0\]\.nodes\[0\]: child links 5\/6/) });
    expect(checkModelFile('churn', '{"schemaVersion": 1, ', AT)).toEqual({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    const tampered = { ...valueFileFor('desktop'), modelVersion: 'bgnbd-gg@1:00000000' };
    expect(checkModelFile('value', tampered, AT)).toEqual({ ok: false, error: expect.stringMatching(/does not match its parameters/) });
    expect(checkModelFile('uplift', {}, AT)).toEqual({ ok: false, error: expect.stringMatching(/unknown model kind "uplift"/) });
  });
});

describe('LocalCache: model files from the feed', () => {
  it('keeps the previous model when a malformed one arrives, records and logs the refusal, and clears it on the next valid file', () => {
    const cache = openCache();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const good = smallCustomerModel();
    cache.feed.applyChanges([{ seq: 1, entity: 'model', data: { kind: 'churn', model: good } }], 1);
    expect(cache.models.active('churn')?.modelVersion).toBe(good.modelVersion);
    expect(cache.models.refusals()).toEqual([]);

    // A bad file does not fail the batch: the scores beside it still apply.
    cache.feed.applyChanges([{ seq: 2, entity: 'model', data: { kind: 'churn', model: brokenTrees(good) } }], 2);
    expect(cache.feed.lastAppliedSeq()).toBe(2);
    expect(cache.models.active('churn')?.modelVersion).toBe(good.modelVersion);
    expect((cache.models.file('churn') as ChurnModel).modelVersion).toBe(good.modelVersion);
    const [refusal] = cache.models.refusals();
    expect(refusal).toMatchObject({ kind: 'churn', kept: good.modelVersion, error: expect.stringMatching(/child links/) });
    expect(describeRefusal(refusal!)).toMatch(new RegExp(`churn model from the server was refused .*; model ${good.modelVersion} stays in use`));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/refused/);

    const value = valueFileFor('desktop');
    cache.feed.applySnapshotPage({ customers: [], scores: [], interactions: [], models: [{ kind: 'value', model: value }, { kind: 'churn', model: good }] });
    expect(cache.models.refusals()).toEqual([]);
    expect(cache.models.allActive().map((m) => `${m.kind}:${m.modelVersion}`)).toEqual([`churn:${good.modelVersion}`, `value:${value.modelVersion}`]);
    cache.close();
  });

  it('refuses a first model that is malformed, leaving no model in use', () => {
    const cache = openCache();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    cache.feed.applyChanges([{ seq: 1, entity: 'model', data: { kind: 'value', model: { schemaVersion: 1, kind: 'value' } } }], 1);
    expect(cache.models.active('value')).toBeNull();
    expect(cache.models.file('value')).toBeNull();
    expect(cache.models.refusals()[0]).toMatchObject({ kind: 'value', kept: null });
    cache.close();
  });
});
