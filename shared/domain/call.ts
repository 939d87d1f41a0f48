import { z } from 'zod';
import { languageSchema } from './language';

export const intentSchema = z.enum(['billing', 'technical', 'cancellation', 'plan_change', 'general']);
export type Intent = z.infer<typeof intentSchema>;

export const callStateSchema = z.enum(['queued', 'offered', 'connected', 'wrap_up', 'completed', 'abandoned']);
export type CallState = z.infer<typeof callStateSchema>;

export const callSchema = z.object({
  id: z.string(),
  callerNumber: z.string(),
  accountId: z.string().nullable(),
  language: languageSchema,
  intent: intentSchema,
  customerId: z.string().nullable(),
  state: callStateSchema,
  agentId: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Expected value at risk, used to order the queue. */
  priority: z.number(),
});
export type Call = z.infer<typeof callSchema>;
