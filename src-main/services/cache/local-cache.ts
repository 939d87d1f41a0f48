import Database from 'better-sqlite3-multiple-ciphers';
import type { Agent } from '@shared/domain/agent';
import type { CustomerProfile, CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import type { WrapUp } from '@shared/domain/wrapup';
import type { Change, SnapshotPage } from '@shared/contract/sync';
import type { OfferStat, Playbook } from '@shared/playbook/playbook';
import { runMigrations } from '@shared/storage/migrations';
import { applyProfileEdit, mergeIncomingProfile, type ProfileEdit } from '@shared/sync/profile-edits';
import { checkModelFile, describeRefusal, MODEL_KINDS, type ActiveModel, type ModelRefusal } from '../models/model-check';
import { CACHE_MIGRATIONS } from './cache-migrations';
import { unlockCache } from './cache-cipher';
import { AiAuditRows } from './rows/ai-audit';
import { MetaRows } from './rows/meta';
import { SettingsRows } from './rows/settings';
import { WrapUpDraftRows } from './rows/wrapup-drafts';
import { prepareCustomer, prepareInteraction, prepareRows, prepareScores, type PreparedCustomer, type PreparedInteraction, type PreparedPage, type PreparedScores } from './prepared-rows';

type Row = Record<string, unknown>;
const json = (value: unknown): string => JSON.stringify(value);

export type OutboxEntry =
  | { position: number; id: string; kind: 'wrapup'; customerId: string; payload: WrapUp; attempts: number }
  | { position: number; id: string; kind: 'profile_edit'; customerId: string; payload: ProfileEdit; attempts: number };

/** An outbox entry as written, before the queue gives it a position. */
export type NewOutboxEntry = { [K in OutboxEntry['kind']]: Omit<Extract<OutboxEntry, { kind: K }>, 'position' | 'attempts'> }[OutboxEntry['kind']];

/** The customers of an agent's queues: those who speak one of the agent's languages. */
export interface CacheScope {
  languages: ReadonlySet<string>;
}

export class CacheUnreadableError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`The local cache at ${file} cannot be read (${cause instanceof Error ? cause.message : String(cause)}). It will be rebuilt from the server.`);
    this.name = 'CacheUnreadableError';
  }
}

/**
 * The desktop's encrypted SQLite cache (better-sqlite3-multiple-ciphers;
 * the scheme is in cache-cipher.ts). Every read a pop needs is a primary-key
 * or indexed lookup, so it stays fast with a whole book of customers cached.
 */
export class LocalCache {
  private readonly db: Database.Database;
  /** Prepared once per SQL text: cold sync runs these statements hundreds of thousands of times. */
  private readonly statements = new Map<string, Database.Statement>();
  /** Customers with a local field edit the server has not acknowledged; only these need a merge on sync. */
  private readonly pendingEdits = new Set<string>();
  /** What this desktop keeps: everything (null), or the customers of its queues (their languages). */
  private scope: CacheScope | null = null;
  readonly meta: MetaRows;
  readonly aiAudit: AiAuditRows;
  readonly settings: SettingsRows;
  readonly wrapUpDrafts: WrapUpDraftRows;

