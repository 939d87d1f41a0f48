import type { OutcomeBreakdown, OutcomeGroup } from '../contract/desktop-api';
import type { OutcomeRecord } from '../domain/wrap-up';

/**
 * Save rate and value saved of retention outcomes, grouped by agent, by the
 * offer made (or none) and by customer segment. "Not a retention call"
 * wrap-ups are left out; a save is a "retained" disposition, and the value
 * saved is the lifetime value of the customers kept.
 */
export function outcomeBreakdown(
  outcomes: Iterable<OutcomeRecord>,
  lookup: { segmentOf(customerId: string): string; offerName(offerId: string): string },
): OutcomeBreakdown {
  type Tally = OutcomeGroup & { accepted: number };
  const byAgent = new Map<string, Tally>();
  const byOffer = new Map<string, Tally>();
  const bySegment = new Map<string, Tally>();
  const add = (groups: Map<string, Tally>, key: string, label: string, saved: boolean, value: number, accepted = false): void => {
    let tally = groups.get(key);
    if (!tally) {
      tally = { key, label, calls: 0, saves: 0, rate: null, valueSaved: 0, accepted: 0 };
      groups.set(key, tally);
    }
    tally.calls++;
    if (saved) {
      tally.saves++;
      tally.valueSaved += value;
    }
    if (accepted) tally.accepted++;
  };
  let counted = 0;
  let since: string | null = null;
  let valueSaved = 0;
  for (const outcome of outcomes) {
    if (outcome.disposition === 'not_retention') continue;
    counted++;
    if (since === null || outcome.receivedAt < since) since = outcome.receivedAt;
    const saved = outcome.disposition === 'retained';
    const value = saved && outcome.clv !== null && Number.isFinite(outcome.clv) ? Math.max(0, outcome.clv) : 0;
    valueSaved += value;
    add(byAgent, outcome.agentId, outcome.agentName, saved, value);
    const offered = outcome.offerId !== null && outcome.offerOutcome !== 'no_offer';
    if (offered) add(byOffer, `offer:${outcome.offerId as string}`, lookup.offerName(outcome.offerId as string), saved, value, outcome.offerOutcome === 'accepted');
    else add(byOffer, 'none', '', saved, value);
    add(bySegment, lookup.segmentOf(outcome.customerId), '', saved, value);
  }
  const rows = (groups: Map<string, Tally>): Tally[] =>
    [...groups.values()]
      .map((g) => ({ ...g, rate: g.calls > 0 ? g.saves / g.calls : null }))
      .sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const strip = ({ accepted: _accepted, ...group }: Tally): OutcomeGroup => group;
  return { outcomes: counted, since, valueSaved, byAgent: rows(byAgent).map(strip), byOffer: rows(byOffer), bySegment: rows(bySegment).map(strip) };
}
