import type { Agent } from '@shared/domain/agent';
import { json, parseAgent } from '../common/rows';
import type { AgentStore, StoredAgent } from '../roles/agent-store';
import { reserveSeqs, type PgContext, type Queryable } from './database';

/** Every agent's and supervisor's public profile, by id (also the first snapshot page's); admins are not on the floor. */
export async function readAgents(db: Queryable): Promise<Agent[]> {
  const { rows } = await db.query<{ data: string }>("SELECT data FROM agents WHERE role <> 'admin' ORDER BY id");
  return rows.map((row) => parseAgent(row.data));
}

export function postgresAgents({ pool, transaction }: PgContext): AgentStore {
  return {
    async upsertAgent(agent, passwordHash) {
      await transaction('READ WRITE', async (client) => {
        const seq = await reserveSeqs(client, 1);
        await client.query(
          `INSERT INTO agents (id, username, role, password_hash, data, seq) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role,
             password_hash = excluded.password_hash, data = excluded.data, seq = excluded.seq`,
          [agent.id, agent.username, agent.role, passwordHash, json(agent), seq],
        );
      });
    },
    async agentByUsername(username): Promise<StoredAgent | null> {
      const { rows } = await pool.query<{ data: string; password_hash: string }>('SELECT data, password_hash FROM agents WHERE username = $1', [username]);
      const row = rows[0];
      return row ? { agent: parseAgent(row.data), passwordHash: row.password_hash } : null;
    },
    async listAgents() {
      return readAgents(pool);
    },
  };
}
