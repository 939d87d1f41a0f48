import type Database from 'better-sqlite3-multiple-ciphers';
import type { Agent } from '@shared/domain/agent';
import { json, parseAgent } from '../common/rows';
import type { AgentStore, StoredAgent } from '../roles/agent-store';
import type { SqliteContext } from './database';

/** Every agent's and supervisor's public profile, by id (also the first snapshot page's); admins are not on the floor. */
export function readAgents(db: Database.Database): Agent[] {
  return db.prepare<[], { data: string }>("SELECT data FROM agents WHERE role <> 'admin' ORDER BY id").all().map((row) => parseAgent(row.data));
}

export function sqliteAgents({ db, nextSeq }: SqliteContext): AgentStore {
  const upsertAgent = db.prepare(`INSERT INTO agents (id, username, role, password_hash, data, seq) VALUES (@id, @username, @role, @hash, @data, @seq)
    ON CONFLICT (id) DO UPDATE SET username = excluded.username, role = excluded.role, password_hash = excluded.password_hash, data = excluded.data, seq = excluded.seq`);
  return {
    async upsertAgent(agent, passwordHash) {
      db.transaction(() => upsertAgent.run({ id: agent.id, username: agent.username, role: agent.role, hash: passwordHash, data: json(agent), seq: nextSeq() }))();
    },
    async agentByUsername(username): Promise<StoredAgent | null> {
      const row = db.prepare<[string], { data: string; password_hash: string }>('SELECT data, password_hash FROM agents WHERE username = ?').get(username);
      return row ? { agent: parseAgent(row.data), passwordHash: row.password_hash } : null;
    },
    async listAgents(): Promise<Agent[]> {
      return readAgents(db);
    },
  };
}
