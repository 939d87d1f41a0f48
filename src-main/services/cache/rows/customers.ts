import type Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { mergeIncomingProfile } from '@shared/sync/profile-edits';
import { prepareCustomer, type PreparedCustomer, type PreparedInteraction, type PreparedScores } from '../prepared-rows';

/** The customers of an agent's queues: those who speak one of the agent's languages. */
export interface CacheScope {
  languages: ReadonlySet<string>;
}

type DataRow = { data: string };

/**
 * The customers this desk keeps and what hangs off each: phones, scores and
 * interactions. Every read a pop needs is a primary-key or indexed lookup,
 * so it stays fast with a whole book of customers cached.
 *
 * Reads trust the cache: every row was validated against the contract when it
 * arrived from the server, and re-validating on the ring-time path would cost
 * the pop its latency budget.
 */
export class CustomerRows {
  /** What this desktop keeps: everything (null), or the customers of its queues (their languages). */
  private kept: CacheScope | null = null;
  private readonly selectCustomer: Database.Statement<[string], DataRow>;
  private readonly selectScores: Database.Statement<[string], DataRow>;
  private readonly selectRecent: Database.Statement<[string, number], DataRow>;
  private readonly countAll: Database.Statement<[], { n: number }>;
  private readonly exists: Database.Statement<[string], { one: number }>;
  private readonly upsertCustomer: Database.Statement<[string, string]>;
  private readonly updateCustomer: Database.Statement<[string, string]>;
  private readonly deletePhones: Database.Statement<[string]>;
  private readonly insertPhone: Database.Statement<[string, string]>;
  private readonly upsertScores: Database.Statement<[string, string]>;
  private readonly upsertInteraction: Database.Statement<[string, string, string, string]>;
  private readonly forgetRows: Database.Statement<[string]>[];

  /** `hasLocalEdit`: whether a customer has a field edit the server has not acknowledged (the outbox knows). */
  constructor(db: Database.Database, private readonly hasLocalEdit: (customerId: string) => boolean) {
    this.selectCustomer = db.prepare('SELECT data FROM customers WHERE id = ?');
    this.selectScores = db.prepare('SELECT data FROM scores WHERE customer_id = ?');
    this.selectRecent = db.prepare('SELECT data FROM interactions WHERE customer_id = ? ORDER BY occurred_at DESC LIMIT ?');
    this.countAll = db.prepare('SELECT COUNT(*) AS n FROM customers');
    this.exists = db.prepare('SELECT 1 AS one FROM customers WHERE id = ?');
    this.upsertCustomer = db.prepare('INSERT INTO customers (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
    this.updateCustomer = db.prepare('UPDATE customers SET data = ? WHERE id = ?');
    this.deletePhones = db.prepare('DELETE FROM customer_phones WHERE customer_id = ?');
    this.insertPhone = db.prepare('INSERT OR IGNORE INTO customer_phones (phone, customer_id) VALUES (?, ?)');
    this.upsertScores = db.prepare('INSERT INTO scores (customer_id, data) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data');
    this.upsertInteraction = db.prepare('INSERT INTO interactions (id, customer_id, occurred_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
    this.forgetRows = [
      ...['customer_phones', 'scores', 'interactions'].map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE customer_id = ?`)),
      db.prepare<[string]>('DELETE FROM customers WHERE id = ?'),
    ];
  }

  /** What this desktop keeps: everything (null), or the customers of its queues. */
  get scope(): CacheScope | null {
    return this.kept;
  }

  /**
   * Limits what the cache keeps to a scope from now on; customers outside it
   * are fetched from the server when they call (`keepOutOfScope`).
   */
  setScope(scope: CacheScope | null): void {
    this.kept = scope;
  }

  get(id: string): CustomerProfile | null {
    const row = this.selectCustomer.get(id);
    return row ? (JSON.parse(row.data) as CustomerProfile) : null;
  }

  scores(customerId: string): CustomerScores | null {
    const row = this.selectScores.get(customerId);
    return row ? (JSON.parse(row.data) as CustomerScores) : null;
  }

  /** The most recent interactions, newest first. */
  recentInteractions(customerId: string, limit: number): Interaction[] {
    return this.selectRecent.all(customerId, limit).map((row) => JSON.parse(row.data) as Interaction);
  }

  count(): number {
    return Number(this.countAll.get()?.n ?? 0);
  }

  /** Writes a customer from the server; one with an unacknowledged local edit is merged field by field. */
  put(incoming: PreparedCustomer, keepOutOfScope = false): void {
    if (this.kept && !keepOutOfScope && !this.kept.languages.has(incoming.language)) {
      // Out of this desk's queues: not kept (and dropped if it moved out, e.g. a language change).
      if (this.isCached(incoming.id)) this.forget(incoming.id);
      return;
    }
    // Only a customer with an unacknowledged local edit needs the object back, to merge field by field.
    const customer = this.hasLocalEdit(incoming.id)
      ? prepareCustomer(mergeIncomingProfile(this.get(incoming.id), JSON.parse(incoming.data) as CustomerProfile))
      : incoming;
    this.upsertCustomer.run(customer.id, customer.data);
    this.deletePhones.run(customer.id);
    for (const phone of customer.phones) this.insertPhone.run(phone, customer.id);
  }

  /** Rewrites a cached profile with a local edit applied (its phones are not editable, so they stay). */
  update(customerId: string, profile: CustomerProfile): void {
    this.updateCustomer.run(JSON.stringify(profile), customerId);
  }

  putScores(scores: PreparedScores): void {
    if (this.kept && !this.isCached(scores.customerId)) return;
    this.upsertScores.run(scores.customerId, scores.data);
  }

  putInteraction(interaction: PreparedInteraction): void {
    if (this.kept && !this.isCached(interaction.customerId)) return;
    this.upsertInteraction.run(interaction.id, interaction.customerId, interaction.occurredAt, interaction.data);
  }

  private isCached(customerId: string): boolean {
    return this.exists.get(customerId) !== undefined;
  }

  private forget(customerId: string): void {
    for (const statement of this.forgetRows) statement.run(customerId);
  }
}
