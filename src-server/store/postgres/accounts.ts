import { parseAgent } from '../common/rows';
import type { AccountState, AccountStore } from '../roles/account-store';
import type { PgContext, Queryable } from './database';

interface AccountRow {
  data: string;
  disabled: boolean;
  must_change_password: boolean;
  token_version: number;
}

const toAccount = (row: AccountRow): AccountState => ({
  agent: parseAgent(row.data), disabled: row.disabled, mustChangePassword: row.must_change_password, tokenVersion: row.token_version,
});
const COLUMNS = 'data, disabled, must_change_password, token_version';

async function revoke(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE agents SET token_version = token_version + 1 WHERE id = $1', [id]);
  await db.query('DELETE FROM refresh_tokens WHERE agent_id = $1', [id]);
}

export function postgresAccounts({ pool, transaction }: PgContext): AccountStore {
  return {
    async accountById(id) {
      const { rows } = await pool.query<AccountRow>(`SELECT ${COLUMNS} FROM agents WHERE id = $1`, [id]);
      return rows[0] ? toAccount(rows[0]) : null;
    },
    async listAccounts() {
      const { rows } = await pool.query<AccountRow>(`SELECT ${COLUMNS} FROM agents ORDER BY id`);
      return rows.map(toAccount);
    },
    async setPassword(id, passwordHash, mustChange) {
      await transaction('READ WRITE', async (client) => {
        await client.query('UPDATE agents SET password_hash = $1, must_change_password = $2 WHERE id = $3', [passwordHash, mustChange, id]);
        await revoke(client, id);
      });
    },
    async rehashPassword(id, passwordHash) {
      await pool.query('UPDATE agents SET password_hash = $1 WHERE id = $2', [passwordHash, id]);
    },
    async setDisabled(id, disabled) {
      await transaction('READ WRITE', async (client) => {
        await client.query('UPDATE agents SET disabled = $1 WHERE id = $2', [disabled, id]);
        await revoke(client, id);
      });
    },
    async revokeTokens(id) {
      await transaction('READ WRITE', (client) => revoke(client, id));
    },
    async putRefreshToken(tokenHash, agentId, expiresAt) {
      await pool.query('INSERT INTO refresh_tokens (token_hash, agent_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, agentId, expiresAt]);
    },
    async takeRefreshToken(tokenHash, now) {
      const { rows } = await pool.query<{ agent_id: string; expires_at: string }>('DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING agent_id, expires_at', [tokenHash]);
      const row = rows[0];
      return row && row.expires_at > now ? row.agent_id : null;
    },
  };
}
