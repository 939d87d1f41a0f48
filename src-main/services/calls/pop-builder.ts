import type { CallOffer } from '@shared/contract/server-socket';
import type { PopView } from '@shared/contract/pop';
import type { Interaction } from '@shared/domain/interaction';
import type { Language } from '@shared/domain/language';
import type { OfferNamer } from '@shared/summary/index';
import { primaryDriver, rankOffers } from '@shared/playbook/select';
import { mergeValues, offerIn, rankScripts, scriptProfile, scriptView, startScript, type CallScriptState } from '@shared/playbook/scripts';
import { isPlaybookLanguage } from '@shared/playbook/text';
import type { LocalCache } from '../cache/local-cache';
import { HEURISTIC_VALUE_VERSION } from '@shared/scoring/heuristic-value';

/** The heuristic value is a plain twelve months of margin. */
const HEURISTIC_HORIZON_MONTHS = 12;

export type Summariser = (history: readonly Interaction[], language: Language, offerName?: OfferNamer) => { bullets: string[] };

/** Offers named as the playbook in the cache words them in `language`; an offer it no longer has keeps its id. */
export function offerNamer(cache: LocalCache, language: Language): OfferNamer {
  const offers = new Map((cache.reference.playbook()?.offers ?? []).map((o) => [o.id, o]));
  return (offerId) => {
    const offer = offers.get(offerId);
    return offer ? offerIn(offer, language).name : offerId;
  };
}

const TIMELINE_LENGTH = 20;
/** Contacts read for the brief, on-device and model alike. */
export const HISTORY_FOR_SUMMARY = 200;

/** Who is taking the call and where their script was, when the pop is rebuilt mid-call. */
export interface PopContext {
  agentName: string | null;
  /** The script and step on screen before a rebuild; null starts the best-fitting script. */
  script: CallScriptState | null;
}

/**
 * Assembles the pop from the local cache alone, so it paints as fast with the
 * server away as with it there. Everything here is indexed lookups.
 */
