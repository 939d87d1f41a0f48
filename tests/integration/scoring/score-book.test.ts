import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brierScore, loadChurnModel, rocAuc } from '@shared/churn';
import type { Change } from '@shared/contract/sync';
import type { CustomerScores } from '@shared/domain/customer';
import { HEURISTIC_CHURN_VERSION } from '@shared/scoring/heuristic-churn';
import { HEURISTIC_VALUE_VERSION } from '@shared/scoring/heuristic-value';
import { loadValueModelFile } from '../../../src-server/scoring/value-model-file';
import { MIN_REASON_WEIGHT, scoreBook, ScoringError, type ScoreBookSummary } from '../../../src-server/scoring/score-book';
import { openServerStore } from '../../../src-server/store/open-store';
import type { ServerStore } from '../../../src-server/store/server-store';
import { makeTempDir } from '../../support/temp-dir';
import { DEMO_AS_OF, DEMO_SCORED_AT, demoCustomers, storeDemoCustomers, type DemoCustomer } from './demo-book';

async function allChanges(store: ServerStore, afterSeq: number): Promise<Change[]> {
  const changes: Change[] = [];
  let position = afterSeq;
  for (;;) {
    const page = await store.changesAfter(position, 5000);
    changes.push(...page.changes);
    if (page.changes.length === 0 || page.lastSeq === position) return changes;
    position = page.lastSeq;
  }
}

