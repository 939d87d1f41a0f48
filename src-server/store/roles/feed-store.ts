import type { ChangesPage, SnapshotPage } from '@shared/contract/sync';

/** The change feed desktops follow, and the snapshot a desktop too far behind (or new) starts from. */
export interface FeedStore {
  lastSeq(): Promise<number>;
  changesAfter(afterSeq: number, limit: number): Promise<ChangesPage>;
  snapshotPage(cursor: string | null, limit: number): Promise<SnapshotPage>;
  /** The same page in its wire form, spliced from the stored rows without parsing them (the cold-sync path). */
  snapshotPageJson(cursor: string | null, limit: number): Promise<string>;
}
