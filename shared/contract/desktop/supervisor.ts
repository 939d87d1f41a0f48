import { z } from 'zod';
import { languageSchema } from '../../domain/language';
import { agentRoutingViewSchema, agentsResponseSchema } from '../server-http';
import { supervisorStateSchema } from '../server-socket';
import { none } from './shared';

/**
 * A supervisor's change to an agent. Only the shape is checked here; the
 * routing server owns the rules (proficiency 1-5, capacity 1-20, each
 * language once, at least one field) and its refusal comes back with the
 * field it names, so the editor can show it there.
 */
export const agentChangesInputSchema = z
  .object({
    languages: z.array(z.object({ code: languageSchema, proficiency: z.number().int() }).strict()).max(50).optional(),
    skills: z.array(z.string().max(200)).max(100).optional(),
    capacity: z.number().int().optional(),
    /** Where telephony sends the agent's calls (SIP URI or extension); null clears it. The server checks the form. */
    phoneAddress: z.string().max(300).nullable().optional(),
    /** The agent's team for the review's team cut; null for none. The server checks the form. */
    team: z.string().max(200).nullable().optional(),
  })
  .strict();
export type AgentChangesInput = z.infer<typeof agentChangesInputSchema>;

/** Save rate of one group of retention outcomes (an agent, an offer or a customer segment). */
export const outcomeGroupSchema = z.object({
  key: z.string(),
  /** A display name where the backend knows one (agent or offer name); segments are named by the UI. */
  label: z.string(),
  calls: z.number().int().nonnegative(),
  saves: z.number().int().nonnegative(),
  /** saves / calls; null without calls. */
  rate: z.number().min(0).max(1).nullable(),
  /** Lifetime value of the customers kept. */
  valueSaved: z.number(),
});
export type OutcomeGroup = z.infer<typeof outcomeGroupSchema>;

export const outcomeBreakdownSchema = z.object({
  /** Retention outcomes counted (wrap-ups marked "not a retention call" are left out). */
  outcomes: z.number().int().nonnegative(),
  /** receivedAt of the oldest outcome counted, or null without any. */
  since: z.string().nullable(),
  valueSaved: z.number(),
  byAgent: z.array(outcomeGroupSchema),
  /** One row per offer made (accepted or declined), plus 'none' for calls without an offer. */
  byOffer: z.array(outcomeGroupSchema.extend({ accepted: z.number().int().nonnegative() })),
  /** Routing's customer segments: value tier x churn band, e.g. "high-medium"; 'unscored' without scores. */
  bySegment: z.array(outcomeGroupSchema),
});
export type OutcomeBreakdown = z.infer<typeof outcomeBreakdownSchema>;

export const supervisorMethods = {
  'supervisor.state': { input: none, output: supervisorStateSchema.nullable() },
  /** Save rate and value saved by agent, offer and segment, from the outcomes this desk has seen. */
  'supervisor.breakdown': { input: none, output: outcomeBreakdownSchema },
  /** Agents with routing attributes, live presence, occupancy and learnt save rates. */
  'agents.list': { input: none, output: agentsResponseSchema },
  'agents.update': { input: z.object({ agentId: z.string().min(1).max(64), changes: agentChangesInputSchema }).strict(), output: agentRoutingViewSchema },
} as const;

export const supervisorEvents = {
  'supervisor.changed': supervisorStateSchema,
} as const;
