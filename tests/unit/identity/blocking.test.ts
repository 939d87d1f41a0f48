import { describe, expect, it } from 'vitest';
import { candidatePairs, defaultBlockingKeys, defaultOneEditKeys } from '@shared/identity/blocking';
import type { BlockingKey } from '@shared/identity/blocking';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { prepareRecords } from '@shared/identity/prepared';
import { standardiseRecord } from '@shared/identity/standardise';

const prepare = (records: Array<Partial<CanonicalRecord>>) =>
  prepareRecords(records.map((record, i) => standardiseRecord({ source: 's', record_id: String(i), ...record }, { defaultRegion: 'US' })));

const decode = (codes: Float64Array, size: number): string[] => Array.from(codes, (code) => `${Math.floor(code / size)}-${code % size}`);

describe('candidatePairs', () => {
  const byCity: BlockingKey = { name: 'city', keyOf: (p, row) => p.city.values[p.city.ids[row] as number] ?? null };

  it('skips and reports blocks above the size cap', () => {
    const p = prepare([{ city: 'x' }, { city: 'x' }, { city: 'x' }, { city: 'x' }, { city: 'x' }, { city: 'y' }, { city: 'y' }]);
    const result = candidatePairs(p, [byCity], { maxBlockSize: 3 });
    expect(decode(result.codes, p.size)).toEqual(['5-6']);
    expect(result.oversized).toEqual([{ key: 'city', value: 'x', size: 5, exampleRow: 0 }]);
    expect(result.report[0]).toMatchObject({ key: 'city', blocks: 1, pairs: 1, oversized: 1 });
  });

  it('lowers the cap of a key that would exceed the pair budget, largest blocks first', () => {
    const cities = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'];
    const p = prepare(cities.map((city) => ({ city })));
    const result = candidatePairs(p, [byCity], { maxBlockSize: 100, maxPairsPerRecord: 0.002 }); // budget: 2 pairs
    expect(decode(result.codes, p.size)).toEqual(['4-5', '6-7']);
    expect(result.report[0]?.cap).toBe(3); // the 4-record block goes, blocks up to 3 stay
  });

  it('finds ids one typo apart and deduplicates pairs found by several keys', () => {
    const p = prepare([
      { national_id: '5490051', family_name: 'Parker', date_of_birth: '1970-01-01' },
      { national_id: '5490015', family_name: 'Cheryl', date_of_birth: '1971-02-02' },
      { national_id: '1111111', family_name: 'Parker', date_of_birth: '1970-01-01' },
    ]);
    const result = candidatePairs(p, defaultBlockingKeys(p), { maxBlockSize: 100 }, defaultOneEditKeys());
    expect(decode(result.codes, p.size)).toEqual(['0-1', '0-2']);
  });

  it('keeps only cross-file pairs when told to', () => {
    const p = prepare([{ city: 'x' }, { city: 'x' }, { city: 'x' }]);
    const result = candidatePairs(p, [byCity], { maxBlockSize: 10, acceptPair: (i, j) => (i === 0) !== (j === 0) });
    expect(decode(result.codes, p.size)).toEqual(['0-1', '0-2']);
  });
});
