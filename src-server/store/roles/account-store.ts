import type { Agent } from '@shared/domain/agent';

/** What sign-in needs to know of an account besides its public profile. */
export interface AccountState {
  agent: Agent;
  disabled: boolean;
  /** Set for a password someone else chose (the first admin's, a reset): sign-in refuses until it is changed. */
  mustChangePassword: boolean;
  /** Every access token carries the version it was issued at; bumping it revokes them all. */
  tokenVersion: number;
}

/**
 * Accounts' sign-in state and refresh tokens. None of it is in the change feed:
 * a desktop never needs to know that another agent changed a password.
 */
export interface AccountStore {
  accountById(id: string): Promise<AccountState | null>;
  /** Every account, admins too (listAgents leaves admins out: they are not on the floor). */
  listAccounts(): Promise<AccountState[]>;
  /** A new hash; `mustChange` marks it as one the user did not choose. Revokes every token of the account. */
  setPassword(id: string, passwordHash: string, mustChange: boolean): Promise<void>;
  /** Stores a re-hash of the same password (a stronger cost): tokens stay valid. */
  rehashPassword(id: string, passwordHash: string): Promise<void>;
  /** Disabling revokes every token of the account. */
  setDisabled(id: string, disabled: boolean): Promise<void>;
  /** Bumps the token version and deletes the account's refresh tokens. */
  revokeTokens(id: string): Promise<void>;
  putRefreshToken(tokenHash: string, agentId: string, expiresAt: string): Promise<void>;
  /** Removes the refresh token and answers its agent, if it existed and had not expired: each one works once. */
  takeRefreshToken(tokenHash: string, now: string): Promise<string | null>;
}
