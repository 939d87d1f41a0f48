import { describe, expect, it } from 'vitest';
import { assignmentFromResult, confirmCluster, mergeClusters, splitCluster } from '@shared/identity/agent-actions';
import { buildCallerIndex, lookupCaller } from '@shared/identity/caller-lookup';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { standardiseRecord } from '@shared/identity/standardise';

const std = (record: Partial<CanonicalRecord> & { source: string; record_id: string }) => standardiseRecord(record, { defaultRegion: 'US' });
const FAMILY_PHONE = '(212) 736-5000';

// Three people: Ann and Ben share the household landline; Cal has his own phone.
const records = [
  std({ source: 'crm', record_id: 'ann', given_name: 'Ann', phone: FAMILY_PHONE, account_id: 'A-100' }),
  std({ source: 'support', record_id: 'ann-t1', given_name: 'Ann', phone: '+1 212 736 5000' }),
  std({ source: 'crm', record_id: 'ben', given_name: 'Ben', phone: '212.736.5000', account_id: 'A-200' }),
  std({ source: 'crm', record_id: 'cal', given_name: 'Cal', phone: '(617) 555-0100', account_id: 'A-300' }),
  std({ source: 'billing', record_id: 'cal-b', given_name: 'Cal', phone: '6175550100', account_id: 'A-300' }),
];
const resolution = {
  records,
  clusterOf: Int32Array.from([0, 0, 1, 2, 2]),
  customerIds: ['cust_ann', 'cust_ben', 'cust_cal'],
  clusterConfidence: Float64Array.from([0.97, 0.95, 0.99]),
};

describe('lookupCaller', () => {
  const index = buildCallerIndex(resolution, 'US');

  it('offers every person behind a shared family phone and says it is unsure', () => {
    const match = lookupCaller(index, { phone: '001 212 736 5000' });
    expect(match.phone).toBe('+12127365000');
    expect(match.candidates.map((candidate) => candidate.customerId).sort()).toEqual(['cust_ann', 'cust_ben']);
    expect(match.ambiguous).toBe(true);
    expect(match.candidates[0]?.customerId).toBe('cust_ann'); // two of her records carry it
    expect(match.candidates[0]?.explanation).toContain('phone shared by 2 customers');
  });

  it('settles a shared phone when the caller gives an account id', () => {
    const match = lookupCaller(index, { phone: FAMILY_PHONE, accountId: 'a-200' });
    expect(match.candidates[0]).toMatchObject({ customerId: 'cust_ben', matchedOn: ['phone', 'account'] });
    expect(match.candidates[0]?.explanation).toMatch(/^phone and account \(phone shared by 2 customers\), 0\.\d\d$/);
    expect(match.ambiguous).toBe(false);
  });

  it('is confident for a phone only one customer has', () => {
    const match = lookupCaller(index, { phone: '617-555-0100', accountId: 'A-300' });
    expect(match.candidates).toHaveLength(1);
    expect(match.candidates[0]).toMatchObject({ customerId: 'cust_cal', confidence: 0.99, explanation: 'phone and account, 0.99' });
    expect(match.ambiguous).toBe(false);
  });

  it('returns no candidates for an unknown or unreadable number', () => {
    expect(lookupCaller(index, { phone: '+44 20 7946 0958' }).candidates).toEqual([]);
    expect(lookupCaller(index, { phone: 'withheld' })).toEqual({ phone: null, candidates: [], ambiguous: false });
  });
});

describe('agent actions', () => {
  const assignment = assignmentFromResult(resolution);

  it('confirm marks the profile certain and remembers its links', () => {
    const next = confirmCluster(assignment, 'cust_ann');
    expect(next.clusters.find((c) => c.customerId === 'cust_ann')).toMatchObject({ confirmed: true, confidence: 1 });
    expect(next.mustLink).toEqual([['crm:ann', 'support:ann-t1']]);
    expect(assignment.mustLink).toEqual([]); // pure: the input is untouched
  });

  it('merge joins two profiles under the first id and forgets splits between them', () => {
    const split = splitCluster(assignment, 'cust_cal', ['billing:cal-b']);
    const calB = split.clusters.find((c) => c.memberKeys.includes('billing:cal-b'));
    const merged = mergeClusters(split, 'cust_cal', calB?.customerId ?? '');
    expect(merged.clusters.find((c) => c.customerId === 'cust_cal')?.memberKeys.sort()).toEqual(['billing:cal-b', 'crm:cal']);
    expect(merged.clusters).toHaveLength(3);
    expect(merged.neverLink).toEqual([]);
  });

  it('split moves records to a new profile and remembers never-link pairs', () => {
    const next = splitCluster(assignment, 'cust_ann', ['support:ann-t1']);
    expect(next.clusters).toHaveLength(4);
    expect(next.clusters.find((c) => c.customerId === 'cust_ann')?.memberKeys).toEqual(['crm:ann']);
    expect(next.neverLink).toEqual([['support:ann-t1', 'crm:ann']]);
    expect(splitCluster(assignment, 'cust_ann', ['crm:ann', 'support:ann-t1'])).toBe(assignment); // nothing would remain
  });
});
