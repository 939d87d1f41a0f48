import { createScorer, customerFeatureRow, type ChurnModel, type ChurnScore, type ChurnScorer } from '@shared/churn';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import { heuristicChurn } from '@shared/scoring/heuristic-churn';
import { HEURISTIC_VALUE_VERSION, heuristicClv } from '@shared/scoring/heuristic-value';
import { deriveSignals } from '@shared/scoring/signals';
import type { DocumentStore } from '../store/roles/document-store';
import type { ScoringInput, ScoringStore } from '../store/roles/scoring-store';
import { lastContactAnchor, lastContactAt, profileBeforeContact } from './last-contact';
import { churnModelRegistry, valueModelRegistry } from './model-registry';
import { DAY_MS, purchaseHistory, REPEAT_PURCHASE_KINDS } from './purchase-history';
import { round, scoresRecord } from './scores-record';
import type { ValueModelFile } from './value-model-file';
import { customerValues } from './value-scoring';

/**
 * Rescores a few customers whose data just changed (a wrap-up, an outreach
 * attempt, identity ingest creating or changing them) with the models the
 * store holds, so they do not keep a stale or missing score until the next
 * `npm run train`. The scores go into the change feed like any others.
 *
 * What a rescore can and cannot redo without the rest of the book:
 * - churn: the current churn model (or the heuristic while there is none) on
 *   the customer's signals re-derived from their stored history as of now
 *   (usage is only stored as a trend, so that is kept), with the trend since
 *   the last contact anchored as scoreBook anchors it;
 * - value: CLV, p(alive), lifecycle and the tier from the stored value
 *   model's own cut-offs. RFM quintiles are ranks within the whole book, so a
 *   customer keeps the RFM they were last given (a new customer has none
 *   until the next train); so does the tier under the heuristic value, whose
 *   cut-offs are book ranks too.
 */

const TRANSACTION_KINDS: readonly Transaction['kind'][] = [...REPEAT_PURCHASE_KINDS, 'payment_failed'];

export interface RescoreModels {
  churn: ChurnModel | null;
  scorer: ChurnScorer | null;
  value: ValueModelFile | null;
}

/**
 * The store's current models, compiled once per version: a rescore after a
 * wrap-up must not pay for loading and compiling the ensemble every time. A
 * stored file that no longer loads leaves the models held so far in use.
 */
export class StoredModels {
  private readonly churnRegistry = churnModelRegistry();
  private readonly valueRegistry = valueModelRegistry();
  private scorer: ChurnScorer | null = null;
  private problems = new Map<string, string>();
  /** What current() last returned, until invalidate(): reading and checking a model file costs more than rescoring a customer. */
  private held: RescoreModels | null = null;

  constructor(private readonly store: Pick<DocumentStore, 'model'>, private readonly log: (message: string) => void = () => {}) {}

  /** A model was published (a 'model' change in the feed): the next current() reads the store again. */
  invalidate(): void {
    this.held = null;
  }

  async current(): Promise<RescoreModels> {
    if (this.held) return this.held;
    this.held = await this.load();
    return this.held;
  }

  private async load(): Promise<RescoreModels> {
    const churnFile = await this.store.model('churn');
    const heldChurn = this.churnRegistry.current;
    if (churnFile !== null && !sameFile(heldChurn, churnFile)) this.note('churn', this.churnRegistry.offer(churnFile));
    const valueFile = await this.store.model('value');
    if (valueFile !== null && !sameFile(this.valueRegistry.current, valueFile)) this.note('value', this.valueRegistry.offer(valueFile));
    const churn = this.churnRegistry.current;
    if (churn && (!this.scorer || this.scorer.modelVersion !== churn.modelVersion)) this.scorer = createScorer(churn, { topReasons: 3 });
    return { churn, scorer: churn ? this.scorer : null, value: this.valueRegistry.current };
  }

  private note(kind: string, result: { ok: true } | { ok: false; error: string }): void {
    if (result.ok) {
      this.problems.delete(kind);
      return;
    }
    // Said once per distinct problem, not on every rescore.
    if (this.problems.get(kind) !== result.error) this.log(result.error);
    this.problems.set(kind, result.error);
  }
}

/** Same version and creation time: the file held already (a version is a content fingerprint). */
function sameFile(held: { modelVersion: string; createdAt: string } | null, file: unknown): boolean {
  if (!held || typeof file !== 'object' || file === null) return false;
  const f = file as { modelVersion?: unknown; createdAt?: unknown };
  return f.modelVersion === held.modelVersion && f.createdAt === held.createdAt;
}

