import type { ChurnDriver, CustomerProfile, Reason, ValueTier } from '../domain/customer';
import type { Playbook, PlaybookScript, PlaybookStep, ScriptProgress } from '../domain/playbook';
import type { RetentionOffer } from '../domain/offer';
import type { PopScript } from '../contract/pop';
import { mergeLine, textIn, type MergeValues } from './text';

/** What a script is chosen by: the top churn reasons (first counts most) and the value profile. */
export interface ScriptProfile {
  drivers: readonly ChurnDriver[];
  tier: ValueTier | null;
  lifecycleStage: string | null;
  rfmSegment: string | null;
}

export function scriptProfile(reasons: readonly Reason[], tier: ValueTier | null, lifecycleStage: string | null | undefined, rfmSegment: string | null | undefined): ScriptProfile {
  const drivers: ChurnDriver[] = [];
  for (const reason of reasons.slice(0, 3)) if (!drivers.includes(reason.driver)) drivers.push(reason.driver);
  return { drivers, tier, lifecycleStage: lifecycleStage ?? null, rfmSegment: rfmSegment ?? null };
}

export interface ScriptFit {
  script: PlaybookScript;
  /** Whether every condition of the script holds for the customer. */
  fits: boolean;
  /** Higher is a closer fit: the rank of the matched reason, plus PROFILE_WEIGHT per profile condition met. */
  score: number;
}

/** Driver weight by the rank of the reason it matched: the main reason outweighs the two after it together. */
const DRIVER_WEIGHTS = [4, 2, 1];
/**
 * Each profile condition met (tier, lifecycle stage, RFM segment). Two of
 * them outweigh the main reason alone, so a script written for a narrow
 * group (lapsed "At risk" customers) wins over the generic one for the
 * driver; one alone does not.
 */
const PROFILE_WEIGHT = 3;

function fit(script: PlaybookScript, profile: ScriptProfile): ScriptFit {
  const { drivers, tiers, lifecycleStages, rfmSegments } = script.when;
  let score = 0;
  let fits = true;
  if (drivers && drivers.length > 0) {
    const rank = profile.drivers.findIndex((d) => drivers.includes(d));
    if (rank < 0) fits = false;
    else score += DRIVER_WEIGHTS[rank] ?? 0;
  }
  const condition = (allowed: readonly string[] | undefined, value: string | null): void => {
    if (!allowed || allowed.length === 0) return;
    if (value !== null && allowed.includes(value)) score += PROFILE_WEIGHT;
    else fits = false;
  };
  condition(tiers, profile.tier);
  condition(lifecycleStages, profile.lifecycleStage);
  condition(rfmSegments, profile.rfmSegment);
  return { script, fits, score: fits ? score : -1 };
}

/** Every script, the best fit first (ties keep the file's order); scripts that do not fit come last. */
export function rankScripts(playbook: Playbook, profile: ScriptProfile): ScriptFit[] {
  return playbook.scripts.map((script, order) => ({ ...fit(script, profile), order }))
    .sort((a, b) => Number(b.fits) - Number(a.fits) || b.score - a.score || a.order - b.order)
    .map(({ order: _order, ...rest }) => rest);
}

/** The script a call starts on. The first script stands in when nothing fits, so a call always has one. */
export function chooseScript(playbook: Playbook, profile: ScriptProfile): PlaybookScript {
  const best = rankScripts(playbook, profile)[0];
  if (!best) throw new Error('The playbook has no scripts');
  return best.script;
}

/** Where the call is in its script: the steps reached, and how it ended when it has. */
export interface CallScriptState {
  scriptId: string;
  path: string[];
  ended: { answerId: string; outcome: 'saved' | 'lost' | null } | null;
}

export function startScript(script: PlaybookScript): CallScriptState {
  return { scriptId: script.id, path: [(script.steps[0] as PlaybookStep).id], ended: null };
}

function currentStep(script: PlaybookScript, state: CallScriptState): PlaybookStep | null {
  const id = state.path[state.path.length - 1];
  return script.steps.find((s) => s.id === id) ?? null;
}

