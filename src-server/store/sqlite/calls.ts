import { callSchema, type Call } from '@shared/domain/call';
import { OPEN_CALL_STATES_SQL } from '../common/constants';
import { json } from '../common/rows';
import type { CallStore } from '../roles/call-store';
import type { SqliteContext } from './database';

export function sqliteCalls({ db }: SqliteContext): CallStore {
  return {
    async saveCall(call: Call) {
      db.prepare(`INSERT INTO calls (id, state, agent_id, customer_id, created_at, data) VALUES (@id, @state, @agentId, @customerId, @createdAt, @data)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, agent_id = excluded.agent_id, customer_id = excluded.customer_id, data = excluded.data`)
        .run({ id: call.id, state: call.state, agentId: call.agentId, customerId: call.customerId, createdAt: call.createdAt, data: json(call) });
    },
    async callExists(callId: string): Promise<boolean> {
      return db.prepare<[string], { one: number }>('SELECT 1 AS one FROM calls WHERE id = ?').get(callId) !== undefined;
    },
    async callRecord(callId: string): Promise<Call | null> {
      const row = db.prepare<[string], { data: string }>('SELECT data FROM calls WHERE id = ?').get(callId);
      return row ? callSchema.parse(JSON.parse(row.data)) : null;
    },
    async openCalls(): Promise<Call[]> {
      return db.prepare<[], { data: string }>(`SELECT data FROM calls WHERE state IN ${OPEN_CALL_STATES_SQL} ORDER BY created_at`).all()
        .map((row) => callSchema.parse(JSON.parse(row.data)));
    },
  };
}
