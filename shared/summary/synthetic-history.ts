import type { Channel, Interaction, Topic } from '@shared/domain/interaction';
import { createRandom } from '@shared/util/random';

export type PlantedTrend = 'improving' | 'worsening' | 'stable';

/** What the generator planted, so a test can check that a summary states it. */
export interface PlantedFacts {
  readonly openTickets: readonly { id: string; topic: Topic; openedAt: string; summary: string }[];
  readonly latestComplaint: { id: string; at: string; summary: string } | null;
  readonly lastOffer: { id: string; at: string; offerId: string; result: 'accepted' | 'declined' | 'pending' } | null;
  readonly promise: { id: string; at: string; text: string } | null;
  readonly trend: PlantedTrend;
}

export interface SyntheticHistory {
  /** In random order: consumers must sort. */
  readonly interactions: readonly Interaction[];
  readonly planted: PlantedFacts;
}

export interface SyntheticHistoryOptions {
  readonly count?: number;
  readonly customerId?: string;
  readonly trend?: PlantedTrend;
  readonly openTickets?: number;
  readonly complaints?: number;
  readonly offers?: number;
  readonly promises?: number;
  readonly start?: string;
}

const BACKGROUND_TOPICS: readonly Topic[] = ['billing', 'technical', 'general', 'plan_change'];
const CHANNELS: readonly Channel[] = ['call', 'chat', 'email', 'ticket', 'sms'];
const COMPLAINTS = [
  'Charged twice for the router rental',
  'Technician did not show up for the booked visit',
  'Promised discount never appeared on the bill',
  'Was transferred five times and then cut off',
  'Speed far below what the plan advertises',
];
const OPEN_ISSUES = ['Fibre line drops every evening', 'Refund for the duplicate charge not received', 'Number porting stuck', 'Modem replacement not delivered'];
const OFFERS = ['RET-10OFF', 'RET-FREEMONTH', 'RET-SPEEDUP', 'RET-LOYALTY'];
const PROMISES = ['Credit of $20 on next bill', 'Technician visit on Friday morning', 'Call back with the refund status within 48 hours', 'Waive the late fee'];
const BACKGROUND_SUMMARIES: Readonly<Record<string, readonly string[]>> = {
  billing: ['Asked about the invoice total', 'Payment date question', 'Requested a copy of the bill'],
  technical: ['Router restarted, issue solved', 'Wi-Fi setup help', 'Slow speed, line reset'],
  general: ['Opening hours question', 'Updated contact preferences', 'Asked about coverage'],
  plan_change: ['Asked about bigger data plans', 'Compared plan prices', 'Added a TV package'],
};

const clamp = (x: number): number => Math.max(-1, Math.min(1, x));

/**
 * A customer history with known facts: open tickets, complaints, offers,
 * promises and a sentiment shift over the last few contacts. Everything else
 * is neutral background (closed tickets, no offers, no promises, no complaints).
 */
export function generateSyntheticHistory(seed: number | string, options: SyntheticHistoryOptions = {}): SyntheticHistory {
  const r = createRandom(seed);
  const count = Math.max(1, options.count ?? 200);
  const customerId = options.customerId ?? `cust-${String(seed)}`;
  const trend: PlantedTrend = options.trend ?? r.pick(['improving', 'worsening', 'stable'] as const);
  const start = Date.parse(options.start ?? '2023-01-02T08:00:00.000Z');

  // Strictly increasing times, a few days apart.
  const times: string[] = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    t += Math.round((0.5 + r.exponential(3)) * 86_400_000) + 60_000;
    times.push(new Date(t).toISOString());
  }

  const base = trend === 'improving' ? r.normal(-0.35, 0.08) : trend === 'worsening' ? r.normal(0.3, 0.08) : r.normal(0, 0.2);
  const shifted = Math.min(count - 1, r.int(3, 8));
  const shift = trend === 'improving' ? 0.8 : trend === 'worsening' ? -0.8 : 0;

  const interactions: Interaction[] = times.map((occurredAt, i) => {
    const topic = r.pick(BACKGROUND_TOPICS);
    const channel = r.pick(CHANNELS);
    const late = i >= count - shifted;
    return {
      id: `${customerId}-i${String(i).padStart(4, '0')}`,
      customerId,
      channel,
      direction: r.chance(0.8) ? 'inbound' : 'outbound',
      occurredAt,
      agentId: channel === 'call' || channel === 'chat' ? `agent-${r.int(1, 40)}` : null,
      topic,
      sentiment: clamp(base + (late ? shift : 0) + r.normal(0, 0.05)),
      summary: r.pick(BACKGROUND_SUMMARIES[topic] ?? ['Contact']),
      ticketStatus: channel === 'ticket' ? 'closed' : null,
      offer: null,
      promise: null,
    };
  });

  // Distinct positions for planted facts.
  const free = Array.from({ length: count }, (_, i) => i);
  const take = (): number | null => {
    if (free.length === 0) return null;
    return free.splice(r.int(0, free.length - 1), 1)[0] as number;
  };
  const plant = (n: number, apply: (index: number, k: number) => void): void => {
    for (let k = 0; k < n; k++) {
      const index = take();
      if (index !== null) apply(index, k);
    }
  };
  const at = (index: number): Interaction => interactions[index] as Interaction;

  plant(options.openTickets ?? r.int(0, 3), (index, k) => {
    const i = at(index);
    interactions[index] = { ...i, channel: 'ticket', agentId: null, topic: k % 2 === 0 ? 'technical' : 'billing', ticketStatus: 'open', summary: `${OPEN_ISSUES[k % OPEN_ISSUES.length]} (T${k + 1})` };
  });
  plant(options.complaints ?? r.int(1, 3), (index, k) => {
    interactions[index] = { ...at(index), topic: 'complaint', summary: `${COMPLAINTS[k % COMPLAINTS.length]} (C${k + 1})` };
  });
  plant(options.offers ?? r.int(1, 3), (index, k) => {
    interactions[index] = { ...at(index), channel: 'call', offer: { offerId: OFFERS[k % OFFERS.length] as string, result: r.pick(['accepted', 'declined', 'pending'] as const) } };
  });
  plant(options.promises ?? r.int(0, 2), (index, k) => {
    interactions[index] = { ...at(index), promise: `${PROMISES[k % PROMISES.length]} (P${k + 1})` };
  });

  const latest = <T extends { at: string }>(items: T[]): T | null => items.reduce<T | null>((best, x) => (best === null || x.at > best.at ? x : best), null);
  const planted: PlantedFacts = {
    openTickets: interactions.filter((i) => i.ticketStatus === 'open').map((i) => ({ id: i.id, topic: i.topic, openedAt: i.occurredAt, summary: i.summary })),
    latestComplaint: latest(interactions.filter((i) => i.topic === 'complaint').map((i) => ({ id: i.id, at: i.occurredAt, summary: i.summary }))),
    lastOffer: latest(interactions.flatMap((i) => (i.offer ? [{ id: i.id, at: i.occurredAt, offerId: i.offer.offerId, result: i.offer.result }] : []))),
    promise: latest(interactions.flatMap((i) => (i.promise ? [{ id: i.id, at: i.occurredAt, text: i.promise }] : []))),
    trend,
  };

  // Hand them over shuffled, as a merge of several systems would.
  const shuffled = [...interactions];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j] as Interaction, shuffled[i] as Interaction];
  }
  return { interactions: shuffled, planted };
}
