import { describe, expect, it } from 'vitest';
import { parseTargetColumn, parseTargetValue, TargetError } from '@shared/churn/target';

describe('target labels', () => {
  it('accepts yes/no, 1/0, true/false, churned/retained in any case', () => {
    for (const v of ['Yes', 'YES', 'y', '1', 1, true, 'TRUE', 'churned', 'Churn', 'left', 'Exited', '1.0', 'True.']) expect(parseTargetValue(v)).toBe(1);
    for (const v of ['No', 'no', 'N', '0', 0, false, 'false', 'retained', 'Stayed', 'active', '0.0', 'False.']) expect(parseTargetValue(v)).toBe(0);
  });

  it('reads missing labels as null and refuses unknown ones by name', () => {
    expect(parseTargetValue('')).toBeNull();
    expect(parseTargetValue(' NA ')).toBeNull();
    expect(() => parseTargetValue('maybe')).toThrow(/"maybe"/);
    expect(() => parseTargetValue(2)).toThrow(TargetError);
  });

  it('parses a column, skipping rows without a label and naming the bad row', () => {
    const parsed = parseTargetColumn([{ c: 'yes' }, { c: '' }, { c: 'No' }], 'c');
    expect(parsed.rowIndex).toEqual([0, 2]);
    expect(Array.from(parsed.labels)).toEqual([1, 0]);
    expect(parsed.missing).toBe(1);
    expect(() => parseTargetColumn([{ c: 'yes' }, { c: 'perhaps' }], 'c')).toThrow(/row 2/);
    expect(() => parseTargetColumn([{ c: 'yes' }], 'Churn')).toThrow(/target column "Churn" is not in the data/);
  });
});
