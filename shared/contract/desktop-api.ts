import type { z } from 'zod';
import { accountsMethods } from './desktop/accounts';
import { attentionMethods } from './desktop/attention';
import { aiMethods } from './desktop/ai';
import { callEvents, callMethods } from './desktop/calls';
import { customerMethods } from './desktop/customers';
import type { InvokeResult } from './desktop/errors';
import { identityMethods } from './desktop/identity';
import { outreachEvents, outreachMethods } from './desktop/outreach';
import { playbookMethods } from './desktop/playbook';
import { preferenceEvents, preferenceMethods } from './desktop/preferences';
import { reviewMethods } from './desktop/review';
import { sessionEvents, sessionMethods } from './desktop/session';
import { statusEvents, statusMethods } from './desktop/status';
import { supervisorEvents, supervisorMethods } from './desktop/supervisor';
import { wrapUpMethods } from './desktop/wrap-up';

/**
 * The one contract between the UI and the desktop backend, joined from one
 * file per area (./desktop/). Electron's preload and the browser-mode web
 * host both expose exactly these methods and events; the backend validates
 * every input with these schemas, and the tests validate every output and
 * event against them.
 *
 * Names: methods are `area.verb` (`call.accept`, `wrapUp.save`); events are
 * `area.changed` and carry the area's whole state, never a delta.
 */
export * from './desktop/accounts';
export * from './desktop/attention';
export * from './desktop/ai';
export * from './desktop/calls';
export * from './desktop/customers';
export * from './desktop/errors';
export * from './desktop/identity';
export * from './desktop/outreach';
export * from './desktop/playbook';
export * from './desktop/preferences';
export * from './desktop/review';
export * from './desktop/session';
export * from './desktop/status';
export * from './desktop/supervisor';
export * from './desktop/wrap-up';

export const desktopApi = {
  ...sessionMethods,
  ...statusMethods,
  ...preferenceMethods,
  ...callMethods,
  ...wrapUpMethods,
  ...customerMethods,
  ...aiMethods,
  ...outreachMethods,
  ...supervisorMethods,
  ...playbookMethods,
  ...reviewMethods,
  ...identityMethods,
  ...accountsMethods,
  ...attentionMethods,
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type DesktopApi = typeof desktopApi;
export type DesktopMethod = keyof DesktopApi;
export type MethodInput<M extends DesktopMethod> = z.input<DesktopApi[M]['input']>;
export type MethodOutput<M extends DesktopMethod> = z.output<DesktopApi[M]['output']>;
export const DESKTOP_METHODS = Object.keys(desktopApi) as DesktopMethod[];

export const desktopEvents = {
  ...sessionEvents,
  ...statusEvents,
  ...callEvents,
  ...outreachEvents,
  ...supervisorEvents,
  ...preferenceEvents,
} as const satisfies Record<string, z.ZodType>;

export type DesktopEvents = typeof desktopEvents;
export type DesktopEventName = keyof DesktopEvents;
export type EventPayload<E extends DesktopEventName> = z.output<DesktopEvents[E]>;
export const DESKTOP_EVENTS = Object.keys(desktopEvents) as DesktopEventName[];

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
