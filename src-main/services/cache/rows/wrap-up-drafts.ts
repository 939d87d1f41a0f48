import type Database from 'better-sqlite3-multiple-ciphers';
import { savedDraftSchema, wrapUpDraftSchema, wrapUpFormSchema, type SavedDraft, type WrapUpDraftView, type WrapUpForm } from '@shared/contract/desktop-api';
import { parseStored } from '@shared/util/stored-json';

/**
 * The wrap-up drafts table: per call, the form as typed so far (autosaved)
 * and what the drafter (a model or on-device) proposed, each kept as JSON
 * and checked again when read. A row goes once its wrap-up is saved.
 */
export class WrapUpDraftRows {
  private readonly upsertForm: Database.Statement<[string, string | null, string, string]>;
  private readonly upsertResult: Database.Statement<[string, string | null, string, string]>;
  private readonly select: Database.Statement<[string], { form: string | null; draft: string | null; updated_at: string }>;
  private readonly remove: Database.Statement<[string]>;
  private readonly removeBefore: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.upsertForm = db.prepare(`INSERT INTO wrapup_drafts (call_id, customer_id, form, draft, updated_at) VALUES (?, ?, ?, NULL, ?)
      ON CONFLICT (call_id) DO UPDATE SET form = excluded.form, customer_id = coalesce(excluded.customer_id, customer_id), updated_at = excluded.updated_at`);
    this.upsertResult = db.prepare(`INSERT INTO wrapup_drafts (call_id, customer_id, form, draft, updated_at) VALUES (?, ?, NULL, ?, ?)
      ON CONFLICT (call_id) DO UPDATE SET draft = excluded.draft, customer_id = coalesce(excluded.customer_id, customer_id), updated_at = excluded.updated_at`);
    this.select = db.prepare('SELECT form, draft, updated_at FROM wrapup_drafts WHERE call_id = ?');
    this.remove = db.prepare('DELETE FROM wrapup_drafts WHERE call_id = ?');
    this.removeBefore = db.prepare('DELETE FROM wrapup_drafts WHERE updated_at < ?');
  }

  /** Writes the form part of a call's draft, keeping the drafted part. */
  putForm(callId: string, customerId: string | null, form: WrapUpForm, updatedAt: string): void {
    this.upsertForm.run(callId, customerId, JSON.stringify(form), updatedAt);
  }

  /** Writes what the drafter (model or on-device) proposed, keeping the form part. */
  putResult(callId: string, customerId: string | null, draft: WrapUpDraftView, updatedAt: string): void {
    this.upsertResult.run(callId, customerId, JSON.stringify(draft), updatedAt);
  }

  /** The autosaved form and the last draft for a call; parts that no longer parse are dropped, not trusted. */
  saved(callId: string): SavedDraft | null {
    const row = this.select.get(callId);
    if (!row) return null;
    const saved = savedDraftSchema.safeParse({ form: parseStored(row.form, wrapUpFormSchema), draft: parseStored(row.draft, wrapUpDraftSchema), updatedAt: row.updated_at });
    return saved.success && (saved.data.form || saved.data.draft) ? saved.data : null;
  }

  delete(callId: string): void {
    this.remove.run(callId);
  }

  /** Drops drafts not touched since `beforeIso` (calls long gone). */
  prune(beforeIso: string): number {
    return this.removeBefore.run(beforeIso).changes;
  }
}
