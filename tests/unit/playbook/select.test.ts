import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalisePlaybook } from '@shared/playbook/playbook';
import { offerSegment, rankOffers } from '@shared/playbook/select';

const playbook = normalisePlaybook(JSON.parse(readFileSync(new URL('../../../resources/playbook/default.json', import.meta.url), 'utf8')));

describe('playbook selection', () => {
  it('offers only what the tier allows', () => {
    const low = rankOffers(playbook, 'low', 'price', []).map((r) => r.offer.id);
    expect(low).not.toContain('price-match');
    expect(rankOffers(playbook, 'high', 'price', []).map((r) => r.offer.id)).toContain('price-match');
  });

  it('learns: an offer that keeps working rises, one that keeps failing gives way', () => {
    const segment = offerSegment('high', 'price');
    const before = rankOffers(playbook, 'high', 'price', []);
    expect(before[0]?.offer.drivers).toContain('price');
    const failing = before[0]!.offer.id;
    const working = before[before.length - 1]!.offer.id;
    expect(working).not.toBe(failing);
    const stats = [
      { offerId: failing, segment, made: 20, accepted: 1 },
      { offerId: working, segment, made: 20, accepted: 15 },
    ];
    const after = rankOffers(playbook, 'high', 'price', stats);
    expect(after[0]?.offer.id).toBe(working);
    expect(after.findIndex((r) => r.offer.id === failing)).toBeGreaterThan(0);
    // Statistics from another segment do not leak into this one.
    expect(rankOffers(playbook, 'mid', 'service', stats)[0]?.made).toBe(0);
  });
});
