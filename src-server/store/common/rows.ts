import { agentSchema, type Agent } from '@shared/domain/agent';
import { customerProfileSchema, customerScoresSchema, type CustomerProfile, type CustomerScores } from '@shared/domain/customer';
import { interactionSchema, transactionSchema, type Interaction } from '@shared/domain/interaction';
import type { ScoringInput } from '../roles/scoring-store';

/** Rows keep their records as JSON text, validated against the domain schemas on the way out. */
export const json = (value: unknown): string => JSON.stringify(value);

export const parseAgent = (data: string): Agent => agentSchema.parse(JSON.parse(data));
export const parseCustomer = (data: string): CustomerProfile => customerProfileSchema.parse(JSON.parse(data));
export const parseScores = (data: string): CustomerScores => customerScoresSchema.parse(JSON.parse(data));
export const parseInteraction = (data: string): Interaction => interactionSchema.parse(JSON.parse(data));

/** Scores for one customer each: a repeat in a batch replaces the earlier one and moves to the end, as row-by-row upserts leave them. */
export function latestScores(scores: readonly CustomerScores[]): Map<string, CustomerScores> {
  const latest = new Map<string, CustomerScores>();
  for (const s of scores) {
    latest.delete(s.customerId);
    latest.set(s.customerId, s);
  }
  return latest;
}

/** A transactions row as both stores select it. */
export interface TransactionRow {
  id: string;
  customer_id: string;
  occurred_at: string;
  amount: number;
  kind: string;
}

/**
 * Scoring inputs from one consistent read: the customers (in the order
 * given), and the scores, interactions (in time order) and transactions
 * read for them. Rows for customers not in the list are ignored.
 */
export function assembleScoringInputs(
  customers: readonly { id: string; data: string; churnLabel: boolean | null }[],
  scores: readonly string[],
  interactions: readonly string[],
  transactions: readonly TransactionRow[],
): ScoringInput[] {
  const rows = new Map<string, ScoringInput>(customers.map((r) => [r.id, {
    customer: parseCustomer(r.data), churnLabel: r.churnLabel, scores: null, interactions: [], transactions: [],
  }]));
  for (const data of scores) {
    const parsed = parseScores(data);
    const row = rows.get(parsed.customerId);
    if (row) row.scores = parsed;
  }
  for (const data of interactions) {
    const interaction = parseInteraction(data);
    rows.get(interaction.customerId)?.interactions.push(interaction);
  }
  for (const r of transactions) {
    const transaction = transactionSchema.parse({ id: r.id, customerId: r.customer_id, occurredAt: r.occurred_at, amount: r.amount, kind: r.kind });
    rows.get(transaction.customerId)?.transactions.push(transaction);
  }
  return [...rows.values()];
}
