import type { Channel, Interaction, Topic } from '@shared/domain/interaction';

export type SentimentTrend = 'improving' | 'worsening' | 'stable' | 'unknown';

export interface OpenTicketFact {
  readonly id: string;
  readonly topic: Topic;
  readonly openedAt: string;
  readonly summary: string;
}

export interface BriefFacts {
  readonly interactionCount: number;
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  readonly channels: Partial<Record<Channel, number>>;
  readonly lastContact: { readonly id: string; readonly at: string; readonly channel: Channel; readonly topic: Topic } | null;
  /** Oldest first. */
  readonly openTickets: readonly OpenTicketFact[];
  readonly latestComplaint: { readonly id: string; readonly at: string; readonly channel: Channel; readonly summary: string } | null;
  readonly lastOffer: { readonly id: string; readonly at: string; readonly offerId: string; readonly result: 'accepted' | 'declined' | 'pending' } | null;
  readonly sentiment: {
    readonly trend: SentimentTrend;
    /** Mean of the most recent contacts. */
    readonly recentMean: number | null;
    readonly recentCount: number;
    /** Mean of the contacts before those. */
    readonly previousMean: number | null;
    readonly previousCount: number;
    readonly delta: number | null;
  };
  /** The latest commitment made to the customer. */
  readonly promise: { readonly id: string; readonly at: string; readonly text: string; readonly total: number } | null;
}

/** Trend windows: the last few contacts against the stretch before them. */
export const RECENT_WINDOW = 5;
export const PREVIOUS_WINDOW = 20;
/** A change of mean sentiment smaller than this is "stable". */
export const TREND_THRESHOLD = 0.2;

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Chronological order; equal timestamps fall back to id so the result never depends on input order. */
export function chronological(interactions: readonly Interaction[]): Interaction[] {
  return interactions
    .map((i) => ({ i, t: timeOf(i.occurredAt) }))
    .sort((a, b) => a.t - b.t || (a.i.id < b.i.id ? -1 : a.i.id > b.i.id ? 1 : 0))
    .map((x) => x.i);
}

export function sentimentTrend(sorted: readonly Interaction[]): BriefFacts['sentiment'] {
  const recentCount = Math.min(RECENT_WINDOW, Math.floor(sorted.length / 2));
  if (recentCount < 1) {
    const only = mean(sorted.map((i) => i.sentiment));
    return { trend: 'unknown', recentMean: only === null ? null : round2(only), recentCount: sorted.length, previousMean: null, previousCount: 0, delta: null };
  }
  const recent = sorted.slice(sorted.length - recentCount);
  const previous = sorted.slice(Math.max(0, sorted.length - recentCount - PREVIOUS_WINDOW), sorted.length - recentCount);
  const recentMean = mean(recent.map((i) => i.sentiment)) as number;
  const previousMean = mean(previous.map((i) => i.sentiment)) as number;
  const delta = recentMean - previousMean;
  const trend: SentimentTrend = delta >= TREND_THRESHOLD ? 'improving' : delta <= -TREND_THRESHOLD ? 'worsening' : 'stable';
  return { trend, recentMean: round2(recentMean), recentCount, previousMean: round2(previousMean), previousCount: previous.length, delta: round2(delta) };
}

/** Everything the brief states, computed in one pass over the chronological history. */
export function computeBriefFacts(interactions: readonly Interaction[]): BriefFacts {
  const sorted = chronological(interactions);
  const channels: Partial<Record<Channel, number>> = {};
  const openTickets: OpenTicketFact[] = [];
  let latestComplaint: BriefFacts['latestComplaint'] = null;
  let lastOffer: BriefFacts['lastOffer'] = null;
  let promise: BriefFacts['promise'] = null;
  let promises = 0;
  for (const i of sorted) {
    channels[i.channel] = (channels[i.channel] ?? 0) + 1;
    if (i.ticketStatus === 'open') openTickets.push({ id: i.id, topic: i.topic, openedAt: i.occurredAt, summary: i.summary });
    if (i.topic === 'complaint') latestComplaint = { id: i.id, at: i.occurredAt, channel: i.channel, summary: i.summary };
    if (i.offer) lastOffer = { id: i.id, at: i.occurredAt, offerId: i.offer.offerId, result: i.offer.result };
    if (i.promise && i.promise.trim().length > 0) {
      promises++;
      promise = { id: i.id, at: i.occurredAt, text: i.promise.trim(), total: 0 };
    }
  }
  const last = sorted[sorted.length - 1];
  return {
    interactionCount: sorted.length,
    firstAt: sorted[0]?.occurredAt ?? null,
    lastAt: last?.occurredAt ?? null,
    channels,
    lastContact: last ? { id: last.id, at: last.occurredAt, channel: last.channel, topic: last.topic } : null,
    openTickets,
    latestComplaint,
    lastOffer,
    sentiment: sentimentTrend(sorted),
    promise: promise ? { ...promise, total: promises } : null,
  };
}
