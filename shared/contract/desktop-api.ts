import { z } from 'zod';
import { agentSchema } from '../domain/agent';
import { dispositionSchema, offerOutcomeSchema } from '../domain/wrapup';
import { demoUserSchema } from './server-http';
import { supervisorStateSchema } from './server-socket';
import { popViewSchema } from './pop';
import { editableFieldSchema } from '../sync/profile-edits';

/**
 * The one contract between the UI and the desktop backend. Electron's preload
 * and the browser-mode web host both expose exactly these methods and events,
 * and both validate inputs with these schemas before calling the services.
 */

export const sessionStateSchema = z.object({
  serverUrl: z.string(),
  user: agentSchema.nullable(),
  demoUsers: z.array(demoUserSchema),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

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
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const saveWrapUpInputSchema = z.object({
  callId: z.string().min(1),
  customerId: z.string().min(1),
  disposition: dispositionSchema,
  offerId: z.string().nullable(),
  offerOutcome: offerOutcomeSchema,
  notes: z.string().max(10_000),
  summary: z.string().max(4_000),
});
export type SaveWrapUpInput = z.infer<typeof saveWrapUpInputSchema>;

const none = z.object({}).strict();
export const callPhaseSchema = z.enum(['offered', 'connected', 'wrap_up']);
export type CallPhase = z.infer<typeof callPhaseSchema>;
const ok = z.object({ ok: z.literal(true) });

export const desktopApi = {
  'session.get': { input: none, output: sessionStateSchema },
  'session.login': { input: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }), output: sessionStateSchema },
  'session.logout': { input: none, output: sessionStateSchema },
  'status.get': { input: none, output: connectionStatusSchema },
  'presence.set': { input: z.object({ presence: z.enum(['available', 'away']) }), output: ok },
  'call.accept': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.reject': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.hangUp': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'call.current': { input: none, output: z.object({ pop: popViewSchema, phase: callPhaseSchema }).nullable() },
  'call.popPainted': { input: z.object({ callId: z.string().min(1) }), output: ok },
  'wrapup.save': { input: saveWrapUpInputSchema, output: z.object({ id: z.string() }) },
  'supervisor.state': { input: none, output: supervisorStateSchema.nullable() },
  'customer.edit': { input: z.object({ customerId: z.string().min(1).max(64), field: editableFieldSchema, value: z.unknown() }), output: ok },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type DesktopApi = typeof desktopApi;
export type DesktopMethod = keyof DesktopApi;
export type MethodInput<M extends DesktopMethod> = z.input<DesktopApi[M]['input']>;
export type MethodOutput<M extends DesktopMethod> = z.output<DesktopApi[M]['output']>;
export const DESKTOP_METHODS = Object.keys(desktopApi) as DesktopMethod[];

export const desktopEvents = {
  'session.changed': sessionStateSchema,
  'status.changed': connectionStatusSchema,
  'call.offered': popViewSchema,
  'call.updated': z.object({ callId: z.string(), state: z.enum(['connected', 'wrap_up', 'revoked', 'saved']), reason: z.string().optional() }),
  'supervisor.changed': supervisorStateSchema,
} as const satisfies Record<string, z.ZodType>;

export type DesktopEvents = typeof desktopEvents;
export type DesktopEventName = keyof DesktopEvents;
export type EventPayload<E extends DesktopEventName> = z.output<DesktopEvents[E]>;
export const DESKTOP_EVENTS = Object.keys(desktopEvents) as DesktopEventName[];

/** What a call across the boundary returns; errors travel as data, not exceptions. */
export type InvokeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The object the renderer holds. Both transports implement exactly this. */
export interface HoldfastBridge {
  invoke<M extends DesktopMethod>(method: M, input: MethodInput<M>): Promise<InvokeResult<MethodOutput<M>>>;
  on<E extends DesktopEventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isDesktopMethod(name: unknown): name is DesktopMethod {
  return typeof name === 'string' && Object.hasOwn(desktopApi, name);
}
export function isDesktopEvent(name: unknown): name is DesktopEventName {
  return typeof name === 'string' && Object.hasOwn(desktopEvents, name);
}
