import { describe, expect, it } from 'vitest';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { outcomeBreakdown } from '@shared/supervisor/outcome-breakdown';

let seq = 0;
function outcome(fields: Partial<OutcomeRecord>): OutcomeRecord {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, callId: `C${seq}`, customerId: `K${seq}`, agentId: 'A1', agentName: 'Ann',
    disposition: 'retained', offerId: null, offerOutcome: 'no_offer', notes: '', summary: '', summaryAuthor: 'agent',
    createdAt: '2026-11-20T10:00:00.000Z', customerName: 'X', valueTier: 'high', clv: 100, receivedAt: `2026-11-20T10:${String(seq % 60).padStart(2, '0')}:00.000Z`,
    ...fields,
  };
}

describe('save rate by agent, offer and segment', () => {
  const segments: Record<string, string> = { K1: 'high-high', K2: 'high-high', K3: 'low-medium' };
  const lookup = { segmentOf: (id: string) => segments[id] ?? 'unscored', offerName: (id: string) => (id === 'O-DISC' ? '20% off' : id) };

  it('counts retention outcomes only, by each grouping, with value saved from the kept customers', () => {
    seq = 0;
    const rows = [
      outcome({ customerId: 'K1', offerId: 'O-DISC', offerOutcome: 'accepted', clv: 1200 }),
      outcome({ customerId: 'K2', offerId: 'O-DISC', offerOutcome: 'declined', disposition: 'churned', clv: 900 }),
      outcome({ customerId: 'K3', agentId: 'A2', agentName: 'Bo', disposition: 'undecided', clv: 50 }),
      outcome({ customerId: 'K4', agentId: 'A2', agentName: 'Bo', clv: null }),
      outcome({ customerId: 'K5', disposition: 'not_retention', clv: 5000 }),
    ];
    const result = outcomeBreakdown(rows, lookup);
    expect(result.outcomes).toBe(4);
    expect(result.valueSaved).toBe(1200);
    expect(result.since).toBe(rows[0]!.receivedAt);
    expect(result.byAgent).toEqual([
      { key: 'A1', label: 'Ann', calls: 2, saves: 1, rate: 0.5, valueSaved: 1200 },
      { key: 'A2', label: 'Bo', calls: 2, saves: 1, rate: 0.5, valueSaved: 0 },
    ]);
    expect(result.byOffer).toEqual([
      { key: 'none', label: '', calls: 2, saves: 1, rate: 0.5, valueSaved: 0, accepted: 0 },
      { key: 'offer:O-DISC', label: '20% off', calls: 2, saves: 1, rate: 0.5, valueSaved: 1200, accepted: 1 },
    ]);
    expect(Object.fromEntries(result.bySegment.map((g) => [g.key, [g.calls, g.saves]]))).toEqual({ 'high-high': [2, 1], 'low-medium': [1, 0], unscored: [1, 1] });
  });

  it('is empty without outcomes', () => {
    expect(outcomeBreakdown([], lookup)).toEqual({ outcomes: 0, since: null, valueSaved: 0, byAgent: [], byOffer: [], bySegment: [] });
  });
});
