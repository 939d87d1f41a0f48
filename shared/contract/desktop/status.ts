import { z } from 'zod';
import { none, ok } from './shared';

export const connectionStatusSchema = z.object({
  connection: z.enum(['online', 'connecting', 'offline']),
  outboxPending: z.number().int().nonnegative(),
  sync: z.object({
    phase: z.enum(['idle', 'snapshot', 'changes', 'ready', 'error']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    message: z.string().nullable(),
  }),
  presence: z.string(),
  /** What the link is doing about a refused sign-in (renewing, or retrying after a server error), or null. */
  notice: z.string().nullable().default(null),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const statusMethods = {
  'status.get': { input: none, output: connectionStatusSchema },
  'presence.set': { input: z.object({ presence: z.enum(['available', 'away']) }), output: ok },
} as const;

export const statusEvents = {
  'status.changed': connectionStatusSchema,
} as const;
