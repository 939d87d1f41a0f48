import { randomUUID } from 'node:crypto';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { addDays } from '@shared/supervisor/review-figures';
import { reviewFact } from '../../src-server/review/review-fact';
import type { TestStack } from './stack';

/**
 * Sixty days of outcomes from the demo floor, each with the review facts the
 * routing service would write (the customer's real scores, the playbook's
 * offers), so the review has trends, cuts and a previous period to show.
 */
export async function seedReviewOutcomes(stack: TestStack): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const { store } = stack.server;
  const customers = (await store.snapshotPage(null, 200)).customers;
  const offers = (await store.playbook())!.offers;
  const agents = DEMO_AGENTS.filter((a) => a.role === 'agent').slice(0, 6);
  const writes = [];
  for (let i = 0; i < 240; i++) {
    const customer = customers[(i * 7) % customers.length]!;
    const bundle = (await store.customerBundle(customer.id))!;
    const agent = agents[i % agents.length]!;
    const offer = i % 3 === 0 ? null : offers[i % offers.length]!;
    const at = new Date(Date.parse(`${addDays(today, -(i % 60))}T09:00:00Z`) + (i % 17) * 60_000).toISOString();
    const saved = (i * 7919 + 17) % 100 < 58;
    const outcome: OutcomeRecord = {
      id: randomUUID(), callId: `CALL-e2e-${i}`, customerId: customer.id, agentId: agent.id, disposition: saved ? 'retained' : 'churned',
      offerId: offer?.id ?? null, offerOutcome: offer ? (saved ? 'accepted' : 'declined') : 'no_offer',
      notes: `Asked about the ${i % 2 ? 'price rise' : 'outage'}; ${saved ? 'staying' : 'leaving'}.`, summary: `Call ${i}: ${saved ? 'kept' : 'lost'}.`,
      summaryAuthor: 'agent', createdAt: at, agentName: agent.displayName, customerName: `${customer.givenName} ${customer.familyName}`,
      valueTier: bundle.scores?.valueTier ?? null, clv: bundle.scores?.clv ?? null, receivedAt: at,
    };
    const meta = { kind: i % 4 === 0 ? 'outreach' : 'inbound', arm: i % 4 === 0 ? null : i % 5 === 0 ? 'baseline' : 'policy' } as const;
    writes.push({ outcome, interaction: null, offerStat: null, review: reviewFact({ agent, scores: bundle.scores, meta: meta as never, offer }) });
  }
  await store.applyOutcomes(writes);
  // Billing's verdicts on the saves past the 30-day horizon, as the verified-outcomes job records them: about one in four left.
  await store.recordVerdicts(writes.filter(({ outcome }) => outcome.disposition === 'retained' && Date.parse(outcome.receivedAt) < Date.now() - 31 * 86_400_000)
    .map(({ outcome }, i) => ({ outcomeId: outcome.id, verdict: i % 4 === 0 ? 'left' as const : 'stayed' as const })));
}

