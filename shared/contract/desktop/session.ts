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
  /**
   * Sign-in through the company's identity provider, when the server offers it: the button's label, and how
   * this host does it: 'page' (browser mode: the page goes to providerSignInUrl and comes back with a
   * one-time code for loginWithProvider) or 'system-browser' (Electron: loginWithSystemBrowser does it all).
   */
  provider: z.object({ label: z.string(), via: z.enum(['page', 'system-browser']) }).nullable().default(null),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const sessionMethods = {
  'session.get': { input: none, output: sessionStateSchema },
  'session.login': { input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }), output: sessionStateSchema },
  'session.logout': { input: none, output: sessionStateSchema },
  /** Browser mode: where to send the page to sign in through the provider; it comes back to returnTo (a loopback URL) with a one-time code. */
  'session.providerSignInUrl': { input: z.object({ returnTo: z.url().max(2048) }), output: z.object({ url: z.string() }) },
  /** Exchanges the one-time code a provider sign-in came back with (never a token in a URL) and signs in. */
  'session.loginWithProvider': { input: z.object({ code: z.string().min(1).max(256) }), output: sessionStateSchema },
  /** Electron: the provider's sign-in in the system browser, back to a loopback listener (RFC 8252), then signed in. */
  'session.loginWithSystemBrowser': { input: none, output: sessionStateSchema },
  /** Replaces the password (a one-time one must be, before the first sign-in), then signs in with the new one. */
  'session.changePassword': {
    input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }),
    output: sessionStateSchema,
  },
} as const;

export const sessionEvents = {
  'session.changed': sessionStateSchema,
} as const;
