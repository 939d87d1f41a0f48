import { z } from 'zod';

/** What billing tells us happened to an account. */
export const ACCOUNT_EVENT_KINDS = ['cancelled', 'downgraded', 'renewed', 'payment_failed', 'resumed'] as const;
export const accountEventKindSchema = z.enum(ACCOUNT_EVENT_KINDS);
export type AccountEventKind = z.infer<typeof accountEventKindSchema>;

/** An instant with an explicit offset or Z, or a plain date (read as midnight UTC). */
const instantSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'must be an ISO date or date-time such as 2026-03-01 or 2026-03-01T09:30:00Z' })
  .transform((text) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text).toISOString());

/**
 * One account event as a billing system or an import sends it: about a
 * customer (our id) or an account (the billing account id; every customer on
 * it). The event id makes a repeat harmless: each id is applied once.
 */
export const accountEventInputSchema = z
  .object({
    id: z.string().trim().min(1, 'is required').max(128),
    kind: accountEventKindSchema,
    occurredAt: instantSchema,
    customerId: z.string().trim().min(1).max(64).optional(),
    accountId: z.string().trim().min(1).max(64).optional(),
  })
  .refine((e) => e.customerId !== undefined || e.accountId !== undefined, { message: 'needs a customerId or an accountId', path: ['customerId'] });
export type AccountEventInput = z.infer<typeof accountEventInputSchema>;

/** An event as stored: about one customer. */
export const accountEventSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  kind: accountEventKindSchema,
  occurredAt: z.string(),
  receivedAt: z.string(),
});
export type AccountEvent = z.infer<typeof accountEventSchema>;

/** Whether the customer is still a customer, from their account events. */
export const accountStatusSchema = z.object({
  state: z.enum(['active', 'left']),
  since: z.string(),
  /** The event that set the state. */
  eventId: z.string(),
});
export type AccountStatus = z.infer<typeof accountStatusSchema>;