async function allScores(store: ServerStore): Promise<Map<string, CustomerScores>> {
  const scores = new Map<string, CustomerScores>();
  let cursor: string | null = null;
  do {
    const page = await store.snapshotPage(cursor, 1000);
    for (const s of page.scores) scores.set(s.customerId, s);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return scores;
}

describe('scoreBook: train, publish and rescore a generated book', () => {
  const dir = makeTempDir('score-book');
  let store: ServerStore;
  let book: DemoCustomer[];
  let summary: ScoreBookSummary;
  let seqBefore: number;
  // One customer in three keeps its outcome from the store: the held-out rows.
  const heldOut = (index: number): boolean => index % 3 === 0;

  beforeAll(async () => {
    store = await openServerStore({ kind: 'sqlite', file: `${dir.path}/routing.db` });
    book = demoCustomers(3000, (i) => !heldOut(i));
    await storeDemoCustomers(store, book);
    seqBefore = await store.lastSeq();
    summary = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT, seed: 5, now: () => new Date('2026-11-21T08:00:00.000Z') });
  });
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it('trains on the labelled customers only and reports the model metadata', () => {
    expect(summary.customers).toBe(3000);
    expect(summary.labelled).toBe(2000);
    expect(summary.churn.source).toBe('trained');
    expect(summary.churn.rows).toBe(2000);
    const churnedLabelled = book.filter((c) => c.bundle.churnLabel === true).length;
    expect(summary.churned).toBe(churnedLabelled);
    expect(summary.churn.positiveRate).toBeCloseTo(churnedLabelled / 2000, 10);
    expect(summary.churn.cv?.auc).toBeGreaterThan(0.6);
    expect(summary.churn.trainedAt).toBe('2026-11-21T08:00:00.000Z');
    expect(summary.value.source).toBe('fitted');
    expect(summary.scoresWritten).toBe(3000);
  });

  it('ranks and calibrates the held-out customers: AUC well above 0.5, mean probability near the churn rate', async () => {
    const scores = await allScores(store);
    const held = book.filter((c) => c.bundle.churnLabel === null);
    const labels: number[] = held.map((c) => (c.churned ? 1 : 0));
    const probabilities = held.map((c) => scores.get(c.bundle.customer.id)!.churnProbability);
    const auc = rocAuc(labels, probabilities);
    expect(auc).toBeGreaterThan(0.65);
    const rate = labels.reduce((s, y) => s + y, 0) / labels.length;
    const meanP = probabilities.reduce((s, p) => s + p, 0) / probabilities.length;
    expect(Math.abs(meanP - rate)).toBeLessThan(0.04);
    // Better than always predicting the base rate, and calibrated within each third of predicted risk.
    expect(brierScore(labels, probabilities)).toBeLessThan(rate * (1 - rate) - 0.005);
    const order = probabilities.map((p, i) => [p, labels[i] as number] as const).sort((a, b) => a[0] - b[0]);
    for (let third = 0; third < 3; third++) {
      const slice = order.slice(Math.floor((third * order.length) / 3), Math.floor(((third + 1) * order.length) / 3));
      const predicted = slice.reduce((s, [p]) => s + p, 0) / slice.length;
      const observed = slice.reduce((s, [, y]) => s + y, 0) / slice.length;
      expect(Math.abs(predicted - observed)).toBeLessThan(0.07);
    }
  });

  it('writes every score with the new model versions, three phrased reasons at most, value and segments', async () => {
    const scores = await allScores(store);
    expect(scores.size).toBe(3000);
    const tiers = { high: 0, mid: 0, low: 0 };
    for (const s of scores.values()) {
      expect(s.churnModel).toBe(summary.churn.modelVersion);
      expect(s.churnModel).toMatch(/^churn-20261121-/);
      expect(s.valueModel).toBe(summary.value.modelVersion);
      expect(s.churnModelTrainedAt).toBe(summary.churn.trainedAt);
      expect(s.reasons.length).toBeLessThanOrEqual(3);
      for (const r of s.reasons) {
        expect(r.phrase.length).toBeGreaterThan(3);
        expect(r.weight).toBeGreaterThanOrEqual(MIN_REASON_WEIGHT);
      }
      expect(s.valueAtRisk).toBeCloseTo(s.churnProbability * s.clv, 0);
      expect(s.rfmSegment).toBeTruthy();
      expect(s.lifecycleStage).toBeTruthy();
      expect(s.scoredAt).toBe(DEMO_SCORED_AT);
      tiers[s.valueTier]++;
    }
    expect([...scores.values()].filter((s) => s.reasons.length === 3).length).toBeGreaterThan(1500);
    for (const s of scores.values()) if (s.churnBand !== 'low') expect(s.reasons.length).toBeGreaterThan(0);
    expect(tiers.high / 3000).toBeCloseTo(0.2, 1);
    expect(tiers.mid / 3000).toBeCloseTo(0.3, 1);
  });

  it('publishes both model files to the change feed before the scores, loadable as desktops load them', async () => {
    const changes = await allChanges(store, seqBefore);
    const models = changes.filter((c): c is Extract<Change, { entity: 'model' }> => c.entity === 'model');
    expect(models.map((m) => m.data.kind).sort()).toEqual(['churn', 'value']);
    const firstScore = changes.findIndex((c) => c.entity === 'scores');
    for (const m of models) expect(changes.indexOf(m)).toBeLessThan(firstScore);
    const churn = loadChurnModel(models.find((m) => m.data.kind === 'churn')!.data.model);
    expect(churn.ok && churn.model.modelVersion).toBe(summary.churn.modelVersion);
    const value = loadValueModelFile(models.find((m) => m.data.kind === 'value')!.data.model);
    expect(value.ok && value.model.modelVersion).toBe(summary.value.modelVersion);
    expect(changes.filter((c) => c.entity === 'scores')).toHaveLength(3000);
  });

  it('records the trend since the last contact, replayed by the same model when no score was stored then', async () => {
    const scores = await allScores(store);
    const withContact = book.filter((c) => c.bundle.interactions.length > 0);
    let differs = 0;
    for (const c of withContact) {
      const s = scores.get(c.bundle.customer.id)!;
      const last = c.bundle.interactions.map((i) => i.occurredAt).sort().at(-1)!;
      expect(s.churnAtLastContact).toMatchObject({ at: last, churnModel: s.churnModel, replayed: true });
      if (Math.abs(s.churnAtLastContact!.probability - s.churnProbability) > 0.01) differs++;
    }
    expect(differs).toBeGreaterThan(withContact.length / 4);
    const noContact = book.find((c) => c.bundle.interactions.length === 0);
    if (noContact) expect(scores.get(noContact.bundle.customer.id)!.churnAtLastContact).toBeNull();
  });

  it('rescores with the stored models: same versions, the previous run kept as previousChurn', async () => {
    const before = await allScores(store);
    const again = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: '2026-11-22T12:00:00.000Z', churn: { mode: 'stored' }, value: 'stored' });
    expect(again.churn).toMatchObject({ source: 'stored', modelVersion: summary.churn.modelVersion });
    expect(again.value).toMatchObject({ source: 'stored', modelVersion: summary.value.modelVersion });
    const after = await allScores(store);
    for (const [id, s] of after) {
      const old = before.get(id)!;
      expect(s.previousChurn).toEqual({ probability: old.churnProbability, at: old.scoredAt, churnModel: old.churnModel });
      expect(s.valueTier).toBe(old.valueTier);
    }
  });

  it('publishes a given valid model file and scores with it', async () => {
    const seq = await store.lastSeq();
    const stored = (await store.model('churn')) as { modelVersion: string };
    const result = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: '2026-11-23T12:00:00.000Z', churn: { mode: 'file', model: JSON.stringify(stored) }, value: 'stored' });
    expect(result.churn).toMatchObject({ source: 'file', modelVersion: stored.modelVersion });
    const changes = await allChanges(store, seq);
    expect(changes[0]).toMatchObject({ entity: 'model', data: { kind: 'churn', model: { modelVersion: stored.modelVersion } } });
    expect(changes.filter((c) => c.entity === 'scores')).toHaveLength(3000);
  });

  it('refuses a malformed model file: nothing is written and the stored model stays', async () => {
    const seq = await store.lastSeq();
    const stored = (await store.model('churn')) as { modelVersion: string };
    const broken = { ...stored, calibration: { kind: 'isotonic', x: [0, 1], y: [0.9, 0.1] } };
    const run = scoreBook(store, { asOf: DEMO_AS_OF, churn: { mode: 'file', model: broken } });
    await expect(run).rejects.toBeInstanceOf(ScoringError);
    await expect(scoreBook(store, { asOf: DEMO_AS_OF, churn: { mode: 'file', model: broken } })).rejects.toThrow(
      new RegExp(`churn model refused: invalid model file: calibration.y: not monotone at 1; model ${stored.modelVersion} stays in use`),
    );
    await expect(scoreBook(store, { asOf: DEMO_AS_OF, churn: { mode: 'file', model: '{ not json' } })).rejects.toThrow(/not valid JSON/);
    expect(await store.lastSeq()).toBe(seq);
    expect(((await store.model('churn')) as { modelVersion: string }).modelVersion).toBe(stored.modelVersion);
  });
});

