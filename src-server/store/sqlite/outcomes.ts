import { outcomeRecordSchema } from '@shared/domain/wrap-up';
import { SAVED_DISPOSITION } from '../common/constants';
import { json } from '../common/rows';
import type { OutcomeStore } from '../roles/outcome-store';
import { factFromOutcome } from '../common/review-sql';
import type { SqliteContext } from './database';
import { sqliteReviewWriter } from './review';

export function sqliteOutcomes(context: SqliteContext): OutcomeStore {
  const { db, writeInteraction, countOffer } = context;
  const writeFact = sqliteReviewWriter(context);
  const insertOutcome = db.prepare(`INSERT INTO outcomes (id, call_id, customer_id, agent_id, disposition, received_at, data)
    VALUES (@id, @callId, @customerId, @agentId, @disposition, @receivedAt, @data) ON CONFLICT (id) DO NOTHING`);
  return {
    async insertOutcome(outcome) {
      return db.transaction(() => {
        const inserted = insertOutcome.run({ ...outcome, data: json(outcome) }).changes === 1;
        if (inserted) writeFact(outcome, factFromOutcome(outcome));
        return inserted;
      })();
    },
    async applyOutcomes(writes) {
      return db.transaction(() => writes.map(({ outcome, interaction, offerStat, review }) => {
        const inserted = insertOutcome.run({ ...outcome, data: json(outcome) }).changes === 1;
        if (inserted) writeFact(outcome, review ?? factFromOutcome(outcome));
        if (inserted && interaction) writeInteraction(interaction);
        if (inserted && offerStat) countOffer(offerStat.offerId, offerStat.segment, offerStat.accepted);
        return inserted;
      }))();
    },
    async appliedOutcomes(ids) {
      const applied = new Map<string, { agentId: string; callId: string }>();
      const find = db.prepare<[string], { agent_id: string; call_id: string }>('SELECT agent_id, call_id FROM outcomes WHERE id = ?');
      for (const id of ids) {
        const row = find.get(id);
        if (row) applied.set(id, { agentId: row.agent_id, callId: row.call_id });
      }
      return applied;
    },
    async recentOutcomes(limit) {
      return db.prepare<[number], { data: string }>('SELECT data FROM outcomes ORDER BY received_at DESC, rowid DESC LIMIT ?').all(limit)
        .map((row) => outcomeRecordSchema.parse(JSON.parse(row.data)));
    },
    async outcomeTotals(sinceIso) {
      return db.prepare<[string, string], { agent_id: string; calls: number; saves: number }>(`SELECT agent_id, COUNT(*) AS calls,
          SUM(CASE WHEN disposition = ? THEN 1 ELSE 0 END) AS saves FROM outcomes WHERE received_at >= ? GROUP BY agent_id`)
        .all(SAVED_DISPOSITION, sinceIso).map((r) => ({ agentId: r.agent_id, calls: r.calls, saves: r.saves }));
    },
  };
}