  /**
   * `verify: false` skips the page check, for a second connection to a file the first one just checked.
   * `bulk: true` is for the cold-sync connection: it checkpoints the WAL every 40 MB rather than every 4 MB.
   * Each checkpoint decrypts, re-encrypts and fsyncs what it copies, and at the default it ran
   * once per snapshot page; measured on 30,000 customers, this cut the page writes by a fifth.
   * Its page cache is smaller (8 MB): it writes pages in key order and rarely reads one back.
   */
  constructor(readonly file: string, private readonly key: string, options: { verify?: boolean; bulk?: boolean } = {}) {
    try {
      this.db = new Database(file);
      unlockCache(this.db, key);
      // Touch the schema now: a wrong key or a damaged file fails here, not mid-call.
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
      // And every page: a damaged page deep in the file would otherwise fail later, inside a sync or a save.
      if (options.verify !== false) {
        const problems = this.db.pragma('quick_check') as { quick_check: string }[];
        if (problems.length !== 1 || problems[0]?.quick_check !== 'ok') throw new Error(`integrity check failed: ${problems[0]?.quick_check ?? 'no answer'}`);
      }
      this.db.pragma('journal_mode = WAL');
      // The outbox is written here: a saved wrap-up must survive power loss.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      // Every page is decrypted on read and encrypted on write: keep the working set in memory (32 MB).
      this.db.pragma(options.bulk ? 'cache_size = -8192' : 'cache_size = -32768');
      if (options.bulk) this.db.pragma('wal_autocheckpoint = 10000');
      runMigrations(this.db, CACHE_MIGRATIONS, 'local cache');
      this.meta = new MetaRows(this.db);
      this.aiAudit = new AiAuditRows(this.db);
      this.settings = new SettingsRows(this.db);
      this.wrapUpDrafts = new WrapUpDraftRows(this.db);
      for (const row of this.db.prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM outbox WHERE kind = 'profile_edit' AND acked_at IS NULL").all()) {
        this.pendingEdits.add(row.customer_id);
      }
    } catch (error) {
      if (error instanceof Error && error.name === 'DatabaseTooNewError') throw error;
      throw new CacheUnreadableError(file, error);
    }
  }

