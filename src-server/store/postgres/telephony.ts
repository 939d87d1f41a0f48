import type { PendingDelivery, TelephonyStore } from '../roles/telephony-store';
import type { PgContext } from './database';

interface DeliveryRow { id: string; call_id: string; body: string; created_at: string; attempts: number; next_attempt_at: string }

const toDelivery = (r: DeliveryRow): PendingDelivery => ({ id: r.id, callId: r.call_id, body: r.body, createdAt: r.created_at, attempts: r.attempts, nextAttemptAt: Number(r.next_attempt_at) });

export function postgresTelephony({ pool }: PgContext): TelephonyStore {
  return {
    async agentPhones() {
      const { rows } = await pool.query<{ agent_id: string; address: string }>('SELECT agent_id, address FROM agent_phones');
      return Object.fromEntries(rows.map((r) => [r.agent_id, r.address]));
    },
    async setAgentPhone(agentId, address) {
      if (address === null) await pool.query('DELETE FROM agent_phones WHERE agent_id = $1', [agentId]);
      else await pool.query('INSERT INTO agent_phones (agent_id, address) VALUES ($1, $2) ON CONFLICT (agent_id) DO UPDATE SET address = excluded.address', [agentId, address]);
    },
    async enqueueDelivery(d) {
      await pool.query(`INSERT INTO telephony_deliveries (id, call_id, body, created_at, attempts, next_attempt_at)
        VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (id) DO NOTHING`, [d.id, d.callId, d.body, d.createdAt, d.nextAttemptAt]);
    },
    async dueDeliveries(now, limit) {
      const { rows } = await pool.query<DeliveryRow>(`SELECT id, call_id, body, created_at, attempts, next_attempt_at FROM telephony_deliveries
        WHERE delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY created_at, id LIMIT $2`, [now, limit]);
      return rows.map(toDelivery);
    },
    async pendingDeliveries() {
      const { rows } = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM telephony_deliveries WHERE delivered_at IS NULL');
      return Number(rows[0]?.n ?? 0);
    },
    async deliveryFailed(id, nextAttemptAt, error) {
      await pool.query('UPDATE telephony_deliveries SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3', [nextAttemptAt, error.slice(0, 500), id]);
    },
    async deliveryDone(id, deliveredAt) {
      await pool.query('UPDATE telephony_deliveries SET attempts = attempts + 1, delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL', [deliveredAt, id]);
    },
  };
}
