import { describe, expect, it } from 'vitest';
import { pairwiseMetrics } from '@shared/identity/evaluation';
import { entityIdFromTruth } from '@shared/identity/evaluation';
import { resolveIdentities } from '@shared/identity/resolve';
import { generateIdentityRecords } from '@shared/identity/synthetic';
import { generateFebrlLike } from '@shared/identity/synthetic-febrl';

describe('resolution quality on generated data (small, fast versions of the eval)', () => {
  it("reaches the issue's target of pairwise F1 ≥ 0.97 on 500 generated people with source noise", () => {
    const records = [...generateIdentityRecords({ people: 500, seed: 99 })];
    const result = resolveIdentities(records, { golden: false });
    const metrics = pairwiseMetrics(records.map((record) => record.entity_id), result.clusterOf);
    expect(metrics.f1).toBeGreaterThanOrEqual(0.97);
    expect(result.model.converged).toBe(true);
  });

  it('reaches pairwise F1 > 0.9 on Febrl-shaped data without phone or email', () => {
    const rows = generateFebrlLike({ originals: 400, duplicates: 600, seed: 3 });
    const records = rows.map((row) => ({
      source: 'febrl',
      record_id: row.rec_id,
      given_name: row.given_name,
      family_name: row.surname,
      street_number: row.street_number,
      address_line1: row.address_1,
      address_line2: row.address_2,
      city: row.suburb,
      postcode: row.postcode,
      region: row.state,
      date_of_birth: row.date_of_birth,
      national_id: row.soc_sec_id,
    }));
    const result = resolveIdentities(records, { golden: false, standardise: { defaultRegion: 'AU' } });
    const metrics = pairwiseMetrics(rows.map((row) => entityIdFromTruth(row.rec_id)), result.clusterOf);
    expect(metrics.f1).toBeGreaterThan(0.9);
  });

  it('builds golden records with a confidence on every record and cluster', () => {
    const records = [...generateIdentityRecords({ people: 60, seed: 4 })];
    const result = resolveIdentities(records);
    expect(result.golden).toHaveLength(result.clusterCount);
    for (const confidence of result.recordConfidence) expect(confidence).toBeGreaterThanOrEqual(0);
    for (const golden of result.golden ?? []) {
      expect(golden.confidence).toBeGreaterThanOrEqual(0);
      expect(golden.confidence).toBeLessThanOrEqual(1);
      if (golden.fields.given_name !== null) expect(golden.lineage.given_name).toBeDefined();
    }
  });
});
