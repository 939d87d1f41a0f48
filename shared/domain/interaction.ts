import { z } from 'zod';

export const channelSchema = z.enum(['call', 'chat', 'email', 'ticket', 'sms']);
export type Channel = z.infer<typeof channelSchema>;

export const topicSchema = z.enum(['billing', 'technical', 'cancellation', 'plan_change', 'complaint', 'general']);
export type Topic = z.infer<typeof topicSchema>;

export const offerResultSchema = z.enum(['accepted', 'declined', 'pending']);

/** One contact with the customer on any channel. */
export const interactionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  channel: channelSchema,
  direction: z.enum(['inbound', 'outbound']),
  occurredAt: z.string(),
  agentId: z.string().nullable(),
  topic: topicSchema,
  /** -1 (angry) .. 1 (delighted). */
  sentiment: z.number().min(-1).max(1),
  summary: z.string(),
  /** Set for tickets: whether the issue is still being worked. */
  ticketStatus: z.enum(['open', 'closed']).nullable(),
  offer: z.object({ offerId: z.string(), result: offerResultSchema }).nullable(),
  /** Something the company committed to, e.g. "Credit of $20 on next bill". */
  promise: z.string().nullable(),
});
export type Interaction = z.infer<typeof interactionSchema>;

export const transactionSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  occurredAt: z.string(),
  amount: z.number(),
  kind: z.enum(['invoice', 'payment', 'payment_failed', 'purchase']),
});
export type Transaction = z.infer<typeof transactionSchema>;
