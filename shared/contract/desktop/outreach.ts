import { z } from 'zod';
import { outreachResponseSchema } from '../server-http';
import { outreachTaskSchema } from '../server-socket';
import { none, ok } from './shared';

/**
 * The preview task on offer to this (idle) agent. The outbound call a task
 * opens belongs to the call state; a task that lapsed leaves a notice.
 */
export const outreachStateSchema = z.object({
  open: outreachTaskSchema.nullable(),
  /** Why the last preview went away, when the agent should be told. */
  notice: z.enum(['lapsed']).nullable(),
});
export type OutreachState = z.infer<typeof outreachStateSchema>;

const taskId = z.string().min(1).max(64);

export const outreachMethods = {
  'outreach.current': { input: none, output: outreachStateSchema },
  /** Takes the preview task: the server opens an outbound call and the pop shows that customer, already connected. */
  'outreach.accept': { input: z.object({ taskId }).strict(), output: z.object({ callId: z.string(), customerId: z.string() }) },
  'outreach.skip': { input: z.object({ taskId, reason: z.string().max(200).optional() }).strict(), output: ok },
  /** The ranked list of customers to call, with what the server left out (counted by rule). */
  'outreach.list': { input: z.object({ limit: z.number().int().min(1).max(500).default(20) }).strict(), output: outreachResponseSchema },
} as const;

export const outreachEvents = {
  'outreach.changed': outreachStateSchema,
} as const;
