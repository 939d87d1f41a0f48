import type { DocumentStore } from '../roles/document-store';
import { MODEL_DOCUMENT_PREFIX, PLAYBOOK_DOCUMENT } from './constants';

/** A database's two document primitives: upsert a row (at the next feed position, or at 0 outside the feed) and read one. */
export interface DocumentRows {
  write(kind: string, data: unknown, inFeed: boolean): void | Promise<void>;
  read(kind: string): unknown | Promise<unknown>;
}

/** The documents row of a model kind. */
const modelDocument = (kind: string): string => `${MODEL_DOCUMENT_PREFIX}${kind}`;

/**
 * The document role over either database's rows: model files are feed
 * documents under their prefix; private documents may not take a feed
 * document's name (those go through putModel or putPlaybook).
 */
export function documentStore(rows: DocumentRows): DocumentStore {
  return {
    async putModel(kind, model) {
      await rows.write(modelDocument(kind), model, true);
    },
    async model(kind) {
      return rows.read(modelDocument(kind));
    },
    async putDocument(kind, data) {
      if (kind.startsWith(MODEL_DOCUMENT_PREFIX) || kind === PLAYBOOK_DOCUMENT) throw new Error(`"${kind}" is a feed document; use putModel or putPlaybook`);
      await rows.write(kind, data, false);
    },
    async document(kind) {
      return rows.read(kind);
    },
  };
}
