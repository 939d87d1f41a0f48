import type { SnapshotPage } from '@shared/contract/sync';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';

/**
 * Rows ready for the cache's tables: the validated objects serialised once,
 * with the columns the tables key on pulled out. A cold sync prepares them
 * on one thread and writes them on another, so the serialising (a quarter
 * of the CPU time of a snapshot) runs beside the SQLite work, not before it.
 * What crosses between the two threads is strings, which copy cheaply.
 */
export interface PreparedCustomer {
  id: string;
  language: string;
  phones: string[];
  /** The hybrid-logical-clock stamps on its editable fields. */
  stamps: string[];
  data: string;
}
export interface PreparedScores {
  customerId: string;
  data: string;
}
export interface PreparedInteraction {
  id: string;
  customerId: string;
  occurredAt: string;
  data: string;
}

/** A snapshot page (or a customer fetched on its own) as rows; the reference data stays as objects, checked on write. */
export type PreparedPage = {
  customers: PreparedCustomer[];
  scores: PreparedScores[];
  interactions: PreparedInteraction[];
} & Partial<Pick<SnapshotPage, 'agents' | 'playbook' | 'offerStats' | 'models'>>;

/** A page of the snapshot as it travels from the fetching thread: rows, and where the snapshot stands. */
export type PreparedSnapshotPage = PreparedPage & Pick<SnapshotPage, 'asOfSeq' | 'totalCustomers' | 'nextCursor'>;

export function prepareCustomer(customer: CustomerProfile): PreparedCustomer {
  return { id: customer.id, language: customer.language, phones: customer.phones, stamps: Object.values(customer.fieldClocks ?? {}), data: JSON.stringify(customer) };
}

export function prepareScores(scores: CustomerScores): PreparedScores {
  return { customerId: scores.customerId, data: JSON.stringify(scores) };
}

export function prepareInteraction(interaction: Interaction): PreparedInteraction {
  return { id: interaction.id, customerId: interaction.customerId, occurredAt: interaction.occurredAt, data: JSON.stringify(interaction) };
}

export function prepareRows(
  page: Pick<SnapshotPage, 'customers' | 'scores' | 'interactions'> & Partial<Pick<SnapshotPage, 'agents' | 'playbook' | 'offerStats' | 'models'>>,
): PreparedPage {
  return {
    customers: page.customers.map(prepareCustomer),
    scores: page.scores.map(prepareScores),
    interactions: page.interactions.map(prepareInteraction),
    ...(page.agents ? { agents: page.agents } : {}),
    ...(page.playbook !== undefined ? { playbook: page.playbook } : {}),
    ...(page.offerStats ? { offerStats: page.offerStats } : {}),
    ...(page.models ? { models: page.models } : {}),
  };
}

export function prepareSnapshotPage(page: SnapshotPage): PreparedSnapshotPage {
  return { ...prepareRows(page), asOfSeq: page.asOfSeq, totalCustomers: page.totalCustomers, nextCursor: page.nextCursor };
}