describe('scoreBook with too few labelled customers and too little purchase history', () => {
  const dir = makeTempDir('score-book-small');
  let store: ServerStore;
  afterAll(async () => {
    await store?.close();
    dir.remove();
  });

  it('keeps the heuristic churn and value scores, labelled as such, and says why', async () => {
    store = await openServerStore({ kind: 'sqlite', file: `${dir.path}/routing.db` });
    await storeDemoCustomers(store, demoCustomers(25, () => true, 3));
    const summary = await scoreBook(store, { asOf: DEMO_AS_OF, scoredAt: DEMO_SCORED_AT });
    expect(summary.churn.source).toBe('heuristic');
    expect(summary.churn.reason).toMatch(/churned and \d+ retained labelled customers; training needs at least 50 of each/);
    expect(summary.value.source).toBe('heuristic');
    expect(summary.value.reason).toMatch(/too little purchase history/);
    expect(await store.model('churn')).toBeNull();
    expect(await store.model('value')).toBeNull();
    const scores = await allScores(store);
    expect(scores.size).toBe(25);
    for (const s of scores.values()) {
      expect(s.churnModel).toBe(HEURISTIC_CHURN_VERSION);
      expect(s.valueModel).toBe(HEURISTIC_VALUE_VERSION);
      expect(s.churnModelTrainedAt).toBeUndefined();
      expect(s.rfmSegment).toBeTruthy();
    }
    await expect(scoreBook(store, { asOf: DEMO_AS_OF, churn: { mode: 'stored' } })).rejects.toThrow(/no churn model to rescore with/);
  });

  it('refuses to rescore with a malformed model file in the store, and writes nothing', async () => {
    await store.putModel('churn', { schemaVersion: 1, modelVersion: 'churn-damaged', features: [] });
    const seq = await store.lastSeq();
    await expect(scoreBook(store, { asOf: DEMO_AS_OF, churn: { mode: 'stored' } })).rejects.toThrow(/^churn model refused: invalid model file: .*no model is in use/);
    await store.putModel('value', { schemaVersion: 1, kind: 'value' });
    await expect(scoreBook(store, { asOf: DEMO_AS_OF, value: 'stored' })).rejects.toThrow(/^value model refused: invalid value model file/);
    expect(await store.lastSeq()).toBe(seq + 1);
  });
});
