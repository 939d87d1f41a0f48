import type { PendingDelivery, TelephonyStore } from '../roles/telephony-store';
import type { SqliteContext } from './database';

interface DeliveryRow { id: string; call_id: string; body: string; created_at: string; attempts: number; next_attempt_at: number }

const toDelivery = (r: DeliveryRow): PendingDelivery => ({ id: r.id, callId: r.call_id, body: r.body, createdAt: r.created_at, attempts: r.attempts, nextAttemptAt: r.next_attempt_at });

export function sqliteTelephony({ db }: SqliteContext): TelephonyStore {
  return {
    async agentPhones() {
      const rows = db.prepare<[], { agent_id: string; address: string }>('SELECT agent_id, address FROM agent_phones').all();
      return Object.fromEntries(rows.map((r) => [r.agent_id, r.address]));
    },
    async setAgentPhone(agentId, address) {
      if (address === null) db.prepare('DELETE FROM agent_phones WHERE agent_id = ?').run(agentId);
      else db.prepare('INSERT INTO agent_phones (agent_id, address) VALUES (?, ?) ON CONFLICT (agent_id) DO UPDATE SET address = excluded.address').run(agentId, address);
    },
    async enqueueDelivery(d) {
      db.prepare(`INSERT INTO telephony_deliveries (id, call_id, body, created_at, attempts, next_attempt_at)
        VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING`).run(d.id, d.callId, d.body, d.createdAt, d.nextAttemptAt);
    },
    async dueDeliveries(now, limit) {
      return db.prepare<[number, number], DeliveryRow>(`SELECT id, call_id, body, created_at, attempts, next_attempt_at FROM telephony_deliveries
        WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?`).all(now, limit).map(toDelivery);
    },
    async pendingDeliveries() {
      return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM telephony_deliveries WHERE delivered_at IS NULL').get()?.n ?? 0;
    },
    async deliveryFailed(id, nextAttemptAt, error) {
      db.prepare('UPDATE telephony_deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?').run(nextAttemptAt, error.slice(0, 500), id);
    },
    async deliveryDone(id, deliveredAt) {
      db.prepare('UPDATE telephony_deliveries SET attempts = attempts + 1, delivered_at = ? WHERE id = ? AND delivered_at IS NULL').run(deliveredAt, id);
    },
  };
}
