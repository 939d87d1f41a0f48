import { readFileSync } from 'node:fs';
import type { CustomerScores } from '@shared/domain/customer';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { generateCustomer, type DemoOptions, type GeneratedCustomer, type SourceRecord } from '@shared/demo-data/generate';
import { heuristicChurn } from '@shared/scoring/heuristic-churn';
import { HEURISTIC_VALUE_VERSION, heuristicClv, tierCutoffs, tierFor } from '@shared/scoring/heuristic-value';
import { playbookSchema, type Playbook } from '@shared/playbook/playbook';
import { hashPassword } from '../auth/passwords';
import { contentHash } from '../import/content-hash';
import { canonicalFromDemo } from '../identity/demo-records';
import type { IdentityService, ResolveSummary } from '../identity/identity-service';
import { scoreBook, type ScoreBookOptions, type ScoreBookStore, type ScoreBookSummary } from '../scoring/score-book';
import type { AgentStore } from '../store/roles/agent-store';
import type { CustomerBundle, CustomerStore } from '../store/roles/customer-store';
import type { IdentityStore } from '../store/roles/identity-store';
import type { PlaybookStore } from '../store/roles/playbook-store';
import { normaliseEmail, toE164 } from './standardise';
import { customerIdForAccount, unifyAccount } from './unify-by-account';

const BATCH = 1000;
const TIER_SAMPLE = 20_000;

export function loadDefaultPlaybook(): Playbook {
  const file = new URL('../../resources/playbook/default.json', import.meta.url);
  return playbookSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * Support records often lack the account id. One joins the account only when
 * its phone or email matches a record that has the id; the rest stay unlinked
 * until identity resolution (issue 4) scores them properly.
 */
function linkableRecords(records: readonly SourceRecord[]): SourceRecord[] {
  const anchored = records.filter((r) => r.accountId);
  const phones = new Set(anchored.map((r) => toE164(r.phone, r.country)).filter((p) => p !== null));
  const emails = new Set(anchored.map((r) => normaliseEmail(r.email)).filter((e) => e !== null));
  return records.filter((r) => r.accountId || phones.has(toE164(r.phone, r.country) ?? '') || emails.has(normaliseEmail(r.email) ?? ''));
}

function unify(generated: GeneratedCustomer, asOfIso: string): CustomerBundle & { churnLabel: boolean; transactions: GeneratedCustomer['transactions'] } {
  const customerId = customerIdForAccount(generated.accountId);
  // Source systems key history by account; re-key it to the unified customer.
  const interactions = generated.interactions.map((i) => ({ ...i, customerId }));
  const transactions = generated.transactions.map((t) => ({ ...t, customerId }));
  const customer = unifyAccount(linkableRecords(generated.records), interactions, transactions, generated.timezone, asOfIso);
  return { customer, scores: null, interactions, transactions, churnLabel: generated.churnedNext90d };
}

function score(bundle: CustomerBundle, asOfIso: string, cutoffs: { high: number; mid: number }): CustomerScores {
  const churn = heuristicChurn(bundle.customer, asOfIso);
  const clv = heuristicClv(bundle.customer.plan.monthlyCharge, churn.probability);
  return {
    customerId: bundle.customer.id,
    churnProbability: Math.round(churn.probability * 1000) / 1000,
    churnBand: churn.band,
    reasons: churn.reasons,
    churnModel: churn.modelVersion,
    clv,
    valueTier: tierFor(clv, cutoffs),
    valueModel: HEURISTIC_VALUE_VERSION,
    valueAtRisk: Math.round(churn.probability * clv * 100) / 100,
    scoredAt: asOfIso,
  };
}

/** Demo mode only: the demo roster. Its password is published, so one hash (one salt) serves every demo account. */
export async function seedAgents(store: AgentStore): Promise<void> {
  const hashes = new Map<string, Promise<string>>();
  for (const { password, ...agent } of DEMO_AGENTS) {
    if (await store.agentByUsername(agent.username)) continue;
    if (!hashes.has(password)) hashes.set(password, hashPassword(password));
    await store.upsertAgent(agent, await hashes.get(password)!);
  }
}

export interface DemoScoring {
  /** Progress lines from identity resolution, training and scoring. */
  log?: (message: string) => void;
  onResolved?: (summary: ResolveSummary) => void;
  onScored?: (summary: ScoreBookSummary) => void;
  /** CLV horizon, margin, discount rate and tier shares for the value model (server configuration). */
  value?: Pick<ScoreBookOptions, 'clv' | 'tiers'>;
}

/**
 * Fills an empty store with the demo book, then trains the churn and value
 * models on it and rescores every customer (scoreBook). The heuristic scores
 * written while seeding stay only where the book has too few labelled
 * customers to train on (scoreBook's MIN_LABELS_PER_CLASS), or if the
 * process stops before scoring finishes. A store that has customers is left alone.
 */
export async function seedDemoData(
  store: AgentStore & PlaybookStore & CustomerStore & IdentityStore & ScoreBookStore,
  identity: Pick<IdentityService, 'resolve'>,
  options: DemoOptions,
  onProgress?: (done: number, total: number) => void,
  scoring: DemoScoring = {},
): Promise<boolean> {
  await seedAgents(store);
  if (!(await store.playbook())) await store.putPlaybook(loadDefaultPlaybook());
  if ((await store.customerCount()) > 0) return false;
  const asOfIso = `${options.asOf}T12:00:00.000Z`;

  // Tier cut-offs from a deterministic sample, so a million customers need not sit in memory.
  const sampleSize = Math.min(options.customers, TIER_SAMPLE);
  const sampleClv: number[] = [];
  for (let i = 0; i < sampleSize; i++) {
    const index = Math.floor((i * options.customers) / sampleSize);
    const { customer } = unify(generateCustomer(options, index), asOfIso);
    sampleClv.push(heuristicClv(customer.plan.monthlyCharge, heuristicChurn(customer, asOfIso).probability));
  }
  const cutoffs = tierCutoffs(sampleClv);

  for (let start = 0; start < options.customers; start += BATCH) {
    const batch = [];
    const sourceRecords = [];
    for (let i = start; i < Math.min(options.customers, start + BATCH); i++) {
      const generated = generateCustomer(options, i);
      const bundle = unify(generated, asOfIso);
      batch.push({ ...bundle, scores: score(bundle, asOfIso, cutoffs) });
      // Every system's raw record goes to identity resolution; those carrying the account id
      // start out in the account's customer, so its business data stays attached.
      for (const record of generated.records) {
        const canonical = canonicalFromDemo(record);
        sourceRecords.push({ record: canonical, hash: contentHash(canonical), customerId: record.accountId ? bundle.customer.id : null });
      }
    }
    await store.upsertCustomers(batch);
    await store.upsertSourceRecords(sourceRecords);
    onProgress?.(Math.min(options.customers, start + BATCH), options.customers);
  }
  // Identity resolution links the support records (typos, nicknames, no account id) and
  // rewrites each customer's person fields from the golden record, with lineage.
  const resolved = await identity.resolve();
  scoring.log?.(`identity: ${resolved.records} records -> ${resolved.customers} customers, ${resolved.unlinkedRecords} unlinked, ${resolved.ms} ms`);
  scoring.onResolved?.(resolved);
  const summary = await scoreBook(store, { asOf: options.asOf, scoredAt: asOfIso, seed: options.seed, log: scoring.log, ...scoring.value });
  scoring.onScored?.(summary);
  return true;
}
