import type Database from 'better-sqlite3-multiple-ciphers';
import { normalisePlaybook, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { PLAYBOOK_DOCUMENT } from '../common/constants';
import { json } from '../common/rows';
import type { PlaybookStore } from '../roles/playbook-store';
import type { SqliteContext } from './database';

/** The playbook (also on the first snapshot page). */
export function readPlaybook(db: Database.Database): Playbook | null {
  const row = db.prepare<[string], { data: string }>('SELECT data FROM documents WHERE kind = ?').get(PLAYBOOK_DOCUMENT);
  return row ? normalisePlaybook(JSON.parse(row.data)) : null;
}

/** Every offer's counts (also on the first snapshot page). */
export function readOfferStats(db: Database.Database): OfferStat[] {
  return db.prepare<[], { offer_id: string; segment: string; made: number; accepted: number }>('SELECT offer_id, segment, made, accepted FROM offer_stats').all()
    .map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
}

export function sqlitePlaybook({ db, nextSeq, countOffer }: SqliteContext): PlaybookStore {
  return {
    async putPlaybook(playbook) {
      db.transaction(() => db.prepare(`INSERT INTO documents (kind, data, seq) VALUES (?, ?, ?)
        ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`).run(PLAYBOOK_DOCUMENT, json(playbook), nextSeq()))();
    },
    async playbook() {
      return readPlaybook(db);
    },
    async bumpOfferStat(offerId, segment, accepted): Promise<OfferStat> {
      return db.transaction(() => {
        countOffer(offerId, segment, accepted);
        const row = db.prepare<[string, string], { made: number; accepted: number }>('SELECT made, accepted FROM offer_stats WHERE offer_id = ? AND segment = ?').get(offerId, segment);
        return { offerId, segment, made: row?.made ?? 0, accepted: row?.accepted ?? 0 };
      })();
    },
    async offerStats() {
      return readOfferStats(db);
    },
  };
}
