import { canonicalRecordSchema } from '@shared/identity/canonical';
import { json } from '../common/rows';
import type { IdentityDecision, IdentityStore, SourceRecordCounts, StoredSourceRecord } from '../roles/identity-store';
import type { SqliteContext } from './database';

export function sqliteIdentity({ db }: SqliteContext): IdentityStore {
  return {
    async upsertSourceRecords(entries) {
      const read = db.prepare<[string, string], { content_hash: string }>('SELECT content_hash FROM source_records WHERE source = ? AND record_id = ?');
      const insert = db.prepare('INSERT INTO source_records (source, record_id, customer_id, content_hash, data) VALUES (?, ?, ?, ?, ?)');
      const update = db.prepare('UPDATE source_records SET content_hash = ?, data = ?, customer_id = COALESCE(?, customer_id) WHERE source = ? AND record_id = ?');
      return db.transaction((): SourceRecordCounts => {
        const counts: SourceRecordCounts = { inserted: 0, updated: 0, unchanged: 0 };
        for (const { record, hash, customerId } of entries) {
          const existing = read.get(record.source, record.record_id);
          if (!existing) {
            insert.run(record.source, record.record_id, customerId ?? null, hash, json(record));
            counts.inserted++;
          } else if (existing.content_hash === hash) {
            counts.unchanged++;
          } else {
            update.run(hash, json(record), customerId ?? null, record.source, record.record_id);
            counts.updated++;
          }
        }
        return counts;
      })();
    },
    async sourceRecords(): Promise<StoredSourceRecord[]> {
      return db.prepare<[], { data: string; content_hash: string; customer_id: string | null }>('SELECT data, content_hash, customer_id FROM source_records ORDER BY source, record_id').all()
        .map((row) => ({ record: canonicalRecordSchema.parse(JSON.parse(row.data)), hash: row.content_hash, customerId: row.customer_id }));
    },
    async assignSourceRecords(assignments) {
      const assign = db.prepare('UPDATE source_records SET customer_id = ? WHERE source = ? AND record_id = ?');
      db.transaction(() => {
        for (const a of assignments) assign.run(a.customerId, a.source, a.recordId);
      })();
    },
    async addIdentityDecision(decision) {
      db.prepare('INSERT INTO identity_decisions (id, kind, made_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(decision.id, decision.kind, decision.at, json(decision));
    },
    async identityDecisions(): Promise<IdentityDecision[]> {
      return db.prepare<[], { data: string }>('SELECT data FROM identity_decisions ORDER BY position').all().map((row) => JSON.parse(row.data) as IdentityDecision);
    },
  };
}
