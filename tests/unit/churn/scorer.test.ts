import { describe, expect, it } from 'vitest';
import { applyCalibration } from '@shared/churn/calibration';
import { createRowEncoder } from '@shared/churn/encode';
import { linearBase, linearContributions, linearMargin } from '@shared/churn/linear';
import type { ChurnModel } from '@shared/churn/model';
import { CHURN_BAND_CUTOFFS, churnBandFor, createScorer } from '@shared/churn/scorer';
import { goesLeft, predictTree, treeExpectedValue } from '@shared/churn/tree';
import { treeShap } from '@shared/churn/tree-shap';
import { customerFeatureRow } from '@shared/churn/customer-features';
import { syntheticCustomers } from '@shared/churn/synthetic';
import { AS_OF, smallCustomerModel } from './helpers';

function withCombination(model: ChurnModel, blend: ChurnModel['blend']): ChurnModel {
  return { ...model, blend };
}

const rows: Record<string, unknown>[] = syntheticCustomers(60, 'scorer-rows', AS_OF).map((c) => customerFeatureRow(c.profile, AS_OF));
rows.push({}); // every feature missing
rows.push({ contract_type: 'satellite', monthly_charge: 'n/a', tenure_months: 1e9 }); // unseen level, missing token, extreme value

/** Reference margin and contributions computed the slow way, independent of the compiled scorer. */
function reference(model: ChurnModel, row: Record<string, unknown>): { margin: number; base: number; phi: Float64Array } {
  const d = model.features.length;
  const x = new Float64Array(d);
  createRowEncoder(model.features)(row, x);
  const { gbdtWeight: w, linearWeight: v } = model.blend;
  const trees = model.gbdt.trees;
  const treeMargin = trees.reduce((s, t) => s + predictTree(t, x), model.gbdt.initScore);
  const treeBase = trees.reduce((s, t) => s + treeExpectedValue(t), model.gbdt.initScore);
  const treePhi = new Float64Array(d);
  for (const tree of trees) treeShap(tree, (_, node) => goesLeft(node, x[node.feature]!), treePhi);
  const linPhi = new Float64Array(d);
  linearContributions(model.linear, x, linPhi);
  return {
    margin: w * treeMargin + v * linearMargin(model.linear, x),
    base: w * treeBase + v * linearBase(model.linear),
    phi: Float64Array.from({ length: d }, (_, j) => w * treePhi[j]! + v * linPhi[j]!),
  };
}

describe('compiled scorer', () => {
  const trained = smallCustomerModel();

  it('has trees and a linear part to blend', () => {
    expect(trained.gbdt.trees.length).toBeGreaterThan(0);
    expect(trained.linear.weights.some((w) => w !== 0)).toBe(true);
  });

  const combinations: ChurnModel['blend'][] = [
    { mode: 'blend', gbdtWeight: 0, linearWeight: 1 },
    { mode: 'blend', gbdtWeight: 0.35, linearWeight: 0.65 },
    { mode: 'blend', gbdtWeight: 1, linearWeight: 0 },
    { mode: 'residual', gbdtWeight: 1, linearWeight: 1 },
  ];
  for (const combination of combinations) {
    it(`gives exact contributions that sum to margin - base (${combination.mode}, trees ${combination.gbdtWeight}, linear ${combination.linearWeight})`, () => {
      const model = withCombination(trained, combination);
      const scorer = createScorer(model);
      for (const row of rows) {
        const ref = reference(model, row);
        const explained = scorer.explain(row);
        expect(Math.abs(explained.margin - ref.margin)).toBeLessThan(1e-9);
        expect(Math.abs(explained.baseValue - ref.base)).toBeLessThan(1e-9);
        const sum = explained.contributions.reduce((s, c) => s + c.value, 0);
        expect(Math.abs(sum - (ref.margin - ref.base))).toBeLessThan(1e-9);
        explained.contributions.forEach((c, j) => expect(Math.abs(c.value - ref.phi[j]!)).toBeLessThan(1e-9));
        expect(explained.probability).toBeCloseTo(applyCalibration(model.calibration, ref.margin), 12);
      }
    });
  }

  it('returns the top three risk-raising reasons, largest first, with band and version', () => {
    const scorer = createScorer(trained);
    for (const row of rows) {
      const scored = scorer.score(row);
      const explained = scorer.explain(row);
      const positive = explained.contributions.filter((c) => c.value > 0).sort((a, b) => b.value - a.value);
      expect(scored.reasons.length).toBe(Math.min(3, positive.length));
      scored.reasons.forEach((reason, k) => {
        expect(reason.weight).toBeCloseTo(positive[k]!.value, 12);
        expect(reason.phrase.length).toBeGreaterThan(3);
      });
      expect(scored.band).toBe(churnBandFor(scored.probability));
      expect(scored.modelVersion).toBe(trained.modelVersion);
    }
  });

  it('explains a risky customer with readable product reasons', () => {
    const scorer = createScorer(trained);
    const risky = scorer.score({
      usage_change_90d: -0.6, complaints_90d: 4, negative_contacts_90d: 3, avg_resolution_hours: 90, payment_failures_90d: 3,
      tenure_months: 1, contract_type: 'month-to-month', monthly_charge: 110, service_count: 2, days_since_last_contact: 3, days_to_contract_end: null,
    });
    const calm = scorer.score({
      usage_change_90d: 0.1, complaints_90d: 0, negative_contacts_90d: 0, avg_resolution_hours: null, payment_failures_90d: 0,
      tenure_months: 60, contract_type: 'two-year', monthly_charge: 40, service_count: 2, days_since_last_contact: 200, days_to_contract_end: 400,
    });
    expect(risky.probability).toBeGreaterThan(calm.probability);
    expect(risky.reasons).toHaveLength(3);
    const known = new Set(['usage_down', 'complaints', 'negative_contacts', 'slow_resolution', 'payment_failures', 'new_customer', 'contract_m2m', 'high_price']);
    for (const reason of risky.reasons) expect(known.has(reason.code)).toBe(true);
    expect(risky.reasons.map((r) => r.phrase).join(' | ')).toMatch(/Usage down 60% in 90 days|4 complaints in 90 days|3 failed payments in 90 days|Month-to-month contract|Customer for only 1 month|Issues took/);
  });

  it('bands probabilities at the documented cut-offs', () => {
    expect(churnBandFor(CHURN_BAND_CUTOFFS.high)).toBe('high');
    expect(churnBandFor(CHURN_BAND_CUTOFFS.high - 1e-9)).toBe('medium');
    expect(churnBandFor(CHURN_BAND_CUTOFFS.medium)).toBe('medium');
    expect(churnBandFor(0.05)).toBe('low');
  });
});
