import { offerDecisionSchema } from '@shared/domain/offer-decision';
import { json } from '../common/rows';
import type { OfferDecisionStore } from '../roles/offer-decision-store';
import type { PgContext } from './database';

export function postgresOfferDecisions({ pool }: PgContext): OfferDecisionStore {
  return {
    async logOfferDecision(decision) {
      const result = await pool.query('INSERT INTO offer_decisions (call_id, customer_id, decided_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (call_id) DO NOTHING',
        [decision.callId, decision.customerId, decision.decidedAt, json(decision)]);
      return result.rowCount === 1;
    },
    async offerDecisions(sinceIso) {
      const { rows } = await pool.query<{ data: string }>('SELECT data FROM offer_decisions WHERE decided_at >= $1 ORDER BY decided_at, arrival', [sinceIso]);
      return rows.map((r) => offerDecisionSchema.parse(JSON.parse(r.data)));
    },
  };
}
