import { z } from 'zod';
import { agentLanguageSchema, roleSchema } from '../../domain/agent';
import { accountViewSchema, accountWithPasswordSchema } from '../server-http';

/**
 * Accounts, for admins: the server's admin routes (`/api/admin/users`). Only
 * the shape is checked here; the server owns the rules (user name letters,
 * roles, at least one language) and refuses anyone but an admin with 403.
 */
export const usernameInputSchema = z.object({ username: z.string().min(1).max(64) }).strict();

export const newAccountInputSchema = z
  .object({
    username: z.string().max(64),
    displayName: z.string().max(100),
    role: roleSchema,
    languages: z.array(agentLanguageSchema).max(50).optional(),
    skills: z.array(z.string().max(40)).max(20).optional(),
  })
  .strict();
export type NewAccountInput = z.infer<typeof newAccountInputSchema>;

export const accountsMethods = {
  'accounts.list': { input: z.object({}).strict(), output: z.object({ users: z.array(accountViewSchema) }) },
  /** The answer carries the one-time password, shown once; it must be changed at first sign-in. */
  'accounts.add': { input: newAccountInputSchema, output: accountWithPasswordSchema },
  /** Revokes the account's tokens at once. */
  'accounts.disable': { input: usernameInputSchema, output: accountViewSchema },
  'accounts.enable': { input: usernameInputSchema, output: accountViewSchema },
  /** A new one-time password (shown once); revokes the account's tokens. */
  'accounts.resetPassword': { input: usernameInputSchema, output: accountWithPasswordSchema },
} as const;
