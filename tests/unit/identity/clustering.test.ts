import { describe, expect, it } from 'vitest';
import { assignmentFromResult, previousIdsOf, splitCluster } from '@shared/identity/agent-actions';
import { clusterRecords } from '@shared/identity/clustering';
import type { PairScorer } from '@shared/identity/clustering';
import { resolveIdentities } from '@shared/identity/resolve';
import { generateIdentityRecords } from '@shared/identity/synthetic';

const A = 0;
const B = 1;
const C = 2;

function edges(list: Array<[number, number, number]>) {
  return {
    a: Int32Array.from(list.map(([a]) => a)),
    b: Int32Array.from(list.map(([, b]) => b)),
    probability: Float64Array.from(list.map(([, , p]) => p)),
  };
}

function scorer(table: Record<string, { probability: number; conflict: boolean }>): PairScorer {
  return (i, j) => table[`${Math.min(i, j)}-${Math.max(i, j)}`] ?? { probability: 0, conflict: false };
}

const none = { neverLink: [], mustLink: [] };
const options = { mergeThreshold: 0.5, maxClusterSize: 100 };

describe('clusterRecords', () => {
  it('refuses the chain A~B~C when A and C have conflicting hard ids', () => {
    const score = scorer({
      '0-1': { probability: 0.99, conflict: false },
      '1-2': { probability: 0.98, conflict: false },
      '0-2': { probability: 0.01, conflict: true },
    });
    const result = clusterRecords(3, edges([[A, B, 0.99], [B, C, 0.98]]), score, none, options);
    expect(result.clusterOf[A]).toBe(result.clusterOf[B]);
    expect(result.clusterOf[C]).not.toBe(result.clusterOf[A]);
    expect(result.refused.conflict).toBe(1);
  });

  it('refuses a chain whose ends are unrelated even without a conflict (average linkage)', () => {
    const score = scorer({ '0-1': { probability: 0.9, conflict: false }, '1-2': { probability: 0.9, conflict: false } });
    const result = clusterRecords(3, edges([[A, B, 0.9], [B, C, 0.9]]), score, none, options);
    expect(result.clusterCount).toBe(2);
    expect(result.refused.weak).toBe(1);
  });

  it('merges all three when every pair agrees', () => {
    const agree = { probability: 0.95, conflict: false };
    const result = clusterRecords(3, edges([[A, B, 0.99], [B, C, 0.98]]), scorer({ '0-1': agree, '1-2': agree, '0-2': agree }), none, options);
    expect(result.clusterCount).toBe(1);
  });

  it('never links a remembered split, and always keeps a confirmed link', () => {
    const agree = { probability: 0.99, conflict: false };
    const score = scorer({ '0-1': agree, '1-2': agree, '0-2': agree });
    const split = clusterRecords(3, edges([[A, B, 0.99], [B, C, 0.99]]), score, { neverLink: [[A, C]], mustLink: [] }, options);
    expect(split.clusterOf[A]).not.toBe(split.clusterOf[C]);
    const confirmed = clusterRecords(3, edges([]), score, { neverLink: [], mustLink: [[A, C]] }, options);
    expect(confirmed.clusterOf[A]).toBe(confirmed.clusterOf[C]);
    expect(confirmed.clusterOf[B]).not.toBe(confirmed.clusterOf[A]);
  });
});

describe('splits survive a re-run of the whole pipeline', () => {
  it('keeps a split record apart and the remaining profile keeps its id', () => {
    const records = [...generateIdentityRecords({ people: 150, seed: 5 })];
    const first = resolveIdentities(records, { golden: false });
    const assignment = assignmentFromResult(first);
    const target = assignment.clusters.find((cluster) => cluster.memberKeys.length >= 3);
    expect(target).toBeDefined();
    const moved = (target?.memberKeys ?? [])[0] as string;
    const afterSplit = splitCluster(assignment, target?.customerId ?? '', [moved]);
    expect(afterSplit.neverLink.length).toBe((target?.memberKeys.length ?? 1) - 1);

    const second = resolveIdentities(records, { golden: false, neverLink: afterSplit.neverLink, previousIds: previousIdsOf(afterSplit) });
    const index = new Map(second.records.map((record, i) => [record.key, i]));
    const clusterOfKey = (key: string): number => second.clusterOf[index.get(key) as number] as number;
    const rest = (target?.memberKeys ?? []).filter((key) => key !== moved);
    for (const key of rest) expect(clusterOfKey(key)).not.toBe(clusterOfKey(moved));
    expect(second.customerIds[clusterOfKey(rest[0] as string)]).toBe(target?.customerId);
  });
});
