import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AccountView } from '@shared/contract/server-http';
import { agentLanguageSchema, roleSchema, type Agent } from '@shared/domain/agent';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import type { AccountState, AccountStore } from '../store/roles/account-store';
import type { AgentStore } from '../store/roles/agent-store';
import { hashPassword } from './passwords';

/** A refusal with the HTTP status and code it answers with. */
export class AccountError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'AccountError';
  }
}

export const MIN_PASSWORD_LENGTH = 10;
const PUBLISHED_PASSWORDS: ReadonlySet<string> = new Set(DEMO_AGENTS.map((a) => a.password));

/** A password people choose: long enough, and not one this project publishes. */
export const newPasswordSchema = z.string().min(MIN_PASSWORD_LENGTH, `a password needs at least ${MIN_PASSWORD_LENGTH} characters`).max(256)
  .refine((p) => !PUBLISHED_PASSWORDS.has(p), 'that password is published with the demo');

export const newAccountSchema = z.object({
  username: z.string().trim().min(2).max(64).regex(/^[a-z0-9._-]+$/, 'use lower-case letters, digits and . _ - only'),
  displayName: z.string().trim().min(1).max(100),
  role: roleSchema,
  languages: z.array(agentLanguageSchema).min(1).default([{ code: 'en', proficiency: 5 }]),
  skills: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
});
export type NewAccount = z.input<typeof newAccountSchema>;


const view = (state: AccountState): AccountView => ({
  id: state.agent.id, username: state.agent.username, displayName: state.agent.displayName, role: state.agent.role,
  disabled: state.disabled, mustChangePassword: state.mustChangePassword,
});

/** A one-time password: 18 random bytes, base64url (24 characters). */
const oneTimePassword = (): string => randomBytes(18).toString('base64url');

/**
 * Adding, disabling and resetting accounts: the one place the CLI
 * (`npm run users`) and the admin HTTP routes both go through. Every change
 * calls `changed` so the server's account cache forgets the account at once.
 */
export class AccountAdmin {
  constructor(private readonly store: AgentStore & AccountStore, private readonly changed: (agentId: string) => void = () => undefined) {}

  async list(): Promise<AccountView[]> {
    return (await this.store.listAccounts()).map(view);
  }

  /** Adds an account with a one-time password (answered once) that must be changed at first sign-in. */
  async add(input: NewAccount): Promise<{ account: AccountView; oneTimePassword: string }> {
    const parsed = newAccountSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AccountError(400, 'invalid_request', `${issue?.path.join('.') || 'account'}: ${issue?.message ?? 'invalid'}`);
    }
    if (await this.store.agentByUsername(parsed.data.username)) throw new AccountError(409, 'conflict', `The user name ${parsed.data.username} is taken`);
    const agent: Agent = { id: `${parsed.data.role[0]!.toUpperCase()}-${randomUUID().slice(0, 8)}`, ...parsed.data };
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    await this.store.upsertAgent(agent, hash);
    await this.store.setPassword(agent.id, hash, true);
    this.changed(agent.id);
    return { account: view((await this.store.accountById(agent.id))!), oneTimePassword: password };
  }

  async setDisabled(username: string, disabled: boolean): Promise<AccountView> {
    const account = await this.find(username);
    await this.store.setDisabled(account.agent.id, disabled);
    this.changed(account.agent.id);
    return { ...view(account), disabled };
  }

  /** A new one-time password (answered once); every token of the account is revoked. */
  async resetPassword(username: string): Promise<{ account: AccountView; oneTimePassword: string }> {
    const account = await this.find(username);
    const password = oneTimePassword();
    await this.store.setPassword(account.agent.id, await hashPassword(password), true);
    this.changed(account.agent.id);
    return { account: { ...view(account), mustChangePassword: true }, oneTimePassword: password };
  }

  /**
   * Set-up with demo off: a store without an active admin gets one, `admin`, with a one-time
   * password the caller prints once. Null when there is one already.
   */
  async ensureFirstAdmin(): Promise<{ account: AccountView; oneTimePassword: string } | null> {
    const accounts = await this.store.listAccounts();
    if (accounts.some((a) => a.agent.role === 'admin' && !a.disabled)) return null;
    const taken = new Set(accounts.map((a) => a.agent.username));
    const username = ['admin', 'holdfast-admin', `admin-${randomUUID().slice(0, 6)}`].find((name) => !taken.has(name))!;
    return this.add({ username, displayName: 'Administrator', role: 'admin' });
  }

  private async find(username: string): Promise<AccountState> {
    const stored = await this.store.agentByUsername(username);
    const account = stored ? await this.store.accountById(stored.agent.id) : null;
    if (!account) throw new AccountError(404, 'not_found', `No account ${username}`);
    return account;
  }
}
