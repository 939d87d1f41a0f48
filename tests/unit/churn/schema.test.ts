import { describe, expect, it } from 'vitest';
import { createRowEncoder } from '@shared/churn/encode';
import { detectSchema, quantileCuts } from '@shared/churn/schema';
import { isMissingValue, parseNumeric } from '@shared/churn/values';

function table(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    customerID: `${1000 + i}-ABCD`,
    rowNumber: 5000 + i,
    tenure: i % 7 === 0 ? ' ' : String(i % 40),
    senior: i % 3 === 0 ? '1' : '0',
    charges: i === 5 ? 'oops' : (20 + i * 0.37).toFixed(2),
    contract: ['Month-to-month', 'One year', 'Two year'][i % 3],
    channel: i === 7 ? 'carrier pigeon' : i % 11 === 0 ? 'NA' : ['web', 'shop'][i % 2],
    region: 'north',
    churn: i % 4 === 0 ? 'Yes' : 'No',
  }));
}

describe('missing values and numbers', () => {
  it('treats blank, space, NA, null, ? and friends as missing', () => {
    for (const value of ['', ' ', 'NA', 'n/a', 'null', 'NULL', '?', 'NaN', null, undefined, Number.NaN]) expect(isMissingValue(value)).toBe(true);
    for (const value of ['0', 'No', 0, false, 'none of them']) expect(isMissingValue(value)).toBe(false);
  });

  it('parses plain numbers only', () => {
    expect(parseNumeric(' 29.85 ')).toBe(29.85);
    expect(parseNumeric('1e3')).toBe(1000);
    expect(parseNumeric(true)).toBe(1);
    expect(parseNumeric('12abc')).toBeNaN();
    expect(parseNumeric(' ')).toBeNaN();
  });
});

describe('detectSchema', () => {
  const rows = table(300);
  const schema = detectSchema(rows, 'churn');
  const byName = new Map(schema.features.map((f) => [f.name, f]));

  it('drops identifier-like and constant columns and says why', () => {
    expect(byName.has('customerID')).toBe(false);
    expect(byName.has('region')).toBe(false);
    expect(schema.dropped.find((c) => c.name === 'customerID')?.reason).toMatch(/identifier/);
    expect(byName.has('rowNumber')).toBe(false);
    expect(schema.dropped.find((c) => c.name === 'rowNumber')?.reason).toMatch(/identifier-like \(300 distinct whole numbers/);
    expect(schema.dropped.find((c) => c.name === 'region')?.reason).toBe('constant');
    expect(byName.has('churn')).toBe(false);
  });

  it('types columns: numbers (even 0/1 flags and a stray bad value) vs categories', () => {
    expect(byName.get('tenure')?.kind).toBe('numeric');
    expect(byName.get('senior')?.kind).toBe('numeric');
    expect(byName.get('charges')?.kind).toBe('numeric');
    expect(byName.get('contract')?.kind).toBe('categorical');
    const tenure = byName.get('tenure');
    expect(tenure?.missingRate).toBeCloseTo(43 / 300, 12);
  });

  it('keeps frequent levels and folds rare ones into "other"', () => {
    const channel = byName.get('channel');
    if (channel?.kind !== 'categorical') throw new Error('channel should be categorical');
    expect(channel.levels).toEqual(['web', 'shop']);
    const encode = createRowEncoder(schema.features);
    const out = new Float64Array(schema.features.length);
    const j = schema.features.indexOf(channel);
    encode({ channel: 'carrier pigeon' }, out);
    expect(out[j]).toBe(2);
    encode({ channel: 'never seen' }, out);
    expect(out[j]).toBe(2);
    encode({ channel: ' NA ' }, out);
    expect(out[j]).toBeNaN();
    encode({ channel: 'shop' }, out);
    expect(out[j]).toBe(1);
  });

  it('honours an explicit drop list', () => {
    const dropped = detectSchema(rows, 'churn', { drop: ['contract'] });
    expect(dropped.features.some((f) => f.name === 'contract')).toBe(false);
    expect(dropped.dropped).toContainEqual({ name: 'contract', reason: 'dropped on request' });
  });

  it('makes equal-frequency cuts between observed values', () => {
    expect(quantileCuts([1, 1, 2, 3], 10)).toEqual([1.5, 2.5]);
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const cuts = quantileCuts(many, 10);
    expect(cuts.length).toBe(9);
    expect(cuts[4]).toBeCloseTo(499.5, 6);
  });
});
