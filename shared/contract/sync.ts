import { z } from 'zod';
import { agentSchema } from '../domain/agent';
import { customerProfileSchema, customerScoresSchema } from '../domain/customer';
import { interactionSchema } from '../domain/interaction';
import { offerStatSchema, storedPlaybookSchema } from '../domain/playbook';

/**
 * The server-to-desktop change feed. Every change has a sequence number; the
 * desktop remembers the last one it applied and asks for what follows.
 * Applying a change is idempotent (an upsert by entity id), so a change seen
 * twice does no harm.
 */
export const changeSchema = z.discriminatedUnion('entity', [
  z.object({ seq: z.number().int(), entity: z.literal('customer'), data: customerProfileSchema }),
  z.object({ seq: z.number().int(), entity: z.literal('scores'), data: customerScoresSchema }),
  z.object({ seq: z.number().int(), entity: z.literal('interaction'), data: interactionSchema }),
  z.object({ seq: z.number().int(), entity: z.literal('agent'), data: agentSchema }),
  z.object({ seq: z.number().int(), entity: z.literal('playbook'), data: storedPlaybookSchema }),
  z.object({ seq: z.number().int(), entity: z.literal('offer_stat'), data: offerStatSchema }),
  // A model file (e.g. the churn model): the desktop checks it with the model's own loader before use.
  z.object({ seq: z.number().int(), entity: z.literal('model'), data: z.object({ kind: z.string().min(1).max(64), model: z.unknown() }) }),
]);
export type Change = z.infer<typeof changeSchema>;
export type ChangeEntity = Change['entity'];

/** One page of a cold-sync snapshot, ordered by customer id. */
export const snapshotPageSchema = z.object({
  /** The feed position the snapshot is consistent with; pull changes after it when done. */
  asOfSeq: z.number().int(),
  totalCustomers: z.number().int(),
  customers: z.array(customerProfileSchema),
  scores: z.array(customerScoresSchema),
  interactions: z.array(interactionSchema),
  /** Reference data rides on the first page only (cursor absent). */
  agents: z.array(agentSchema),
  playbook: storedPlaybookSchema.nullable(),
  offerStats: z.array(offerStatSchema),
  models: z.array(z.object({ kind: z.string(), model: z.unknown() })).default([]),
  nextCursor: z.string().nullable(),
});
export type SnapshotPage = z.infer<typeof snapshotPageSchema>;

export const changesPageSchema = z.object({
  changes: z.array(changeSchema),
  lastSeq: z.number().int(),
  /** True when the desktop is so far behind that it should take a snapshot instead. */
  snapshotRequired: z.boolean(),
});
export type ChangesPage = z.infer<typeof changesPageSchema>;

/**
 * The server's nudge that the feed moved. When few changes moved it, they
 * ride along (every change after `afterSeq` up to `lastSeq`), so a desktop
 * that already holds everything up to `afterSeq` applies them without a
 * round trip; any other desktop pulls.
 */
export const changesAvailableSchema = z.object({
  lastSeq: z.number().int(),
  afterSeq: z.number().int().optional(),
  changes: z.array(changeSchema).optional(),
});
export type ChangesAvailable = z.infer<typeof changesAvailableSchema>;
