import { offerDecisionSchema } from '@shared/domain/offer-decision';
import { json } from '../common/rows';
import type { OfferDecisionStore } from '../roles/offer-decision-store';
import type { SqliteContext } from './database';

export function sqliteOfferDecisions({ db }: SqliteContext): OfferDecisionStore {
  const insert = db.prepare('INSERT INTO offer_decisions (call_id, customer_id, decided_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING');
  return {
    async logOfferDecision(decision) {
      return insert.run(decision.callId, decision.customerId, decision.decidedAt, json(decision)).changes === 1;
    },
    async offerDecisions(sinceIso) {
      return db.prepare<[string], { data: string }>('SELECT data FROM offer_decisions WHERE decided_at >= ? ORDER BY decided_at, rowid').all(sinceIso)
        .map((r) => offerDecisionSchema.parse(JSON.parse(r.data)));
    },
  };
}
