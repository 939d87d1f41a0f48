import { z } from 'zod';
import { agentSchema } from '../../domain/agent';
import { demoUserSchema } from '../server-http';
import { none } from './shared';

export const sessionStateSchema = z.object({
  serverUrl: z.string(),
  user: agentSchema.nullable(),
  demoUsers: z.array(demoUserSchema),
  /** Why the last session ended when the server ended it (revoked, disabled), for the login screen; else null. */
  signedOutReason: z.string().nullable().default(null),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const sessionMethods = {
  'session.get': { input: none, output: sessionStateSchema },
  'session.login': { input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }), output: sessionStateSchema },
  'session.logout': { input: none, output: sessionStateSchema },
  /** Replaces the password (a one-time one must be, before the first sign-in), then signs in with the new one. */
  'session.changePassword': {
    input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }),
    output: sessionStateSchema,
  },
} as const;

export const sessionEvents = {
  'session.changed': sessionStateSchema,
} as const;
