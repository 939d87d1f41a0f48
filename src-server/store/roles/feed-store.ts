import type { Language } from '@shared/domain/language';
import type { ChangesPage, SnapshotPage } from '@shared/contract/sync';

/**
 * Which customers a reader may see: null for the whole book; else only
 * customers whose language is one of these (an agent's languages), with their
 * scores and interactions. Everything else in the feed is not scoped.
 */
export type CustomerScope = { languages: readonly Language[] } | null;

/** The change feed desktops follow, and the snapshot a desktop too far behind (or new) starts from. */
export interface FeedStore {
  lastSeq(): Promise<number>;
  changesAfter(afterSeq: number, limit: number, scope?: CustomerScope): Promise<ChangesPage>;
  snapshotPage(cursor: string | null, limit: number, scope?: CustomerScope): Promise<SnapshotPage>;
  /** The same page in its wire form, spliced from the stored rows without parsing them (the cold-sync path). */
  snapshotPageJson(cursor: string | null, limit: number, scope?: CustomerScope): Promise<string>;
}
