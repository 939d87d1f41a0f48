import type Database from 'better-sqlite3-multiple-ciphers';
import type { Change, SnapshotPage } from '@shared/contract/sync';
import { prepareCustomer, prepareInteraction, prepareRows, prepareScores, type PreparedPage } from './prepared-rows';
import type { CustomerRows } from './rows/customers';
import type { MetaRows } from './rows/meta';
import type { ModelRows } from './rows/models';
import type { ReferenceRows } from './rows/reference';

export interface ApplyOptions {
  /** Keep the customers even if they are outside the cache's scope (one fetched because they called). */
  keepOutOfScope?: boolean;
  /** Meta values written with the page, in its transaction. */
  meta?: Record<string, string>;
}

/**
 * What the server sends, written across the tables it touches: snapshot
 * pages (or a customer fetched on its own) and batches of the change feed,
 * each in one transaction, with how far the feed got and the clock stamps
 * the customers carried.
 */
export class FeedWriter {
  constructor(
    private readonly db: Database.Database,
    private readonly rows: { meta: MetaRows; customers: CustomerRows; reference: ReferenceRows; models: ModelRows },
  ) {}

  lastAppliedSeq(): number {
    return Number(this.rows.meta.get('last_seq') ?? 0);
  }

  /** Applies a page of the snapshot, or a customer fetched on its own; idempotent, so a page seen twice is harmless. */
  applySnapshotPage(
    page: Pick<SnapshotPage, 'customers' | 'scores' | 'interactions'> & Partial<Pick<SnapshotPage, 'agents' | 'playbook' | 'offerStats' | 'models'>>,
    options: ApplyOptions = {},
  ): void {
    this.applyPreparedRows(prepareRows(page), options);
  }

  /** The same for rows another thread prepared (the cold sync's fetcher). */
  applyPreparedRows(page: PreparedPage, options: ApplyOptions = {}): void {
    const { meta, customers, reference, models } = this.rows;
    this.replaceable(() => {
      for (const customer of page.customers) customers.put(customer, options.keepOutOfScope ?? false);
      // Written with the page, so the record of how far a snapshot got never runs ahead of what it applied.
      for (const [key, value] of Object.entries(options.meta ?? {})) meta.set(key, value);
      meta.noteStamps(page.customers.flatMap((c) => c.stamps));
      for (const score of page.scores) customers.putScores(score);
      for (const interaction of page.interactions) customers.putInteraction(interaction);
      for (const agent of page.agents ?? []) reference.putAgent(agent);
      if (page.playbook) reference.putPlaybook(page.playbook);
      for (const stat of page.offerStats ?? []) reference.putOfferStat(stat);
      for (const { kind, model } of page.models ?? []) models.put(kind, model);
    });
  }

  /** Applies changes in feed order and records how far it got, in one transaction. */
  applyChanges(changes: readonly Change[], lastSeq: number): void {
    const { meta, customers, reference, models } = this.rows;
    this.replaceable(() => {
      const stamps: string[] = [];
      for (const change of changes) {
        switch (change.entity) {
          case 'customer': {
            const customer = prepareCustomer(change.data);
            customers.put(customer);
            stamps.push(...customer.stamps);
            break;
          }
          case 'scores': customers.putScores(prepareScores(change.data)); break;
          case 'interaction': customers.putInteraction(prepareInteraction(change.data)); break;
          case 'agent': reference.putAgent(change.data); break;
          case 'playbook': reference.putPlaybook(change.data); break;
          case 'offer_stat': reference.putOfferStat(change.data); break;
          case 'model': models.put(change.data.kind, change.data.model); break;
        }
      }
      meta.noteStamps(stamps);
      if (lastSeq > this.lastAppliedSeq()) meta.set('last_seq', String(lastSeq));
    });
  }

  /**
   * Writes of data the server can always send again (snapshot pages, feed
   * changes) skip the per-commit fsync; the next outbox commit, at FULL (as
   * LocalCache opens the connection), makes them durable too. Losing one to
   * a power cut only means pulling it again.
   */
  private replaceable(write: () => void): void {
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(write)();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }
}
