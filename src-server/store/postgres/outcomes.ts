import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import { SAVED_DISPOSITION } from '../common/constants';
import { json } from '../common/rows';
import type { OutcomeStore } from '../roles/outcome-store';
import { factFromOutcome } from '../common/review-sql';
import { writeReviewFact } from './review';
import { countOffer, lockFeed, reserveSeqs, writeInteraction, type PgContext, type Queryable } from './database';

/** Inserts an outcome unless its id is stored; whether it was new. */
async function insertOutcomeRow(db: Queryable, outcome: OutcomeRecord): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [outcome.id, outcome.callId, outcome.customerId, outcome.agentId, outcome.disposition, outcome.receivedAt, json(outcome)],
  );
  return result.rowCount === 1;
}

export function postgresOutcomes({ pool, transaction }: PgContext): OutcomeStore {
  return {
    async insertOutcome(outcome) {
      // The primary key decides: of any number of concurrent inserts of one id, exactly one reports a row.
      return transaction('READ WRITE', async (client) => {
        const inserted = await insertOutcomeRow(client, outcome);
        if (inserted) await writeReviewFact(client, outcome, factFromOutcome(outcome));
        return inserted;
      });
    },
    async applyOutcomes(writes) {
      if (writes.length === 0) return [];
      return transaction('READ WRITE', async (client) => {
        // Feed lock first, as every feed writer takes it; the inserts below then commit in feed order.
        await lockFeed(client);
        const results: boolean[] = [];
        for (const { outcome, interaction, offerStat, review } of writes) {
          const inserted = await insertOutcomeRow(client, outcome);
          if (inserted) await writeReviewFact(client, outcome, review ?? factFromOutcome(outcome));
          if (inserted && interaction) await writeInteraction(client, interaction, await reserveSeqs(client, 1));
          if (inserted && offerStat) await countOffer(client, offerStat, await reserveSeqs(client, 1));
          results.push(inserted);
        }
        return results;
      });
    },
    async appliedOutcomes(ids) {
      if (ids.length === 0) return new Map();
      const { rows } = await pool.query<{ id: string; agent_id: string; call_id: string }>('SELECT id, agent_id, call_id FROM outcomes WHERE id = ANY($1)', [ids]);
      return new Map(rows.map((r) => [r.id, { agentId: r.agent_id, callId: r.call_id }]));
    },
    async recentOutcomes(limit) {
      const { rows } = await pool.query<{ data: string }>('SELECT data FROM outcomes ORDER BY received_at DESC, arrival DESC LIMIT $1', [limit]);
      return rows.map((row) => outcomeRecordSchema.parse(JSON.parse(row.data)));
    },
    async outcomeTotals(sinceIso) {
      const { rows } = await pool.query<{ agent_id: string; calls: number; saves: number }>(
        `SELECT agent_id, COUNT(*)::integer AS calls, SUM(CASE WHEN disposition = $2 THEN 1 ELSE 0 END)::integer AS saves
         FROM outcomes WHERE received_at >= $1 GROUP BY agent_id ORDER BY agent_id`,
        [sinceIso, SAVED_DISPOSITION],
      );
      return rows.map((r) => ({ agentId: r.agent_id, calls: r.calls, saves: r.saves }));
    },
  };
}
