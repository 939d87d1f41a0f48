import type Database from 'better-sqlite3-multiple-ciphers';
import { isHlc } from '@shared/sync/hlc';

/**
 * The meta table: small named values about the cache itself (how far the
 * feed and a snapshot got, the clock's node and high-water mark, model
 * summaries). Other modules name their own keys; this one keeps the SQL.
 */
export class MetaRows {
  private readonly select: Database.Statement<[string], { value: string }>;
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.remove = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  get(key: string): string | null {
    return this.select.get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    this.upsert.run(key, value);
  }

  delete(key: string): void {
    this.remove.run(key);
  }

  /**
   * The latest hybrid-logical-clock stamp this cache has seen: its own edits',
   * and the server's on every profile it received. The desktop's clock never
   * stamps below it, so an edit made after seeing one always sorts after it,
   * across restarts too.
   */
  clockHighWater(): string | null {
    return this.get('hlc_high');
  }

  /** Raises the high-water mark; called inside the transaction that stores the stamps. */
  noteStamps(stamps: readonly string[]): void {
    const before = this.get('hlc_high') ?? '';
    let high = before;
    for (const stamp of stamps) if (stamp > high && isHlc(stamp)) high = stamp;
    if (high !== before) this.set('hlc_high', high);
  }
}
