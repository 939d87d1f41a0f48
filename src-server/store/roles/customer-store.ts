import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction, Transaction } from '@shared/domain/interaction';
import type { ProfileEdit } from '@shared/sync/profile-edits';

export interface CustomerBundle {
  customer: CustomerProfile;
  scores: CustomerScores | null;
  interactions: Interaction[];
}

/** One customer to write in a batch: besides the bundle, purchase history and the churn label training learns from. */
export type CustomerWrite = CustomerBundle & { transactions?: Transaction[]; churnLabel?: boolean | null };

/** A field edit as the store applies it. */
export type StoredProfileEdit = Pick<ProfileEdit, 'customerId' | 'field' | 'value' | 'hlc'>;

/** Customers: profiles with their phones, scores and history, and the lookups calls and identity need. */
export interface CustomerStore {
  /** Writes a batch of customers with their scores and history in one transaction. */
  upsertCustomers(bundles: readonly CustomerWrite[]): Promise<void>;
  customerCount(): Promise<number>;
  customerBundle(customerId: string): Promise<CustomerBundle | null>;
  customerIdsByPhone(e164: string): Promise<string[]>;
  customerIdsByAccount(accountId: string): Promise<string[]>;
  /** The customers with these ids that exist (any order). */
  customersByIds(ids: readonly string[]): Promise<CustomerProfile[]>;
  appendInteraction(interaction: Interaction): Promise<void>;
  /** Applies a field edit if its clock stamp is newer than the field's (last writer wins per field). */
  applyProfileEdit(edit: StoredProfileEdit): Promise<{ applied: boolean; customer: CustomerProfile | null }>;
  /** Random customers' phone, account and language (for the demo call simulator); with languages, only customers who speak one of them. */
  sampleCallers(count: number, languages?: readonly string[]): Promise<{ phone: string; accountId: string; language: string }[]>;
  /** Customers with their scores, highest expected value at risk first (outreach candidates). */
  customersByValueAtRisk(limit: number): Promise<{ customer: CustomerProfile; scores: CustomerScores }[]>;
}
