import type { Interaction } from '@shared/domain/interaction';
import type { Language } from '@shared/domain/language';
import { formatDay } from '@shared/util/intl';
import { type BriefFacts, computeBriefFacts } from './facts';
import { BRIEF_TEMPLATES, type BriefTemplates } from './templates';

export const BRIEF_KINDS = ['status', 'complaint', 'offer', 'sentiment', 'promise'] as const;
export type BriefKind = (typeof BRIEF_KINDS)[number];

export interface BriefBullet {
  readonly kind: BriefKind;
  readonly text: string;
}

export interface OnDeviceBrief {
  readonly source: 'on-device';
  readonly language: Language;
  /** At most five, in BRIEF_KINDS order; kinds with nothing to say are left out. */
  readonly bullets: readonly BriefBullet[];
  readonly facts: BriefFacts;
}

export const MAX_BULLETS = 5;
const MAX_QUOTE = 90;
const MAX_LISTED_TICKETS = 3;

const signed = (x: number): string => (x > 0 ? '+' : x < 0 ? '-' : '') + Math.abs(x).toFixed(2);

function quote(t: BriefTemplates, text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  const cut = chars.length > MAX_QUOTE ? chars.slice(0, MAX_QUOTE - 1).join('').trimEnd() + '…' : clean;
  return `${t.quotes[0]}${cut}${t.quotes[1]}`;
}

function statusBullet(t: BriefTemplates, f: BriefFacts, day: (iso: string) => string): string | null {
  if (!f.lastContact || !f.firstAt) return null;
  const channels = (Object.entries(f.channels) as [keyof BriefTemplates['channel'], number][])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c, n]) => `${t.channel[c]} ×${n}`)
    .join(t.listSeparator);
  let open = t.noOpenTickets;
  if (f.openTickets.length > 0) {
    const listed = f.openTickets.slice(0, MAX_LISTED_TICKETS).map((o) => `${t.topic[o.topic]} ${day(o.openedAt)} ${quote(t, o.summary)}`);
    const rest = f.openTickets.length - listed.length;
    if (rest > 0) listed.push(t.moreTickets(rest));
    open = t.openTickets(f.openTickets.length, listed.join(t.listSeparator));
  }
  return t.status({
    count: f.interactionCount,
    since: day(f.firstAt),
    channels,
    lastDate: day(f.lastContact.at),
    lastChannel: t.channel[f.lastContact.channel],
    lastTopic: t.topic[f.lastContact.topic],
    open,
  });
}

function sentimentBullet(t: BriefTemplates, f: BriefFacts): string | null {
  const s = f.sentiment;
  if (s.recentMean === null) return null;
  if (s.trend === 'unknown' || s.previousMean === null) return t.sentimentSingle(signed(s.recentMean), s.recentCount);
  return t.sentiment(t.trend[s.trend], signed(s.recentMean), s.recentCount, signed(s.previousMean), s.previousCount);
}

/** Names an offer by its id in the brief's language (the playbook's words); without one, the id. */
export type OfferNamer = (offerId: string) => string;

/** Renders facts as at most five localised bullets. */
export function renderBrief(facts: BriefFacts, language: Language, offerName: OfferNamer = (id) => id): BriefBullet[] {
  const t = BRIEF_TEMPLATES[language];
  const day = (iso: string): string => formatDay(language, iso);
  const bullets: BriefBullet[] = [];
  const add = (kind: BriefKind, text: string | null): void => {
    if (text !== null && bullets.length < MAX_BULLETS) bullets.push({ kind, text });
  };
  add('status', statusBullet(t, facts, day));
  if (facts.latestComplaint) {
    const c = facts.latestComplaint;
    add('complaint', t.complaint(day(c.at), t.channel[c.channel], quote(t, c.summary)));
  }
  if (facts.lastOffer) {
    const o = facts.lastOffer;
    add('offer', t.offer(offerName(o.offerId), day(o.at), t.offerResult[o.result]));
  }
  add('sentiment', sentimentBullet(t, facts));
  if (facts.promise) add('promise', t.promise(day(facts.promise.at), quote(t, facts.promise.text), facts.promise.total));
  return bullets;
}

/**
 * The deterministic on-device brief: used when no model is configured, while
 * it is slow, or when it fails.
 */
export function summarizeHistory(interactions: readonly Interaction[], language: Language, offerName?: OfferNamer): OnDeviceBrief {
  const facts = computeBriefFacts(interactions);
  return { source: 'on-device', language, bullets: renderBrief(facts, language, offerName), facts };
}
