import { canonicalRecordSchema } from '@shared/identity/canonical';
import { json } from '../common/rows';
import type { IdentityDecision, IdentityStore, SourceRecordCounts } from '../roles/identity-store';
import { chunks, type PgContext } from './database';

type SourceRecordEntry = Parameters<IdentityStore['upsertSourceRecords']>[0][number];

export function postgresIdentity({ pool, transaction }: PgContext): IdentityStore {
  return {
    async upsertSourceRecords(entries) {
      const counts: SourceRecordCounts = { inserted: 0, updated: 0, unchanged: 0 };
      if (entries.length === 0) return counts;
      // Repeats of one record in a batch fold to the last, as row-by-row upserts would leave them.
      const latest = new Map<string, SourceRecordEntry>();
      for (const entry of entries) latest.set(`${entry.record.source}\u0000${entry.record.record_id}`, entry);
      await transaction('READ WRITE', async (client) => {
        for (const chunk of chunks([...latest.values()])) {
          const { rows } = await client.query<{ source: string; record_id: string; content_hash: string }>(
            `SELECT s.source, s.record_id, s.content_hash FROM source_records s
             JOIN unnest($1::text[], $2::text[]) AS k(source, record_id) ON s.source = k.source AND s.record_id = k.record_id FOR UPDATE OF s`,
            [chunk.map((e) => e.record.source), chunk.map((e) => e.record.record_id)],
          );
          const stored = new Map(rows.map((r) => [`${r.source}\u0000${r.record_id}`, r.content_hash]));
          const changed = chunk.filter((e) => {
            const hash = stored.get(`${e.record.source}\u0000${e.record.record_id}`);
            if (hash === undefined) counts.inserted++;
            else if (hash === e.hash) counts.unchanged++;
            else counts.updated++;
            return hash !== e.hash;
          });
          if (changed.length === 0) continue;
          await client.query(
            `INSERT INTO source_records (source, record_id, customer_id, content_hash, data)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (source, record_id) DO UPDATE SET content_hash = excluded.content_hash, data = excluded.data,
               customer_id = COALESCE(excluded.customer_id, source_records.customer_id)`,
            [changed.map((e) => e.record.source), changed.map((e) => e.record.record_id), changed.map((e) => e.customerId ?? null), changed.map((e) => e.hash), changed.map((e) => json(e.record))],
          );
        }
      });
      return counts;
    },

    async sourceRecords() {
      const { rows } = await pool.query<{ data: string; content_hash: string; customer_id: string | null }>(
        'SELECT data, content_hash, customer_id FROM source_records ORDER BY source, record_id',
      );
      return rows.map((row) => ({ record: canonicalRecordSchema.parse(JSON.parse(row.data)), hash: row.content_hash, customerId: row.customer_id }));
    },

    async assignSourceRecords(assignments) {
      if (assignments.length === 0) return;
      await transaction('READ WRITE', async (client) => {
        for (const chunk of chunks(assignments)) {
          await client.query(
            `UPDATE source_records s SET customer_id = k.customer_id FROM unnest($1::text[], $2::text[], $3::text[]) AS k(source, record_id, customer_id)
             WHERE s.source = k.source AND s.record_id = k.record_id`,
            [chunk.map((a) => a.source), chunk.map((a) => a.recordId), chunk.map((a) => a.customerId)],
          );
        }
      });
    },

    async addIdentityDecision(decision) {
      await pool.query('INSERT INTO identity_decisions (id, kind, made_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
        decision.id, decision.kind, decision.at, json(decision),
      ]);
    },

    async identityDecisions() {
      const { rows } = await pool.query<{ data: string }>('SELECT data FROM identity_decisions ORDER BY position');
      return rows.map((row) => JSON.parse(row.data) as IdentityDecision);
    },
  };
}
