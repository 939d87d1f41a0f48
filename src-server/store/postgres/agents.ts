import type { Agent } from '@shared/domain/agent';
import { deepFreeze } from '@shared/util/deep-freeze';
import { json, parseAgent } from '../common/rows';
import type { AgentStore, StoredAgent } from '../roles/agent-store';
import { reserveSeqs, type PgContext, type Queryable } from './database';

/** Every agent's and supervisor's public profile, by id (also the first snapshot page's); admins are not on the floor. */
export async function readAgents(db: Queryable): Promise<Agent[]> {
  const { rows } = await db.query<{ data: string }>("SELECT data FROM agents WHERE role <> 'admin' ORDER BY id");
  return rows.map((row) => parseAgent(row.data));
}

export function postgresAgents({ pool, transaction }: PgContext): AgentStore {
  /**
   * The last list read, frozen (every caller shares it), and what it was read at. The routing node lists the
   * floor for every supervisors' broadcast; parsing 5,000 profiles each time held its event loop for up to
   * 250 ms. A profile is written only by upsertAgent, which gives its row a new seq, and no agent row is ever
   * deleted, so an unchanged count and highest seq mean an unchanged list.
   */
  let listed: { version: string; agents: readonly Agent[] } | null = null;
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
      const { rows } = await pool.query<{ version: string }>("SELECT count(*) || ':' || coalesce(max(seq), 0) AS version FROM agents WHERE role <> 'admin'");
      const version = rows[0]?.version ?? '';
      if (listed?.version !== version) listed = { version, agents: deepFreeze(await readAgents(pool)) };
      return listed.agents as Agent[];
    },
  };
}
