import type Database from 'better-sqlite3-multiple-ciphers';
import type { SnapshotPage } from '@shared/contract/sync';
import { MODEL_DOCUMENT_PREFIX, MODEL_DOCUMENTS_SQL } from '../common/constants';
import { documentStore } from '../common/documents';
import { json } from '../common/rows';
import type { DocumentStore } from '../roles/document-store';
import type { SqliteContext } from './database';

/** Every model file with its kind (on the first snapshot page). */
export function readModels(db: Database.Database): SnapshotPage['models'] {
  return db.prepare<[], { kind: string; data: string }>(MODEL_DOCUMENTS_SQL).all()
    .map((r) => ({ kind: r.kind.slice(MODEL_DOCUMENT_PREFIX.length), model: JSON.parse(r.data) as unknown }));
}

export function sqliteDocuments({ db, nextSeq }: SqliteContext): DocumentStore {
  return documentStore({
    write(kind, data, inFeed) {
      db.transaction(() => db.prepare(`INSERT INTO documents (kind, data, seq) VALUES (?, ?, ?)
        ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(kind, json(data), inFeed ? nextSeq() : 0))();
    },
    read(kind) {
      const row = db.prepare<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(kind);
      return row ? (JSON.parse(row.data) as unknown) : null;
    },
  });
}
