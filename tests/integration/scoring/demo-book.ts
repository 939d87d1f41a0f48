import type { DemoOptions } from '@shared/demo-data/generate';
import { generateCustomer } from '@shared/demo-data/generate';
import type { Transaction } from '@shared/domain/interaction';
import { customerIdForAccount, unifyAccount } from '../../../src-server/ingest/unify-by-account';
import type { CustomerBundle, ServerStore } from '../../../src-server/store/server-store';

export const DEMO_AS_OF = '2026-11-20';
export const DEMO_SCORED_AT = `${DEMO_AS_OF}T12:00:00.000Z`;

export interface DemoCustomer {
  bundle: CustomerBundle & { transactions: Transaction[]; churnLabel: boolean | null };
  /** The generator's outcome, whether or not the store is told it. */
  churned: boolean;
}

/** Generated demo customers as the store holds them; `labelled(i)` decides whose outcome the store knows. */
export function demoCustomers(count: number, labelled: (index: number) => boolean, seed = 11, from = 0): DemoCustomer[] {
  const options: DemoOptions = { seed, customers: from + count, asOf: DEMO_AS_OF };
  return Array.from({ length: count }, (_, k) => {
    const index = from + k;
    const generated = generateCustomer(options, index);
    const customerId = customerIdForAccount(generated.accountId);
    const interactions = generated.interactions.map((i) => ({ ...i, customerId }));
    const transactions = generated.transactions.map((t) => ({ ...t, customerId }));
    const customer = unifyAccount(generated.records.filter((r) => r.accountId), interactions, transactions, generated.timezone, DEMO_SCORED_AT);
    return {
      bundle: { customer, scores: null, interactions, transactions, churnLabel: labelled(index) ? generated.churnedNext90d : null },
      churned: generated.churnedNext90d,
    };
  });
}

export async function storeDemoCustomers(store: ServerStore, customers: readonly DemoCustomer[]): Promise<void> {
  for (let start = 0; start < customers.length; start += 1000) await store.upsertCustomers(customers.slice(start, start + 1000).map((c) => c.bundle));
}
