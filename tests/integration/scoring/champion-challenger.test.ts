import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFeatureRow, loadChurnModel, trainChurnModel, type ChurnModel } from '@shared/churn';
import { createRandom } from '@shared/util/random';
import { judge, readChurnReview, timeHoldout, type LabelledRow } from '../../../src-server/scoring/champion-challenger';
import { CHURN_TARGET, scoreBook } from '../../../src-server/scoring/score-book';
import { openServerStore } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { makeTempDir } from '../../support/temp-dir';
import { DEMO_AS_OF, DEMO_SCORED_AT, demoCustomers, storeDemoCustomers, type DemoCustomer } from './demo-book';

describe('churn model: a challenger is published only if no worse than the champion on the newest labels', () => {
  const dir = makeTempDir('champion');
  let store: ServerStore;
  let book: DemoCustomer[];
  let rows: LabelledRow[];
  let noise: ChurnModel;

  beforeAll(async () => {
    store = await openServerStore({ kind: 'sqlite', file: `${dir.path}/routing.db` });
    book = demoCustomers(1500, () => true, 13);
    await storeDemoCustomers(store, book);
    rows = book.map((c, i) => ({
      features: customerFeatureRow(c.bundle.customer, DEMO_SCORED_AT),
      label: c.churned,
      labelAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    }));
    // A model that learnt nothing: trained on shuffled labels.
    const random = createRandom(3);
    noise = trainChurnModel(rows.map((r) => ({ ...r.features, [CHURN_TARGET]: random.next() < 0.3 ? 1 : 0 })), CHURN_TARGET, { seed: 1, createdAt: '2026-01-01T00:00:00.000Z' });
    // Calibration fitted on noise may come out reversed, which the loader refuses: flattened instead (scores near the base rate).
    if (noise.calibration.kind === 'platt') noise = { ...noise, calibration: { ...noise.calibration, slope: Math.abs(noise.calibration.slope) * 0.1 } };
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it('splits by when labels became known: the newest share is the holdout', () => {
    const split = timeHoldout([...rows].reverse(), 0.2);
    expect(split.holdout).toHaveLength(300);
    expect(split.train.every((r) => r.labelAt < (split.from as string))).toBe(true);
    expect(split.holdout.every((r) => r.labelAt >= (split.from as string))).toBe(true);
  });

  it('judges on AUC and Brier: a model that learnt nothing never replaces a real one, and a real one replaces it', () => {
    const split = timeHoldout(rows, 0.2);
    const real = trainChurnModel(split.train.map((r) => ({ ...r.features, [CHURN_TARGET]: r.label ? 1 : 0 })), CHURN_TARGET, { seed: 2, createdAt: '2026-02-01T00:00:00.000Z' });
    const rejected = judge(real, noise, split.holdout, '2026-03-01T00:00:00.000Z', split.from);
    expect(rejected.published).toBe(false);
    expect(rejected.reason).toContain('champion stays');
    const accepted = judge(noise, real, split.holdout, '2026-03-01T00:00:00.000Z', split.from);
    expect(accepted.published).toBe(true);
    expect(accepted.challenger.auc!).toBeGreaterThan(accepted.champion!.auc!);
    expect(accepted.challenger.brier!).toBeLessThanOrEqual(accepted.champion!.brier!);
  });

  it('npm run train keeps both figures: the first model, then a challenger against the champion in use', async () => {
    const first = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT, seed: 5, now: () => new Date('2026-11-21T08:00:00.000Z') });
    expect(first.churn.trial).toMatchObject({ champion: null, published: true });
    // The champion in use is now the model that learnt nothing: the retrained challenger beats it and is published.
    await store.putModel('churn', noise);
    const second = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT, seed: 6, now: () => new Date('2026-11-22T08:00:00.000Z') });
    const trial = second.churn.trial!;
    expect(trial.champion?.modelVersion).toBe(noise.modelVersion);
    expect(trial.holdoutRows).toBe(300);
    expect(trial.published).toBe(true);
    expect(second.churn.source).toBe('trained');
    const stored = loadChurnModel(await store.model('churn'));
    expect(stored.ok && stored.model.modelVersion).toBe(trial.challenger.modelVersion);
    const review = await readChurnReview(store);
    expect(review.trials.map((t) => t.champion?.modelVersion ?? null)).toEqual([noise.modelVersion, null]);
  }, 300_000);
});
