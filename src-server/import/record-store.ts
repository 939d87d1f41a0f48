import type { CanonicalRecord } from '@shared/identity/canonical';
import { recordKey } from '@shared/identity/canonical';

export interface StoredRecord {
  record: CanonicalRecord;
  hash: string;
}

/**
 * Where imported source records live, keyed by source + record_id. The lead
 * wires a SQLite implementation; the in-memory one serves tests and tools.
 */
export interface RecordStore {
  get(source: string, recordId: string): Promise<StoredRecord | undefined>;
  put(entry: StoredRecord): Promise<void>;
}

export class InMemoryRecordStore implements RecordStore {
  private readonly entries = new Map<string, StoredRecord>();

  async get(source: string, recordId: string): Promise<StoredRecord | undefined> {
    return this.entries.get(recordKey({ source, record_id: recordId }));
  }

  async put(entry: StoredRecord): Promise<void> {
    this.entries.set(recordKey(entry.record), entry);
  }

  get size(): number {
    return this.entries.size;
  }

  records(): CanonicalRecord[] {
    return [...this.entries.values()].map((entry) => entry.record);
  }
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Upserts by source + record_id and skips records whose content hash is
 * already stored, so re-importing the same file changes nothing.
 */
export async function upsertRecords(store: RecordStore, entries: AsyncIterable<StoredRecord> | Iterable<StoredRecord>): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for await (const entry of entries) {
    const existing = await store.get(entry.record.source, entry.record.record_id);
    if (existing === undefined) counts.inserted++;
    else if (existing.hash === entry.hash) {
      counts.unchanged++;
      continue;
    } else counts.updated++;
    await store.put(entry);
  }
  return counts;
}
