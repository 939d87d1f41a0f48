import { describe, expect, it } from 'vitest';
import { entityIdFromTruth, pairwiseMetrics } from '@shared/identity/evaluation';
import { autoMapColumns, parseMappingPairs } from '@shared/identity/field-mapping';

describe('pairwiseMetrics', () => {
  it('counts within-cluster pairs against the truth', () => {
    // Truth: {0,1,2} {3,4}; predicted: {0,1} {2,3,4}.
    const metrics = pairwiseMetrics(['a', 'a', 'a', 'b', 'b'], [0, 0, 1, 1, 1]);
    expect(metrics).toMatchObject({ pairs_true: 4, pairs_found: 4, true_positives: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('counts only cross-dataset pairs when linking', () => {
    // Records 0,1 from file 0; 2,3 from file 1. Truth pairs across files: (0,2) and (1,3).
    const metrics = pairwiseMetrics(['x', 'y', 'x', 'y'], [0, 0, 0, 1], [0, 0, 1, 1]);
    expect(metrics.pairs_true).toBe(2);
    expect(metrics.pairs_found).toBe(2); // (0,2) and (1,2); the same-file pair (0,1) does not count
    expect(metrics.true_positives).toBe(1);
  });
});

describe('entityIdFromTruth', () => {
  it('derives Febrl entity ids and honours a regex', () => {
    expect(entityIdFromTruth('rec-123-org')).toBe('123');
    expect(entityIdFromTruth(' rec-123-dup-4')).toBe('123');
    expect(entityIdFromTruth('P0-0000042')).toBe('P0-0000042');
    expect(entityIdFromTruth('person_7_copy2', /person_(\d+)_/)).toBe('7');
  });
});

describe('column mapping', () => {
  it('maps canonical names and common synonyms, leaving excluded columns alone', () => {
    const columns = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'];
    expect(autoMapColumns(columns, {}, ['rec_id'])).toEqual({
      given_name: 'given_name',
      family_name: 'surname',
      street_number: 'street_number',
      address_line1: 'address_1',
      address_line2: 'address_2',
      city: 'suburb',
      postcode: 'postcode',
      region: 'state',
      date_of_birth: 'date_of_birth',
      national_id: 'soc_sec_id',
    });
    expect(autoMapColumns(['First Name', 'Last Name', 'Phone Number', 'DOB'])).toMatchObject({
      given_name: 'First Name',
      family_name: 'Last Name',
      phone: 'Phone Number',
      date_of_birth: 'DOB',
    });
  });

  it('lets explicit pairs win and parses field=column with clear errors', () => {
    expect(autoMapColumns(['surname', 'maiden'], { family_name: 'maiden' })).toEqual({ family_name: 'maiden' });
    expect(parseMappingPairs(['given_name=fn', 'phone = tel'])).toEqual({ ok: true, mapping: { given_name: 'fn', phone: 'tel' } });
    const bad = parseMappingPairs(['nickname=x', 'phone']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors[0]).toContain('"nickname" is not a field');
      expect(bad.errors[1]).toContain('not field=column');
    }
  });
});
