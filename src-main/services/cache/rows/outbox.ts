import type Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerProfile } from '@shared/domain/customer';
import type { WrapUp } from '@shared/domain/wrap-up';
import { applyProfileEdit, type ProfileEdit } from '@shared/sync/profile-edits';
import type { CustomerRows } from './customers';
import type { MetaRows } from './meta';

export type OutboxEntry =
  | { position: number; id: string; kind: 'wrapup'; customerId: string; payload: WrapUp; attempts: number }
  | { position: number; id: string; kind: 'profile_edit'; customerId: string; payload: ProfileEdit; attempts: number };

/** An outbox entry as written, before the queue gives it a position. */
export type NewOutboxEntry = { [K in OutboxEntry['kind']]: Omit<Extract<OutboxEntry, { kind: K }>, 'position' | 'attempts'> }[OutboxEntry['kind']];

/** The server's answer for one entry. */
export interface OutboxSettlement {
  id: string;
  status: 'applied' | 'duplicate' | 'rejected';
  message?: string;
}

type Row = Record<string, unknown>;

/**
 * What this desk saved for the server: the wrap-ups (kept in their own table
 * too) and agents' profile edits, queued in the outbox in write order until
 * the server acknowledges them. Written at synchronous = FULL: a saved
 * wrap-up must survive power loss.
 */
export class OutboxRows {
  /** Customers with a local field edit the server has not acknowledged; only these need a merge on sync. */
  private readonly pendingEdits = new Set<string>();
  private readonly insertWrapUp: Database.Statement<[string, string, string, string, string]>;
  private readonly insertWrapUpOnce: Database.Statement<[string, string, string, string, string]>;
  private readonly enqueueWrapUp: Database.Statement<[string, string, string, string]>;
  private readonly enqueueEdit: Database.Statement<[string, string, string, string]>;
  private readonly enqueueOnce: Database.Statement<[string, string, string, string, string]>;
  private readonly selectPending: Database.Statement<[number], Row>;
  private readonly countPending: Database.Statement<[], { n: number }>;
  private readonly countPendingEdits: Database.Statement<[string], { n: number }>;
  private readonly ack: Database.Statement<[string, string]>;
  private readonly park: Database.Statement<[string, string, string]>;
  private readonly fail: Database.Statement<[string, string]>;

  constructor(private readonly db: Database.Database, private readonly customers: CustomerRows, private readonly meta: MetaRows) {
    this.insertWrapUp = db.prepare('INSERT INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)');
    this.insertWrapUpOnce = db.prepare('INSERT OR IGNORE INTO wrapups (id, call_id, customer_id, created_at, data) VALUES (?, ?, ?, ?, ?)');
    this.enqueueWrapUp = db.prepare(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'wrapup', ?, ?, ?)`);
    this.enqueueEdit = db.prepare(`INSERT INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, 'profile_edit', ?, ?, ?)`);
    this.enqueueOnce = db.prepare('INSERT OR IGNORE INTO outbox (id, kind, customer_id, payload, created_at) VALUES (?, ?, ?, ?, ?)');
    this.selectPending = db.prepare('SELECT position, id, kind, customer_id, payload, attempts FROM outbox WHERE acked_at IS NULL ORDER BY position LIMIT ?');
    this.countPending = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL');
    this.countPendingEdits = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'profile_edit' AND customer_id = ? AND acked_at IS NULL");
    this.ack = db.prepare('UPDATE outbox SET acked_at = ? WHERE id = ? AND acked_at IS NULL');
    this.park = db.prepare('UPDATE outbox SET acked_at = ?, last_error = ? WHERE id = ? AND acked_at IS NULL');
    this.fail = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
    for (const row of db.prepare<[], { customer_id: string }>("SELECT DISTINCT customer_id FROM outbox WHERE kind = 'profile_edit' AND acked_at IS NULL").all()) {
      this.pendingEdits.add(row.customer_id);
    }
  }

  /** Whether the customer has a field edit the server has not acknowledged yet. */
  hasPendingEdit(customerId: string): boolean {
    return this.pendingEdits.has(customerId);
  }

  /** Saves a wrap-up and queues it for the server in the same transaction. */
  saveWrapUp(wrapUp: WrapUp): void {
    this.db.transaction(() => {
      const data = JSON.stringify(wrapUp);
      this.insertWrapUp.run(wrapUp.id, wrapUp.callId, wrapUp.customerId, wrapUp.createdAt, data);
      this.enqueueWrapUp.run(wrapUp.id, wrapUp.customerId, data, wrapUp.createdAt);
    })();
  }

  /** Applies an agent's correction locally and queues it for the server, in one transaction. */
  saveProfileEdit(edit: ProfileEdit): CustomerProfile | null {
    return this.db.transaction(() => {
      const local = this.customers.get(edit.customerId);
      if (!local) return null;
      const { profile } = applyProfileEdit(local, edit);
      this.customers.update(edit.customerId, profile);
      this.enqueueEdit.run(edit.id, edit.customerId, JSON.stringify(edit), new Date().toISOString());
      this.meta.noteStamps([edit.hlc]);
      this.pendingEdits.add(edit.customerId);
      return profile;
    })();
  }

  /** Unacknowledged entries in the order they were written (which keeps per-customer order). */
  pending(limit: number): OutboxEntry[] {
    return this.selectPending.all(limit)
      .map((r) => ({ position: Number(r.position), id: String(r.id), kind: r.kind, customerId: String(r.customer_id), payload: JSON.parse(String(r.payload)), attempts: Number(r.attempts) }) as OutboxEntry);
  }

  pendingCount(): number {
    return Number(this.countPending.get()?.n ?? 0);
  }

  /**
   * Queues entries saved out of a cache that had to be set aside. Their ids
   * are the ones the server has seen (or not), so whatever it already applied
   * comes back as a duplicate and nothing is applied twice.
   */
  requeue(entries: readonly NewOutboxEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) {
        if (entry.kind === 'wrapup') {
          const w = entry.payload;
          this.insertWrapUpOnce.run(w.id, w.callId, w.customerId, w.createdAt, JSON.stringify(w));
        } else {
          this.pendingEdits.add(entry.customerId);
        }
        this.enqueueOnce.run(entry.id, entry.kind, entry.customerId, JSON.stringify(entry.payload), new Date().toISOString());
      }
    })();
  }

  /**
   * Records the server's answer to a batch in one transaction. Applied and
   * duplicate entries leave the queue; a rejected one (the server will never
   * take it) is parked with its reason, so the entries behind it move on.
   */
  settle(results: readonly OutboxSettlement[]): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const result of results) {
        if (result.status === 'rejected') this.park.run(now, `rejected by the server: ${result.message ?? ''}`.slice(0, 500), result.id);
        else this.ack.run(now, result.id);
      }
    })();
    for (const customerId of [...this.pendingEdits]) {
      if (!this.countPendingEdits.get(customerId)?.n) this.pendingEdits.delete(customerId);
    }
  }

  /** Counts a failed delivery of the entry, with the error, for the next try. */
  markFailed(id: string, error: string): void {
    this.fail.run(error.slice(0, 500), id);
  }
}