/** The profile as it stands now: signals re-derived from the stored history (usage kept, as it is stored only as a trend). */
export function currentProfile(profile: CustomerProfile, interactions: readonly Interaction[], transactions: readonly Transaction[], at: string): CustomerProfile {
  const signals = deriveSignals(interactions, transactions, null, at);
  return { ...profile, signals: { ...signals, usageChange90d: profile.signals.usageChange90d } };
}

/** One customer's new scores with the given models; throws only on a bug (the result is checked against the contract). */
export function rescoreOne(input: ScoringInput, models: RescoreModels, scoredAt: string): CustomerScores {
  const scoredAtMs = Date.parse(scoredAt);
  const { customer, interactions, transactions, scores: previous } = input;
  const profile = currentProfile(customer, interactions, transactions, scoredAt);
  const { scorer } = models;
  const churn: ChurnScore = scorer ? scorer.score(customerFeatureRow(profile, scoredAt)) : heuristicChurn(profile, scoredAt);

  const contactAt = lastContactAt(interactions, scoredAtMs);
  const anchor = lastContactAnchor(previous, contactAt);
  let atLastContact: CustomerScores['churnAtLastContact'] = null;
  if (anchor.kind === 'stored') atLastContact = anchor.snapshot;
  else if (anchor.kind === 'replay') {
    const before = profileBeforeContact(customer, interactions, transactions, anchor.contactAt, scoredAtMs);
    const replayed = scorer ? scorer.score(customerFeatureRow(before, anchor.contactAt)).probability : heuristicChurn(before, anchor.contactAt).probability;
    atLastContact = { probability: round(replayed, 4), at: anchor.contactAt, churnModel: churn.modelVersion, replayed: true };
  }

  let clv: number;
  let tier: CustomerScores['valueTier'];
  let lifecycle: { lifecycleStage: NonNullable<CustomerScores['lifecycleStage']>; pAlive: number } | undefined;
  if (models.value) {
    const history = purchaseHistory(transactions, Math.floor(scoredAtMs / DAY_MS));
    const [value] = customerValues([{ history, tenureMonths: customer.plan.tenureMonths }], models.value, 'file');
    if (!value) throw new Error('value scoring returned no row');
    clv = value.clv;
    tier = value.valueTier;
    lifecycle = { lifecycleStage: value.lifecycleStage, pAlive: value.pAlive };
  } else {
    clv = heuristicClv(customer.plan.monthlyCharge, churn.probability);
    tier = previous?.valueTier ?? 'low';
  }

  return scoresRecord({
    customerId: customer.id, churn, clv, valueTier: tier, valueModel: models.value?.modelVersion ?? HEURISTIC_VALUE_VERSION, scoredAt,
    ...(scorer && models.churn ? { churnModelTrainedAt: models.churn.createdAt } : {}),
    churnAtLastContact: atLastContact,
    ...(previous ? { previousChurn: { probability: previous.churnProbability, at: previous.scoredAt, churnModel: previous.churnModel } } : {}),
    // RFM ranks the whole book, so one customer keeps the segment of the last book scoring.
    ...(previous?.rfm && previous.rfmSegment ? { rfm: { rfm: previous.rfm, rfmSegment: previous.rfmSegment } } : {}),
    ...(lifecycle ? { lifecycle } : {}),
  });
}

export interface RescoreResult {
  written: number;
  churnModel: string | null;
  valueModel: string | null;
}

/** Rescores these customers (unknown and merged-away ids are skipped) and writes their scores in one batch. */
export async function rescoreCustomers(store: ScoringStore, ids: readonly string[], models: StoredModels, scoredAt: string = new Date().toISOString()): Promise<RescoreResult> {
  const current = await models.current();
  const inputs = ids.length === 0 ? [] : await store.scoringInputsFor(ids, { transactionKinds: TRANSACTION_KINDS });
  // A customer merged into another is a forwarding address now; its heir is the one scored.
  const scored = inputs.filter((input) => !input.customer.identity?.mergedInto).map((input) => rescoreOne(input, current, scoredAt));
  const written = scored.length > 0 ? await store.putScores(scored) : 0;
  return { written, churnModel: current.churn?.modelVersion ?? null, valueModel: current.value?.modelVersion ?? null };
}
