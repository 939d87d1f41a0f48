import type Database from 'better-sqlite3-multiple-ciphers';
import { checkModelFile, describeRefusal, MODEL_KINDS, type ActiveModel, type ModelRefusal } from '../../models/model-check';
import type { MetaRows } from './meta';

/**
 * Model files from the server (documents `model:<kind>`), with a summary of
 * the one in use per kind (meta `model_active:<kind>`) and the files refused
 * since (meta `model_refused:<kind>`).
 */
export class ModelRows {
  private readonly selectFile: Database.Statement<[string], { data: string }>;
  private readonly upsertFile: Database.Statement<[string, string]>;
  private readonly selectRefusals: Database.Statement<[], { value: string }>;

  constructor(db: Database.Database, private readonly meta: MetaRows) {
    this.selectFile = db.prepare('SELECT data FROM documents WHERE kind = ?');
    this.upsertFile = db.prepare('INSERT INTO documents (kind, data) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET data = excluded.data');
    this.selectRefusals = db.prepare("SELECT value FROM meta WHERE key LIKE 'model\\_refused:%' ESCAPE '\\' ORDER BY key");
  }

  /**
   * A model file from the server is kept only when the model's own strict
   * loader accepts it; a malformed one is refused (recorded for the status
   * line, logged) and the previous model of that kind stays in use. Refusing
   * never fails the sync: the scores and customers beside it still apply.
   */
  put(kind: string, model: unknown): void {
    const receivedAt = new Date().toISOString();
    const checked = checkModelFile(kind, model, receivedAt);
    if (!checked.ok) {
      const refusal: ModelRefusal = { kind: kind.slice(0, 64), error: checked.error, at: receivedAt, kept: this.active(kind)?.modelVersion ?? null };
      this.meta.set(`model_refused:${refusal.kind}`, JSON.stringify(refusal));
      // The loader names fields and versions only; model files carry no customer data.
      console.warn(`holdfast: ${describeRefusal(refusal)}`);
      return;
    }
    this.upsertFile.run(`model:${kind}`, JSON.stringify(model));
    this.meta.set(`model_active:${kind}`, JSON.stringify(checked.active));
    this.meta.delete(`model_refused:${kind}`);
  }

  /** A model file as the server published it; its own loader validates it before use. */
  file(kind: string): unknown | null {
    const row = this.selectFile.get(`model:${kind}`);
    return row ? (JSON.parse(row.data) as unknown) : null;
  }

  /** The model of this kind in use, as a summary (version, when made, CLV horizon); null before a valid one arrived. */
  active(kind: string): ActiveModel | null {
    const stored = this.meta.get(`model_active:${kind}`);
    if (stored !== null) return JSON.parse(stored) as ActiveModel;
    // A file kept before summaries were: checked now, once.
    const file = this.file(kind);
    if (file === null) return null;
    const checked = checkModelFile(kind, file, new Date().toISOString());
    if (!checked.ok) return null;
    this.meta.set(`model_active:${kind}`, JSON.stringify(checked.active));
    return checked.active;
  }

  /** The models in use, one per kind that has one. */
  allActive(): ActiveModel[] {
    return MODEL_KINDS.flatMap((kind) => this.active(kind) ?? []);
  }

  /** Model files refused since the last valid one of their kind, oldest first. */
  refusals(): ModelRefusal[] {
    return this.selectRefusals.all()
      .map((row) => JSON.parse(row.value) as ModelRefusal)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
