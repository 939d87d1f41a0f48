import { normalisePlaybook, type OfferStat, type Playbook } from '@shared/playbook/playbook';
import { PLAYBOOK_DOCUMENT } from '../common/constants';
import { json } from '../common/rows';
import type { PlaybookStore } from '../roles/playbook-store';
import { countOffer, reserveSeqs, type PgContext, type Queryable } from './database';

/** The playbook (also on the first snapshot page). */
export async function readPlaybook(db: Queryable): Promise<Playbook | null> {
  const row = (await db.query<{ data: string }>('SELECT data FROM documents WHERE kind = $1', [PLAYBOOK_DOCUMENT])).rows[0];
  return row ? normalisePlaybook(JSON.parse(row.data)) : null;
}

/** Every offer's counts (also on the first snapshot page). */
export async function readOfferStats(db: Queryable): Promise<OfferStat[]> {
  const { rows } = await db.query<{ offer_id: string; segment: string; made: number; accepted: number }>(
    'SELECT offer_id, segment, made, accepted FROM offer_stats ORDER BY offer_id, segment',
  );
  return rows.map((r) => ({ offerId: r.offer_id, segment: r.segment, made: r.made, accepted: r.accepted }));
}

export function postgresPlaybook({ pool, transaction }: PgContext): PlaybookStore {
  return {
    async putPlaybook(playbook) {
      await transaction('READ WRITE', async (client) => {
        const seq = await reserveSeqs(client, 1);
        await client.query(
          `INSERT INTO documents (kind, data, seq) VALUES ($1, $2, $3)
           ON CONFLICT (kind) DO UPDATE SET data = excluded.data, seq = excluded.seq`,
          [PLAYBOOK_DOCUMENT, json(playbook), seq],
        );
      });
    },
    async playbook() {
      return readPlaybook(pool);
    },
    async bumpOfferStat(offerId, segment, accepted): Promise<OfferStat> {
      return transaction('READ WRITE', async (client) => {
        const seq = await reserveSeqs(client, 1);
        return { offerId, segment, ...(await countOffer(client, { offerId, segment, accepted }, seq)) };
      });
    },
    async offerStats() {
      return readOfferStats(pool);
    },
  };
}