/** The customer answered: on to the step the answer leads to, or the end of the script. Unknown answers change nothing. */
export function answerStep(script: PlaybookScript, state: CallScriptState, answerId: string): CallScriptState {
  if (state.ended) return state;
  const answer = currentStep(script, state)?.answers.find((a) => a.id === answerId);
  if (!answer) return state;
  if (answer.next === null || !script.steps.some((s) => s.id === answer.next)) return { ...state, ended: { answerId, outcome: answer.outcome ?? null } };
  return { ...state, path: [...state.path, answer.next] };
}

/** "Next step": the step's first answer, the way the script goes when nothing else is said. */
export function nextStep(script: PlaybookScript, state: CallScriptState): CallScriptState {
  const first = currentStep(script, state)?.answers[0];
  return first ? answerStep(script, state, first.id) : state;
}

/** One step back (or out of the end). */
export function stepBack(state: CallScriptState): CallScriptState {
  if (state.ended) return { ...state, ended: null };
  return state.path.length > 1 ? { ...state, path: state.path.slice(0, -1) } : state;
}

/** The progress recorded with the wrap-up. */
export function progressOf(state: CallScriptState, version: number): ScriptProgress {
  return { scriptId: state.scriptId, version, path: state.path.slice(0, 200) };
}

/** What merge fields are filled from: the customer on the call, the best offer for them, the agent. */
export interface MergeContext {
  customer: CustomerProfile | null;
  bestOffer: RetentionOffer | null;
  agentName: string | null;
  /** Formats money and dates for the line's language. */
  money: (amount: number) => string;
  date: (iso: string) => string;
}

export function mergeValues(context: MergeContext, offerText: (offer: RetentionOffer) => { name: string; description: string }): MergeValues {
  const { customer, bestOffer } = context;
  const offer = bestOffer ? offerText(bestOffer) : null;
  return {
    'customer.firstName': customer?.givenName ?? null,
    'customer.lastName': customer?.familyName ?? null,
    'customer.fullName': customer ? `${customer.givenName} ${customer.familyName}` : null,
    'customer.plan': customer?.plan.name ?? null,
    'customer.monthlyCharge': customer ? context.money(customer.plan.monthlyCharge) : null,
    'customer.tenureMonths': customer ? String(customer.plan.tenureMonths) : null,
    'customer.contractEnd': customer?.plan.contractEnd ? context.date(customer.plan.contractEnd) : null,
    'offer.name': offer?.name ?? null,
    'offer.description': offer?.description ?? null,
    'agent.firstName': context.agentName?.split(' ')[0] ?? null,
  };
}

/** An offer's name and description in a language (English where it has no translation). */
export function offerIn(offer: RetentionOffer, language: string): { name: string; description: string } {
  if (language === 'he' || language === 'ru' || language === 'zh') return offer.translations?.[language] ?? { name: offer.name, description: offer.description };
  return { name: offer.name, description: offer.description };
}

/**
 * The script as the pop shows it: every step's lines in the agent's
 * language, what is said in the call's language, merge fields filled, and
 * the other scripts the agent may switch to.
 */
export function scriptView(
  playbook: Playbook,
  fits: readonly ScriptFit[],
  state: CallScriptState,
  languages: { ui: string; spoken: string },
  values: MergeValues,
): PopScript | null {
  const script = playbook.scripts.find((s) => s.id === state.scriptId);
  if (!script) return null;
  return {
    scriptId: script.id,
    name: textIn(script.name, languages.ui),
    version: playbook.version,
    spokenLanguage: languages.spoken,
    steps: script.steps.map((step) => ({
      id: step.id,
      title: textIn(step.title, languages.ui),
      say: mergeLine(textIn(step.say, languages.spoken), values),
      offerIds: step.offers ?? [],
      answers: step.answers.map((a) => ({ id: a.id, label: textIn(a.label, languages.ui), next: a.next, outcome: a.outcome ?? null })),
    })),
    path: state.path,
    ended: state.ended,
    alternatives: fits.map((f) => ({ scriptId: f.script.id, name: textIn(f.script.name, languages.ui), fits: f.fits })),
  };
}