export function buildPop(
  cache: LocalCache, offer: CallOffer, summarise: Summariser, uiLanguage: Language, briefStatus: 'pending' | 'done' = 'done',
  context: PopContext = { agentName: null, script: null },
): PopView {
  const customerId = offer.call.customerId;
  const customer = customerId ? cache.customers.get(customerId) : null;
  const scores = customerId ? cache.customers.scores(customerId) : null;
  const history = customerId ? cache.customers.recentInteractions(customerId, HISTORY_FOR_SUMMARY) : [];
  const playbook = cache.reference.playbook();
  const driver = primaryDriver(scores?.reasons ?? []);
  const tier = scores?.valueTier ?? 'low';
  const churnModel = cache.models.active('churn');
  const valueModel = cache.models.active('value');
  const horizon = valueModel?.kind === 'value' ? valueModel : null;

  // Offers keep their ranking; only their words change to the agent's language.
  const offers = playbook && customer
    ? withRecommendation(rankOffers(playbook, tier, driver, cache.reference.offerStats()), offer.offerDecision?.arm ?? null)
      .slice(0, 3)
      .map((r) => ({ ...r, offer: { ...r.offer, ...offerIn(r.offer, uiLanguage) } }))
    : [];
  let script: PopView['script'] = null;
  if (playbook && customer) {
    const fits = rankScripts(playbook, scriptProfile(scores?.reasons ?? [], scores?.valueTier ?? null, scores?.lifecycleStage, scores?.rfmSegment));
    const kept = context.script && playbook.scripts.find((s) => s.id === context.script?.scriptId);
    const state = kept && context.script ? keepReachable(kept.steps.map((s) => s.id), context.script) : startScript((fits[0] as (typeof fits)[number]).script);
    // The words the agent says are in the caller's language where the playbook has it; the rest follows the agent's.
    const spoken = isPlaybookLanguage(offer.call.language) ? offer.call.language : uiLanguage;
    const values = mergeValues(
      { customer, bestOffer: offers[0]?.offer ?? null, agentName: context.agentName, money: (n) => money(n, spoken), date: (iso) => shortDate(iso, spoken) },
      (o) => offerIn(o, spoken),
    );
    script = scriptView(playbook, fits, state, { ui: uiLanguage, spoken }, values);
  }

  const candidates = offer.match.candidates.map((c) => {
    const candidate = cache.customers.get(c.customerId);
    return { customerId: c.customerId, name: candidate ? `${candidate.givenName} ${candidate.familyName}` : c.customerId, confidence: c.confidence };
  });

  return {
    call: offer.call,
    reservationDeadline: offer.reservationDeadline,
    match: { method: offer.match.method, confidence: offer.match.confidence, candidates },
    customer,
    risk: scores
      ? {
          probability: scores.churnProbability,
          band: scores.churnBand,
          reasons: scores.reasons.slice(0, 3),
          modelVersion: scores.churnModel,
          heuristic: scores.churnModel.startsWith('heuristic'),
          atLastContact: scores.churnAtLastContact
            ? { probability: scores.churnAtLastContact.probability, at: scores.churnAtLastContact.at, churnModel: scores.churnAtLastContact.churnModel }
            : null,
        }
      : null,
    value: scores
      ? {
          clv: scores.clv, tier: scores.valueTier, valueAtRisk: scores.valueAtRisk, modelVersion: scores.valueModel,
          rfmSegment: scores.rfmSegment ?? null, rfm: scores.rfm ?? null, lifecycleStage: scores.lifecycleStage ?? null, pAlive: scores.pAlive ?? null,
          horizonMonths: scores.valueModel === HEURISTIC_VALUE_VERSION ? HEURISTIC_HORIZON_MONTHS : horizon && horizon.modelVersion === scores.valueModel ? horizon.horizonMonths : null,
          churnModelVersion: scores.churnModel,
          tierShares: horizon && horizon.modelVersion === scores.valueModel ? { high: Math.round(horizon.tierShares.high * 100), mid: Math.round(horizon.tierShares.mid * 100) } : null,
        }
      : null,
    models: { churn: churnModel?.modelVersion ?? null, value: valueModel?.modelVersion ?? null },
    script,
    offers,
    timeline: history.slice(0, TIMELINE_LENGTH),
    offerNames: Object.fromEntries((playbook?.offers ?? []).map((o) => [o.id, offerIn(o, uiLanguage).name])),
    // The on-device brief paints with the pop; a model's brief, when configured, streams in over it (status 'pending').
    summary: {
      source: 'on-device',
      model: null,
      bullets: summarise([...history].reverse(), uiLanguage, offerNamer(cache, uiLanguage)).bullets,
      status: customer ? briefStatus : 'done',
      fallbackReason: null,
      language: uiLanguage,
    },
  };
}

/**
 * The server's learner chose an offer for this customer (Thompson sampling on
 * verified stays, with its propensity logged): it goes first, marked. With no
 * choice, or 'none' (the learner would make no offer), the ranking stands.
 */
function withRecommendation<T extends { offer: { id: string } }>(ranked: T[], arm: string | null): Array<T & { recommended?: boolean }> {
  const chosen = arm === null ? undefined : ranked.find((r) => r.offer.id === arm);
  if (!chosen) return ranked;
  return [{ ...chosen, recommended: true }, ...ranked.filter((r) => r !== chosen)];
}

/** A new playbook version may drop steps the call had reached: the path keeps the steps still there (at least the start). */
function keepReachable(stepIds: readonly string[], state: CallScriptState): CallScriptState {
  const path = state.path.filter((id) => stepIds.includes(id));
  return path.length > 0 ? { ...state, path } : { scriptId: state.scriptId, path: [stepIds[0] as string], ended: null };
}

function money(amount: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(amount);
}

function shortDate(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}