  private sql<P extends unknown[] = unknown[], R = unknown>(source: string): Database.Statement<P, R> {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  lastAppliedSeq(): number {
    return Number(this.meta.get('last_seq') ?? 0);
  }

  customerCount(): number {
    return Number(this.sql<[], { n: number }>('SELECT COUNT(*) AS n FROM customers').get()?.n ?? 0);
  }

  /** Applies a snapshot page; idempotent, so a page seen twice is harmless. */
  /**
   * Limits what the cache keeps to a scope from now on; customers outside it
   * are fetched from the server when they call (`keepOutOfScope`).
   */
  setScope(scope: CacheScope | null): void {
    this.scope = scope;
  }

  /** What a second connection (the cold-sync worker) needs to open this cache as this one does. */
  connectionDetails(): { file: string; key: string; languages: string[] | null } {
    return { file: this.file, key: this.key, languages: this.scope ? [...this.scope.languages] : null };
  }

  /** Applies a page of the snapshot, or a customer fetched on its own; idempotent, so a page seen twice is harmless. */
  applySnapshotPage(
    page: Pick<SnapshotPage, 'customers' | 'scores' | 'interactions'> & Partial<Pick<SnapshotPage, 'agents' | 'playbook' | 'offerStats' | 'models'>>,
    options: { keepOutOfScope?: boolean; meta?: Record<string, string> } = {},
  ): void {
    this.applyPreparedRows(prepareRows(page), options);
  }

  /** The same for rows another thread prepared (the cold sync's fetcher). */
  applyPreparedRows(page: PreparedPage, options: { keepOutOfScope?: boolean; meta?: Record<string, string> } = {}): void {
    this.replaceable(() => {
      for (const customer of page.customers) this.putCustomer(customer, options.keepOutOfScope ?? false);
      // Written with the page, so the record of how far a snapshot got never runs ahead of what it applied.
      for (const [key, value] of Object.entries(options.meta ?? {})) this.meta.set(key, value);
      this.meta.noteStamps(page.customers.flatMap((c) => c.stamps));
      for (const score of page.scores) this.putScores(score);
      for (const interaction of page.interactions) this.putInteraction(interaction);
      for (const agent of page.agents ?? []) this.putAgent(agent);
      if (page.playbook) this.putPlaybook(page.playbook);
      for (const stat of page.offerStats ?? []) this.putOfferStat(stat);
      for (const { kind, model } of page.models ?? []) this.putModel(kind, model);
    });
  }

  /** Applies changes in feed order and records how far it got, in one transaction. */
  applyChanges(changes: readonly Change[], lastSeq: number): void {
    this.replaceable(() => {
      const stamps: string[] = [];
      for (const change of changes) {
        switch (change.entity) {
          case 'customer': {
            const customer = prepareCustomer(change.data);
            this.putCustomer(customer);
            stamps.push(...customer.stamps);
            break;
          }
          case 'scores': this.putScores(prepareScores(change.data)); break;
          case 'interaction': this.putInteraction(prepareInteraction(change.data)); break;
          case 'agent': this.putAgent(change.data); break;
          case 'playbook': this.putPlaybook(change.data); break;
          case 'offer_stat': this.putOfferStat(change.data); break;
          case 'model': this.putModel(change.data.kind, change.data.model); break;
        }
      }
      this.meta.noteStamps(stamps);
      if (lastSeq > this.lastAppliedSeq()) this.meta.set('last_seq', String(lastSeq));
    });
  }

  putPlaybook(playbook: Playbook): void {
    this.sql(`INSERT INTO documents (kind, data) VALUES ('playbook', ?) ON CONFLICT (kind) DO UPDATE SET data = excluded.data`).run(json(playbook));
  }

  // Reads trust the cache: every row was validated against the contract when it arrived from the
  // server, and re-validating on the ring-time path would cost the pop its latency budget.
  customer(id: string): CustomerProfile | null {
    const row = this.sql<[string], { data: string }>('SELECT data FROM customers WHERE id = ?').get(id);
    return row ? (JSON.parse(row.data) as CustomerProfile) : null;
  }

  scores(customerId: string): CustomerScores | null {
    const row = this.sql<[string], { data: string }>('SELECT data FROM scores WHERE customer_id = ?').get(customerId);
    return row ? (JSON.parse(row.data) as CustomerScores) : null;
  }

  /** The most recent interactions, newest first. */
  recentInteractions(customerId: string, limit: number): Interaction[] {
    return this.sql<[string, number], { data: string }>('SELECT data FROM interactions WHERE customer_id = ? ORDER BY occurred_at DESC LIMIT ?')
      .all(customerId, limit).map((row) => JSON.parse(row.data) as Interaction);
  }

  agent(id: string): Agent | null {
    const row = this.sql<[string], { data: string }>('SELECT data FROM agents WHERE id = ?').get(id);
    return row ? (JSON.parse(row.data) as Agent) : null;
  }

  playbook(): Playbook | null {
    const row = this.sql<[], { data: string }>("SELECT data FROM documents WHERE kind = 'playbook'").get();
    return row ? (JSON.parse(row.data) as Playbook) : null;
  }

  offerStats(): OfferStat[] {
    return this.sql<[], { offer_id: string; segment: string; made: number; accepted: number }>('SELECT * FROM offer_stats').all()
      .map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
  }

  /** Saves a wrap-up and queues it for the server in the same transaction. */
  saveWrapUp(wrapUp: WrapUp): void {
    this.db.transaction(() => {
      this.sql('INSERT INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)')
        .run(wrapUp.id, wrapUp.callId, wrapUp.customerId, wrapUp.createdAt, json(wrapUp));
      this.sql(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'wrapup', ?, ?, ?)`)
        .run(wrapUp.id, wrapUp.customerId, json(wrapUp), wrapUp.createdAt);
    })();
  }

  /** Applies an agent's correction locally and queues it for the server, in one transaction. */
  saveProfileEdit(edit: ProfileEdit): CustomerProfile | null {
    return this.db.transaction(() => {
      const local = this.customer(edit.customerId);
      if (!local) return null;
      const { profile } = applyProfileEdit(local, edit);
      this.sql('UPDATE customers SET data = ? WHERE id = ?').run(json(profile), edit.customerId);
      this.sql(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'profile_edit', ?, ?, ?)`)
        .run(edit.id, edit.customerId, json(edit), new Date().toISOString());
      this.meta.noteStamps([edit.hlc]);
      this.pendingEdits.add(edit.customerId);
      return profile;
    })();
  }

