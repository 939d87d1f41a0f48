import type { SnapshotPage } from '@shared/contract/sync';
import { MODEL_DOCUMENT_PREFIX, MODEL_DOCUMENTS_SQL } from '../common/constants';
import { documentStore } from '../common/documents';
import { json } from '../common/rows';
import type { DocumentStore } from '../roles/document-store';
import { reserveSeqs, type PgContext, type Queryable } from './database';

/** Every model file with its kind (on the first snapshot page). */
export async function readModels(db: Queryable): Promise<SnapshotPage['models']> {
  const { rows } = await db.query<{ kind: string; data: string }>(MODEL_DOCUMENTS_SQL);
  return rows.map((r) => ({ kind: r.kind.slice(MODEL_DOCUMENT_PREFIX.length), model: JSON.parse(r.data) as unknown }));
}

export function postgresDocuments({ pool, transaction }: PgContext): DocumentStore {
  return documentStore({
    async write(kind, data, inFeed) {
      await transaction('READ WRITE', async (client) => {
        const seq = inFeed ? await reserveSeqs(client, 1) : 0;
        await client.query(
          `INSERT INTO documents (kind, data, seq) VALUES ($1, $2, $3) ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
          [kind, json(data), seq],
        );
      });
    },
    async read(kind) {
      const { rows } = await pool.query<{ data: string }>('SELECT data FROM documents WHERE kind = $1', [kind]);
      return rows[0] ? (JSON.parse(rows[0].data) as unknown) : null;
    },
  });
}
