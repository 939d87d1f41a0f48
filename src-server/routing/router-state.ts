import { offerChoiceSchema } from '@shared/contract/server-socket';
import { z } from 'zod';
import type { Logger } from 'pino';
import { languageSchema } from '@shared/domain/language';

/** Kind of the server-private document that holds the router's state. */
export const ROUTER_STATE_DOCUMENT = 'router-state';

const availabilitySchema = z.enum(['available', 'away']);

/** What the server knows about an open call besides the Call record the store keeps. */
export const callMetaSchema = z.object({
  kind: z.enum(['inbound', 'outreach']),
  /** The arm that routed it (inbound); null for outbound calls. */
  arm: z.enum(['policy', 'baseline']).nullable(),
  segment: z.string().min(1),
  requiredSkills: z.array(z.string()),
  language: languageSchema,
  valueAtRisk: z.number().nonnegative(),
  churnRisk: z.number().min(0).max(1),
  clv: z.number().nonnegative(),
  /** ms since epoch the caller joined the queue (or the outbound call started). */
  arrivedAt: z.number(),
  /** Whether the engine routes it (false for outbound calls, and calls the engine lost in a crash). */
  tracked: z.boolean(),
  /** Whether the first answer was counted (waits and service level count each call once). */
  answered: z.boolean().default(false),
  /** Agents the call was offered to (an outbound call: its agent), who may wrap it up. */
  heldBy: z.array(z.string()).optional(),
  match: z.object({
    method: z.string(),
    confidence: z.number(),
    candidates: z.array(z.object({ customerId: z.string(), confidence: z.number() })),
  }),
  /** The retention offer the learner chose for the call (logged with its propensity). */
  offerDecision: offerChoiceSchema.optional(),
});
export type CallMeta = z.infer<typeof callMetaSchema>;

const armCountSchema = z.object({ calls: z.number().int().nonnegative(), saves: z.number().int().nonnegative() });

/**
 * The router's whole state as one JSON document: the engine snapshot (agents,
 * queue, reservations, learnt agent x segment statistics), what the server
 * keeps per open call, agents' capacities and the uplift tallies. Written
 * debounced after changes and on shutdown; read on start.
 */
export const routerStateSchema = z.object({
  format: z.literal('holdfast-router-state'),
  version: z.literal(1),
  savedAt: z.string(),
  /** RouterSnapshot of @shared/routing (validated by the engine's restore()). */
  engine: z.unknown(),
  calls: z.record(z.string(), callMetaSchema),
  /** Agents whose desktop went away during a live call, with the availability to give back when it returns. */
  parked: z.record(z.string(), availabilitySchema),
  /** Agents on an outbound call, with the availability to give back after its wrap-up. */
  outbound: z.record(z.string(), z.object({ callId: z.string(), resume: availabilitySchema, since: z.number() })),
  capacities: z.record(z.string(), z.number().int().min(1)),
  uplift: z.object({ policy: armCountSchema, baseline: armCountSchema }),
});
export type RouterState = z.infer<typeof routerStateSchema>;

/**
 * A write waits at least this many times as long as the last one took: with 5,000 agents and thousands of
 * open calls the state is a few MB, and writing it every 250 ms took a fifth of the routing node's time.
 */
const SPACING_PER_WRITE_MS = 4;

/**
 * Runs `write` at most once per `delayMs` after schedule(), one write at a
 * time; flush() writes now (and waits for a write under way). The delay
 * grows with the cost of a write (SPACING_PER_WRITE_MS), so that writing
 * the state takes at most about a fifth of the time however large it grows.
 */
export class DebouncedWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private lastWriteMs = 0;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly delayMs: number,
    private readonly log: Logger,
  ) {}

  /** How long a change waits for its write now. */
  currentDelayMs(): number {
    return Math.max(this.delayMs, Math.round(this.lastWriteMs * SPACING_PER_WRITE_MS));
  }

  schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.enqueue();
    }, this.currentDelayMs());
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.enqueue();
  }

  /** Final write; nothing is scheduled after it. */
  async close(): Promise<void> {
    await this.flush();
    this.stopped = true;
  }

  private enqueue(): Promise<void> {
    this.chain = this.chain
      .then(async () => {
        const started = performance.now();
        await this.write();
        this.lastWriteMs = performance.now() - started;
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'failed to save the router state'));
    return this.chain;
  }
}