  /** Unacknowledged entries in the order they were written (which keeps per-customer order). */
  pendingOutbox(limit: number): OutboxEntry[] {
    return this.sql<[number], Row>('SELECT position, id, kind, customer_id, payload, attempts FROM outbox WHERE acked_at IS NULL ORDER BY position LIMIT ?')
      .all(limit)
      .map((r) => ({ position: Number(r.position), id: String(r.id), kind: r.kind, customerId: String(r.customer_id), payload: JSON.parse(String(r.payload)), attempts: Number(r.attempts) }) as OutboxEntry);
  }

  /**
   * Queues entries saved out of a cache that had to be set aside. Their ids
   * are the ones the server has seen (or not), so whatever it already applied
   * comes back as a duplicate and nothing is applied twice.
   */
  requeueOutbox(entries: readonly NewOutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) {
        if (entry.kind === 'wrapup') {
          const w = entry.payload;
          this.sql('INSERT OR IGNORE INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)').run(w.id, w.callId, w.customerId, w.createdAt, json(w));
        } else {
          this.pendingEdits.add(entry.customerId);
        }
        this.sql('INSERT OR IGNORE INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(entry.id, entry.kind, entry.customerId, json(entry.payload), new Date().toISOString());
      }
    })();
  }

  pendingOutboxCount(): number {
    return Number(this.sql<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL').get()?.n ?? 0);
  }

  /**
   * Records the server's answer to a batch in one transaction. Applied and
   * duplicate entries leave the queue; a rejected one (the server will never
   * take it) is parked with its reason, so the entries behind it move on.
   */
  settleOutbox(results: readonly { id: string; status: 'applied' | 'duplicate' | 'rejected'; message?: string }[]): void {
    const now = new Date().toISOString();
    const acked = this.sql('UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL');
    const parked = this.sql('UPDATE outbox SET acked_at = ?, last_error = ? WHERE id = ? AND acked_at IS NULL');
    this.db.transaction(() => {
      for (const result of results) {
        if (result.status === 'rejected') parked.run(now, `rejected by the server: ${result.message ?? ''}`.slice(0, 500), result.id);
        else acked.run(now, result.id);
      }
    })();
    for (const customerId of [...this.pendingEdits]) {
      const left = this.sql<[string], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'profile_edit' AND customer_id = ? AND acked_at IS NULL").get(customerId);
      if (!left?.n) this.pendingEdits.delete(customerId);
    }
  }

  markFailed(id: string, error: string): void {
    this.sql('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error.slice(0, 500), id);
  }

  private putCustomer(incoming: PreparedCustomer, keepOutOfScope = false): void {
    if (this.scope && !keepOutOfScope && !this.scope.languages.has(incoming.language)) {
      // Out of this desk's queues: not kept (and dropped if it moved out, e.g. a language change).
      if (this.isCached(incoming.id)) this.forgetCustomer(incoming.id);
      return;
    }
    // Only a customer with an unacknowledged local edit needs the object back, to merge field by field.
    const customer = this.pendingEdits.has(incoming.id)
      ? prepareCustomer(mergeIncomingProfile(this.customer(incoming.id), JSON.parse(incoming.data) as CustomerProfile))
      : incoming;
    this.sql('INSERT INTO customers (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data').run(customer.id, customer.data);
    this.sql('DELETE FROM customer_phones WHERE customer_id = ?').run(customer.id);
    for (const phone of customer.phones) this.sql('INSERT OR IGNORE INTO customer_phones (phone, customer_id) VALUES (?, ?)').run(phone, customer.id);
  }

  /** A model file as the server published it; its own loader validates it before use. */
  model(kind: string): unknown | null {
    const row = this.sql<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(`model:${kind}`);
    return row ? (JSON.parse(row.data) as unknown) : null;
  }

  /**
   * Writes of data the server can always send again (snapshot pages, feed
   * changes) skip the per-commit fsync; the next outbox commit, at FULL,
   * makes them durable too. Losing one to a power cut only means pulling it again.
   */
  private replaceable(write: () => void): void {
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(write)();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /**
   * A model file from the server is kept only when the model's own strict
   * loader accepts it; a malformed one is refused (recorded for the status
   * line, logged) and the previous model of that kind stays in use. Refusing
   * never fails the sync: the scores and customers beside it still apply.
   */
  private putModel(kind: string, model: unknown): void {
    const receivedAt = new Date().toISOString();
    const checked = checkModelFile(kind, model, receivedAt);
    if (!checked.ok) {
      const refusal: ModelRefusal = { kind: kind.slice(0, 64), error: checked.error, at: receivedAt, kept: this.activeModel(kind)?.modelVersion ?? null };
      this.meta.set(`model_refused:${refusal.kind}`, json(refusal));
      // The loader names fields and versions only; model files carry no customer data.
      console.warn(`holdfast: ${describeRefusal(refusal)}`);
      return;
    }
    this.sql('INSERT INTO documents (kind, data) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET data = excluded.data').run(`model:${kind}`, json(model));
    this.meta.set(`model_active:${kind}`, json(checked.active));
    this.meta.delete(`model_refused:${kind}`);
  }

  /** The model of this kind in use, as a summary (version, when made, CLV horizon); null before a valid one arrived. */
  activeModel(kind: string): ActiveModel | null {
    const stored = this.meta.get(`model_active:${kind}`);
    if (stored !== null) return JSON.parse(stored) as ActiveModel;
    // A file kept before summaries were: checked now, once.
    const file = this.model(kind);
    if (file === null) return null;
    const checked = checkModelFile(kind, file, new Date().toISOString());
    if (!checked.ok) return null;
    this.meta.set(`model_active:${kind}`, json(checked.active));
    return checked.active;
  }

  activeModels(): ActiveModel[] {
    return MODEL_KINDS.flatMap((kind) => this.activeModel(kind) ?? []);
  }

  /** Model files refused since the last valid one of their kind, oldest first. */
  modelRefusals(): ModelRefusal[] {
    return this.sql<[], { value: string }>("SELECT value FROM meta WHERE key LIKE 'model\\_refused:%' ESCAPE '\\' ORDER BY key").all()
      .map((row) => JSON.parse(row.value) as ModelRefusal)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  private putAgent(agent: Agent): void {
    this.sql('INSERT INTO agents (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data').run(agent.id, json(agent));
  }

  private putOfferStat(stat: OfferStat): void {
    this.sql(`INSERT INTO offer_stats (offer_id, segment, made, accepted) VALUES (@offerId, @segment, @made, @accepted)
      ON CONFLICT (offer_id, segment) DO UPDATE SET made = excluded.made, accepted = excluded.accepted`).run(stat);
  }

  private isCached(customerId: string): boolean {
    return this.sql<[string], { one: number }>('SELECT 1 AS one FROM customers WHERE id = ?').get(customerId) !== undefined;
  }

  private forgetCustomer(customerId: string): void {
    for (const table of ['customer_phones', 'scores', 'interactions']) this.sql(`DELETE FROM ${table} WHERE customer_id = ?`).run(customerId);
    this.sql('DELETE FROM customers WHERE id = ?').run(customerId);
  }

  private putScores(scores: PreparedScores): void {
    if (this.scope && !this.isCached(scores.customerId)) return;
    this.sql('INSERT INTO scores (customer_id, data) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data').run(scores.customerId, scores.data);
  }

  private putInteraction(interaction: PreparedInteraction): void {
    if (this.scope && !this.isCached(interaction.customerId)) return;
    this.sql('INSERT INTO interactions (id, customer_id, occurred_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data')
      .run(interaction.id, interaction.customerId, interaction.occurredAt, interaction.data);
  }
}
