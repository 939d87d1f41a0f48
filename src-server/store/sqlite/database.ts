import Database from 'better-sqlite3-multiple-ciphers';
import type { CustomerScores } from '@shared/domain/customer';
import type { Interaction } from '@shared/domain/interaction';
import { runMigrations } from '@shared/storage/migrations';
import { json } from '../common/rows';
import { SERVER_MIGRATIONS } from '../migrations';
import { privateDatabaseFile } from '../../private-files';

export type Row = Record<string, unknown>;

/**
 * The open SQLite database as every role module of the store uses it: the
 * connection, the feed position, and the writes more than one role makes
 * (an outcome appends an interaction and counts an offer; scoring and
 * customer batches both write scores). Statements run synchronously, so a
 * transaction is `db.transaction(fn)()` and nothing interleaves with it.
 */
export interface SqliteContext {
  readonly db: Database.Database;
  /** The feed position now. */
  lastSeq(): number;
  /** Moves the feed on by one and returns the new position; call inside the write's transaction. */
  nextSeq(): number;
  /** Upserts an interaction as the next change in the feed. */
  writeInteraction(interaction: Interaction): void;
  /** Upserts a customer's scores as the next change in the feed. */
  writeScores(customerId: string, scores: CustomerScores): void;
  /** Counts an offer made (and whether it was accepted) as the next change in the feed. */
  countOffer(offerId: string, segment: string, accepted: boolean): void;
}

/** Opens and migrates the database file. */
export function openSqliteDatabase(file: string): SqliteContext {
  // Owner only: routing.db and the -wal and -shm SQLite makes with its permissions.
  privateDatabaseFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Outcomes are the one thing we must never lose: fsync on every commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  runMigrations(db, SERVER_MIGRATIONS, 'server database');

  const getSeq = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'last_seq'");
  const setSeq = db.prepare<[string]>("UPDATE meta SET value = ? WHERE key = 'last_seq'");
  const lastSeq = (): number => Number(getSeq.get()?.value ?? 0);
  const nextSeq = (): number => {
    const seq = lastSeq() + 1;
    setSeq.run(String(seq));
    return seq;
  };
  const upsertInteraction = db.prepare(`INSERT INTO interactions (id, customer_id, occurred_at, data, seq) VALUES (@id, @customerId, @occurredAt, @data, @seq)
    ON CONFLICT (id) DO UPDATE SET data = excluded.data, seq = excluded.seq`);
  const upsertScores = db.prepare(`INSERT INTO scores (customer_id, data, seq) VALUES (?, ?, ?)
    ON CONFLICT (customer_id) DO UPDATE SET data = excluded.data, seq = excluded.seq`);
  const bumpOfferStat = db.prepare(`INSERT INTO offer_stats (offer_id, segment, made, accepted, seq) VALUES (?, ?, 1, ?, ?)
    ON CONFLICT (offer_id, segment) DO UPDATE SET made = made + 1, accepted = accepted + excluded.accepted, seq = excluded.seq`);

  return {
    db,
    lastSeq,
    nextSeq,
    writeInteraction(interaction) {
      upsertInteraction.run({ id: interaction.id, customerId: interaction.customerId, occurredAt: interaction.occurredAt, data: json(interaction), seq: nextSeq() });
    },
    writeScores(customerId, scores) {
      upsertScores.run(customerId, json(scores), nextSeq());
    },
    countOffer(offerId, segment, accepted) {
      bumpOfferStat.run(offerId, segment, accepted ? 1 : 0, nextSeq());
    },
  };
}
