import { callSchema } from '@shared/domain/call';
import { OPEN_CALL_STATES_SQL } from '../common/constants';
import { json } from '../common/rows';
import type { CallStore } from '../roles/call-store';
import type { PgContext } from './database';

export function postgresCalls({ pool }: PgContext): CallStore {
  return {
    async saveCall(call) {
      await pool.query(
        `INSERT INTO calls (id, state, agent_id, customer_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent_id = excluded.agent_id, customer_id = excluded.customer_id, data = excluded.data`,
        [call.id, call.state, call.agentId, call.customerId, call.createdAt, json(call)],
      );
    },
    async callExists(callId) {
      const { rowCount } = await pool.query('SELECT 1 FROM calls WHERE id = $1', [callId]);
      return (rowCount ?? 0) > 0;
    },
    async callRecord(callId) {
      const { rows } = await pool.query<{ data: string }>('SELECT data FROM calls WHERE id = $1', [callId]);
      return rows[0] ? callSchema.parse(JSON.parse(rows[0].data)) : null;
    },
    async openCalls() {
      const { rows } = await pool.query<{ data: string }>(`SELECT data FROM calls WHERE state IN ${OPEN_CALL_STATES_SQL} ORDER BY created_at, id`);
      return rows.map((row) => callSchema.parse(JSON.parse(row.data)));
    },
  };
}
