import type Database from 'better-sqlite3-multiple-ciphers';
import type { SnapshotPage } from '@shared/contract/sync';
import { assertPrivateDocument, MODEL_DOCUMENT_PREFIX, MODEL_DOCUMENTS_SQL, modelDocument } from '../common/constants';
import { json } from '../common/rows';
import type { DocumentStore } from '../roles/document-store';
import type { SqliteContext } from './database';

/** Every model file with its kind (on the first snapshot page). */
export function readModels(db: Database.Database): SnapshotPage['models'] {
  return db.prepare<[], { kind: string; data: string }>(MODEL_DOCUMENTS_SQL).all()
    .map((r) => ({ kind: r.kind.slice(MODEL_DOCUMENT_PREFIX.length), model: JSON.parse(r.data) as unknown }));
}

export function sqliteDocuments({ db, nextSeq }: SqliteContext): DocumentStore {
  const putDocumentRow = (kind: string, data: unknown, inFeed: boolean): void => {
    db.transaction(() => db.prepare(`INSERT INTO documents (kind, data, seq) VALUES (?, ?, ?)
      ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(kind, json(data), inFeed ? nextSeq() : 0))();
  };
  const readDocument = (kind: string): unknown | null => {
    const row = db.prepare<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(kind);
    return row ? (JSON.parse(row.data) as unknown) : null;
  };
  return {
    async putModel(kind, model) {
      putDocumentRow(modelDocument(kind), model, true);
    },
    async model(kind) {
      return readDocument(modelDocument(kind));
    },
    async putDocument(kind, data) {
      assertPrivateDocument(kind);
      putDocumentRow(kind, data, false);
    },
    async document(kind) {
      return readDocument(kind);
    },
  };
}
