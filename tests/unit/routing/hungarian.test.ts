import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveAssignment } from '@shared/routing';
import { assignmentGain } from '@shared/routing/hungarian';

type Matrix = Array<Array<number | null>>;

/** Best total gain over every partial matching, by exhaustive search. */
function bruteForce(weights: Matrix): number {
  const cols = Math.max(0, ...weights.map((r) => r.length));
  const used = new Array<boolean>(cols).fill(false);
  const go = (row: number): number => {
    if (row === weights.length) return 0;
    let best = go(row + 1); // leave this row unassigned
    for (let c = 0; c < cols; c++) {
      const w = weights[row]?.[c];
      if (used[c] || w === null || w === undefined) continue;
      used[c] = true;
      best = Math.max(best, w + go(row + 1));
      used[c] = false;
    }
    return best;
  };
  return go(0);
}

const matrix = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
  .chain(([rows, cols]) =>
    fc.array(fc.array(fc.option(fc.integer({ min: -50, max: 100 }), { nil: null, freq: 4 }), { minLength: cols, maxLength: cols }), {
      minLength: rows,
      maxLength: rows,
    }),
  );

describe('solveAssignment (Hungarian)', () => {
  it('matches brute force on random small rectangular matrices with forbidden pairs', () => {
    fc.assert(
      fc.property(matrix, (weights) => {
        const assignment = solveAssignment(weights);
        expect(assignment).toHaveLength(weights.length);
        const columns = assignment.filter((c) => c >= 0);
        expect(new Set(columns).size).toBe(columns.length);
        assignment.forEach((c, r) => {
          if (c >= 0) expect(weights[r]?.[c]).not.toBeNull();
        });
        expect(assignmentGain(weights, assignment)).toBeCloseTo(bruteForce(weights), 6);
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('handles fractional weights and wide and tall shapes', () => {
    const tall = [[0.3], [0.9], [0.5]];
    expect(solveAssignment(tall)).toEqual([-1, 0, -1]);
    const wide = [[0.2, 0.8, null]];
    expect(solveAssignment(wide)).toEqual([1]);
    expect(solveAssignment([])).toEqual([]);
    expect(solveAssignment([[null, null]])).toEqual([-1]);
  });
});
