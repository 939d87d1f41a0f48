import { describe, expect, it } from 'vitest';
import { BlockIndex, forEachBlockingKey } from '@shared/identity/block-index';
import { candidatePairs, defaultBlockingKeys, defaultOneEditKeys } from '@shared/identity/blocking';
import { IncrementalResolver } from '@shared/identity/incremental';
import { prepareRecords } from '@shared/identity/prepared';
import { resolveIdentities } from '@shared/identity/resolve';
import { standardiseRecord } from '@shared/identity/standardise';
import { generateIdentityRecords } from '@shared/identity/synthetic';

const region = { defaultRegion: 'US' as const };
const book = [...generateIdentityRecords({ people: 300, seed: 'incremental-unit' })].map(({ entity_id: _truth, ...record }) => record);

describe('blocking keys by value', () => {
  it('proposes every pair the full blocking proposes', () => {
    const standard = book.map((record) => standardiseRecord(record, region));
    const prepared = prepareRecords(standard);
    const full = candidatePairs(prepared, defaultBlockingKeys(prepared), { maxBlockSize: 100 }, defaultOneEditKeys());
    const index = new BlockIndex();
    const keys = Array.from({ length: prepared.size }, (_v, row) => {
      const own: Array<[number, string]> = [];
      forEachBlockingKey(prepared, row, (kind, text) => {
        own.push([kind, text]);
        index.add(kind, text, row);
      });
      return own;
    });
    let missed = 0;
    for (const code of full.codes) {
      const i = Math.floor(code / prepared.size);
      const j = code - i * prepared.size;
      if (!(keys[i] ?? []).some(([kind, text]) => index.rows(kind, text).includes(j))) missed++;
    }
    expect(full.codes.length).toBeGreaterThan(500);
    expect(missed).toBe(0);
  });

  it('forgets a removed row and keeps the others under the key', () => {
    const index = new BlockIndex();
    index.add(0, '+12125550100', 1);
    index.add(0, '+12125550100', 2);
    index.add(0, '+12125550100', 2);
    expect(index.rows(0, '+12125550100')).toEqual([1, 2]);
    index.remove(0, '+12125550100', 1);
    expect(index.rows(0, '+12125550100')).toEqual([2]);
    index.remove(0, '+12125550100', 2);
    expect(index.rows(0, '+12125550100')).toEqual([]);
  });
});

describe('IncrementalResolver', () => {
  const result = resolveIdentities(book, { standardise: region, golden: false });
  const seed = () => ({ ...result, records: [...result.records], customerIds: [...result.customerIds] });

  it('puts a typo of a known record with that record, and a stranger on their own', () => {
    const resolver = new IncrementalResolver(seed());
    const known = book.find((record) => record.source === 'crm' && record.given_name && record.family_name && record.phone && record.date_of_birth)!;
    const row = resolver.rowOfKey(`${known.source}:${known.record_id}`)!;
    const name = known.family_name as string;
    const typo = { ...known, source: 'helpdesk', record_id: 'T-1', family_name: name.slice(0, 1) + name.slice(2, 3) + name.slice(1, 2) + name.slice(3), email: null, account_id: null };
    const placed = resolver.place(standardiseRecord(typo, region));
    expect(placed).toMatchObject({ joined: true, cluster: resolver.clusterOf[row], left: null });
    expect(resolver.recordConfidence[placed.row]).toBeGreaterThan(0.5);

    const clusters = resolver.customerIds.length;
    const stranger = resolver.place(standardiseRecord({ source: 'crm', record_id: 'S-1', given_name: 'Ottoline', family_name: 'Wragge', date_of_birth: '1931-07-09', phone: '+61 3 9555 0101' }, region));
    expect(stranger).toMatchObject({ joined: false, cluster: clusters });
    expect(resolver.members[clusters]).toEqual([stranger.row]);
  });

  it('refuses a cluster holding a record the new one must never meet, and a hard conflict', () => {
    const resolver = new IncrementalResolver(seed());
    const known = book.find((record) => record.source === 'crm' && record.given_name && record.phone && record.date_of_birth && record.national_id)!;
    const key = `${known.source}:${known.record_id}`;
    const copy = { ...known, source: 'helpdesk', record_id: 'T-2' };
    const cluster = resolver.clusterOf[resolver.rowOfKey(key)!];
    const free = resolver.place(standardiseRecord({ ...copy, record_id: 'T-0' }, region));
    expect(free.cluster).toBe(cluster);
    const split = resolver.place(standardiseRecord(copy, region), { neverWith: new Set([key]), mustWith: [], splitKeys: new Set([key]) });
    expect(split.cluster).not.toBe(cluster);
    // Same name and phone, but another national id and birth date, no shared account: a different person (a twin sharing a phone).
    const twin = { ...known, source: 'helpdesk', record_id: 'T-3', date_of_birth: '1902-01-01', national_id: '999999999', email: null, account_id: null };
    expect(resolver.place(standardiseRecord(twin, region)).cluster).not.toBe(cluster);
  });

  it('gives a nameless usage record to the named holder of its account', () => {
    const resolver = new IncrementalResolver(seed());
    const holder = book.find((record) => record.source === 'crm' && record.account_id && record.given_name)!;
    const row = resolver.rowOfKey(`${holder.source}:${holder.record_id}`)!;
    const usage = resolver.place(standardiseRecord({ source: 'meter', record_id: 'U-1', account_id: holder.account_id, phone: '+1 (907) 555-0199' }, region));
    expect(usage.cluster).toBe(resolver.clusterOf[row]);
  });
});
