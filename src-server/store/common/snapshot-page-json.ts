import type { SnapshotPage } from '@shared/contract/sync';

/** The reference data that rides on a snapshot's first page. */
export type SnapshotReference = Pick<SnapshotPage, 'agents' | 'playbook' | 'offerStats' | 'models'>;

/** A snapshot page as the store read it: customers, scores and history still as their stored JSON texts. */
export interface SnapshotPageParts {
  asOfSeq: number;
  totalCustomers: number;
  customers: readonly string[];
  scores: readonly string[];
  interactions: readonly string[];
  /** Null on every page but the first. */
  reference: SnapshotReference | null;
  nextCursor: string | null;
}

const NO_REFERENCE: SnapshotReference = { agents: [], playbook: null, offerStats: [], models: [] };

/**
 * The page's wire form, spliced from the rows' stored JSON. A cold sync of
 * 100,000 customers moves about 400 MB of it; parsing every row only to
 * serialise it again cost the server 8 s of CPU, on a machine whose other
 * core is busy writing the same pages into the desktop's cache. The texts
 * were validated against the contract when they were written (every write
 * path parses with the domain schemas), and the desktop validates the page
 * again on receipt.
 */
export function snapshotPageJson(parts: SnapshotPageParts): string {
  const reference = parts.reference ?? NO_REFERENCE;
  return `{"asOfSeq":${JSON.stringify(parts.asOfSeq)},"totalCustomers":${JSON.stringify(parts.totalCustomers)}`
    + `,"customers":[${parts.customers.join(',')}],"scores":[${parts.scores.join(',')}],"interactions":[${parts.interactions.join(',')}]`
    + `,"agents":${JSON.stringify(reference.agents)},"playbook":${JSON.stringify(reference.playbook)}`
    + `,"offerStats":${JSON.stringify(reference.offerStats)},"models":${JSON.stringify(reference.models)}`
    + `,"nextCursor":${JSON.stringify(parts.nextCursor)}}`;
}
