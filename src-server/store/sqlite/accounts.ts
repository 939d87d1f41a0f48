import { parseAgent } from '../common/rows';
import type { AccountState, AccountStore } from '../roles/account-store';
import type { SqliteContext } from './database';

interface AccountRow {
  data: string;
  disabled: number;
  must_change_password: number;
  token_version: number;
}

const toAccount = (row: AccountRow): AccountState => ({
  agent: parseAgent(row.data), disabled: row.disabled !== 0, mustChangePassword: row.must_change_password !== 0, tokenVersion: row.token_version,
});
const COLUMNS = 'data, disabled, must_change_password, token_version';

export function sqliteAccounts({ db }: SqliteContext): AccountStore {
  const revoke = db.transaction((id: string) => {
    db.prepare('UPDATE agents SET token_version = token_version + 1 WHERE id = ?').run(id);
    db.prepare('DELETE FROM refresh_tokens WHERE agent_id = ?').run(id);
  });
  return {
    async accountById(id) {
      const row = db.prepare<[string], AccountRow>(`SELECT ${COLUMNS} FROM agents WHERE id = ?`).get(id);
      return row ? toAccount(row) : null;
    },
    async listAccounts() {
      return db.prepare<[], AccountRow>(`SELECT ${COLUMNS} FROM agents ORDER BY id`).all().map(toAccount);
    },
    async setPassword(id, passwordHash, mustChange) {
      db.transaction(() => {
        db.prepare('UPDATE agents SET password_hash = ?, must_change_password = ? WHERE id = ?').run(passwordHash, mustChange ? 1 : 0, id);
        revoke(id);
      })();
    },
    async rehashPassword(id, passwordHash) {
      db.prepare('UPDATE agents SET password_hash = ? WHERE id = ?').run(passwordHash, id);
    },
    async setDisabled(id, disabled) {
      db.transaction(() => {
        db.prepare('UPDATE agents SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
        revoke(id);
      })();
    },
    async revokeTokens(id) {
      revoke(id);
    },
    async putRefreshToken(tokenHash, agentId, expiresAt) {
      db.prepare('INSERT INTO refresh_tokens (token_hash, agent_id, expires_at) VALUES (?, ?, ?)').run(tokenHash, agentId, expiresAt);
    },
    async takeRefreshToken(tokenHash, now) {
      const row = db.prepare<[string], { agent_id: string; expires_at: string }>('DELETE FROM refresh_tokens WHERE token_hash = ? RETURNING agent_id, expires_at').get(tokenHash);
      return row && row.expires_at > now ? row.agent_id : null;
    },
  };
}
