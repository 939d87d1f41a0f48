import { z } from 'zod';
import { dispositionSchema, offerOutcomeSchema } from '../domain/wrap-up';

/**
 * The supervisor's retention review: one filter (a date range and at most one
 * value per cut) shared by the HTTP API, the desktop API and the renderer's
 * URL, so a view and its CSV export always count the same outcomes.
 */

/** The ways outcomes can be cut (and filtered); segments are tier, RFM segment and lifecycle stage. */
export const REVIEW_DIMENSIONS = ['agent', 'team', 'tier', 'rfm', 'lifecycle', 'offer', 'script', 'channel', 'direction', 'arm'] as const;
export const reviewDimensionSchema = z.enum(REVIEW_DIMENSIONS);
export type ReviewDimension = z.infer<typeof reviewDimensionSchema>;

/** A calendar day (UTC), e.g. 2026-12-01. */
export const reviewDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar day');

/** Longest range one query may cover (two years): bounds the work any request can ask of the store. */
export const MAX_REVIEW_DAYS = 731;

const dimensionValue = z.string().min(1).max(200);

/** The filter's fields, without the range check: extend this, then wrap the result in `checkedRange`. */
export const reviewFilterFieldsSchema = z.object({
  /** First day counted (UTC). */
  from: reviewDaySchema,
  /** Last day counted (UTC), inclusive. */
  to: reviewDaySchema,
  agent: dimensionValue.optional(),
  team: dimensionValue.optional(),
  tier: dimensionValue.optional(),
  rfm: dimensionValue.optional(),
  lifecycle: dimensionValue.optional(),
  offer: dimensionValue.optional(),
  script: dimensionValue.optional(),
  channel: dimensionValue.optional(),
  direction: dimensionValue.optional(),
  arm: dimensionValue.optional(),
});

/** Refuses a range that ends before it starts or is longer than MAX_REVIEW_DAYS. */
export function checkedRange<T extends z.ZodType<{ from: string; to: string }>>(schema: T): T {
  return schema.superRefine((f, ctx) => {
    if (f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" is before "from"' });
    const days = (Date.parse(`${f.to}T00:00:00Z`) - Date.parse(`${f.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_REVIEW_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `a range of at most ${MAX_REVIEW_DAYS} days` });
  }) as unknown as T;
}

export const reviewFilterSchema = checkedRange(reviewFilterFieldsSchema.strict());
export type ReviewFilter = z.infer<typeof reviewFilterSchema>;

/**
 * An outcome's verdict at the learning horizon, as the review stores it:
 * 'pending' until the horizon has passed (or the customer left before it).
 */
export const storedVerdictSchema = z.enum(['pending', 'stayed', 'left']);
export type StoredVerdict = z.infer<typeof storedVerdictSchema>;

/** Counts of one set of retention outcomes, as the store sums them. */
export const reviewCountsSchema = z.object({
  /** Retention outcomes (wrap-ups marked "not a retention call" are left out). */
  calls: z.number().int().nonnegative(),
  /** Claimed saves: the agent's wrap-up said "retained". */
  saves: z.number().int().nonnegative(),
  offersMade: z.number().int().nonnegative(),
  offersAccepted: z.number().int().nonnegative(),
  /** Lifetime value of the customers claimed kept. */
  valueSaved: z.number(),
  /** What the accepted offers cost (monthly cost x months). */
  offerCost: z.number(),
  /** Claimed saves with a verdict at the learning horizon (stayed or left); the rest are too early or not yet verified. */
  verifiedResolved: z.number().int().nonnegative(),
  /** Claimed saves verified: the customer was still there at the horizon. */
  verifiedStayed: z.number().int().nonnegative(),
});
export type ReviewCounts = z.infer<typeof reviewCountsSchema>;

/** Counts with the figures read from them. */
export const reviewFiguresSchema = reviewCountsSchema.extend({
  /** Claimed save rate; null without calls. */
  rate: z.number().min(0).max(1).nullable(),
  /** 95% Wilson interval of the claimed save rate; null without calls. */
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** Too few calls for the rate to mean much (see SMALL_SAMPLE_CALLS). */
  tooSmall: z.boolean(),
  netValueKept: z.number(),
  /** Share of resolved claimed saves verified (customer still there at the horizon); null while none is resolved. */
  verifiedRate: z.number().min(0).max(1).nullable(),
  /** 95% Wilson interval of the verified rate; null while none is resolved. */
  verifiedInterval: z.tuple([z.number(), z.number()]).nullable(),
});
export type ReviewFigures = z.infer<typeof reviewFiguresSchema>;

export const reviewSummarySchema = z.object({
  filter: reviewFilterSchema,
  /** The period of the same length just before. */
  previous: z.object({ from: reviewDaySchema, to: reviewDaySchema }),
  current: reviewFiguresSchema,
  before: reviewFiguresSchema,
  /** 'pending' while no claimed save of the range is verified yet: every figure is the agents' claim. */
  verified: z.enum(['pending', 'available']),
});
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

export const reviewGrainSchema = z.enum(['day', 'week']);
export type ReviewGrain = z.infer<typeof reviewGrainSchema>;

export const reviewTrendSchema = z.object({
  grain: reviewGrainSchema,
  /** One point per day or ISO week (Monday) in the range, empty periods included. */
  points: z.array(reviewFiguresSchema.extend({ period: reviewDaySchema })),
});
export type ReviewTrend = z.infer<typeof reviewTrendSchema>;

export const reviewCutSchema = z.object({
  dimension: reviewDimensionSchema,
  rows: z.array(reviewFiguresSchema.extend({
    key: z.string(),
    /** A display name where the server knows one (agent, offer); otherwise the key. */
    label: z.string(),
    /** The same group in the previous period. */
    before: reviewCountsSchema,
  })),
});
export type ReviewCut = z.infer<typeof reviewCutSchema>;

/** Which outcomes a drill-down lists: all retention calls, or only the claimed saves. */
export const reviewDrillSchema = z.enum(['calls', 'saves']);

/** A page position: the last row's receivedAt and outcome id, as `next` gave it. */
export const reviewCursorSchema = z.string().max(300).transform((cursor, ctx) => {
  const cut = cursor.lastIndexOf('|');
  const receivedAt = cursor.slice(0, cut);
  const outcomeId = cursor.slice(cut + 1);
  if (cut < 1 || !outcomeId || Number.isNaN(Date.parse(receivedAt))) {
    ctx.addIssue({ code: 'custom', message: 'not a position this API gave (expected the "next" of the previous page)' });
    return z.NEVER;
  }
  return { receivedAt, outcomeId };
});

export const reviewCallsQuerySchema = z.object({
  show: reviewDrillSchema.default('calls'),
  cursor: reviewCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** One call behind a number, with everything a supervisor reviews it by. */
export const reviewCallSchema = z.object({
  outcomeId: z.string(),
  callId: z.string(),
  receivedAt: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  /** The brief as the server had it when the call was wrapped up: risk, its reasons and value. */
  brief: z.object({
    churnProbability: z.number().nullable(),
    reasons: z.array(z.string()),
    clv: z.number().nullable(),
    valueTier: z.string().nullable(),
  }),
  notes: z.string(),
  summary: z.string(),
  disposition: dispositionSchema,
  offerId: z.string().nullable(),
  offerName: z.string().nullable(),
  offerOutcome: offerOutcomeSchema,
  offerCost: z.number(),
  segment: z.object({ tier: z.string(), rfm: z.string(), lifecycle: z.string() }),
  team: z.string(),
  script: z.string(),
  channel: z.string(),
  direction: z.string(),
  arm: z.string(),
  /** The verified outcome at the learning horizon; 'pending' until billing's events settle it. */
  verified: storedVerdictSchema,
});
export type ReviewCall = z.infer<typeof reviewCallSchema>;

export const reviewCallsPageSchema = z.object({
  calls: z.array(reviewCallSchema),
  /** Position of the next page; null at the end. */
  next: z.string().nullable(),
});
export type ReviewCallsPage = z.infer<typeof reviewCallsPageSchema>;

/** Days since contact at which the cohort view reads survival. */
export const COHORT_DAYS = [7, 14, 30, 60, 90] as const;

export const reviewCohortSchema = z.object({
  groups: z.array(z.object({
    group: z.enum(['saved', 'untouched']),
    /** Customers followed (a sample when `sampled`: then the group has more). */
    customers: z.number().int().nonnegative(),
    sampled: z.boolean(),
    points: z.array(z.object({
      days: z.number().int().positive(),
      /** Customers followed at least this many days since contact. */
      atRisk: z.number().int().nonnegative(),
      /** Of those, still active (a payment or purchase on or after that day). */
      active: z.number().int().nonnegative(),
      /** active / atRisk; null when nobody was followed that long. */
      survival: z.number().min(0).max(1).nullable(),
      interval: z.tuple([z.number(), z.number()]).nullable(),
      tooSmall: z.boolean(),
    })),
  })),
});
export type ReviewCohort = z.infer<typeof reviewCohortSchema>;

/** The floor now, for the live board. */
export const reviewLiveSchema = z.object({
  at: z.string(),
  agents: z.array(z.object({ id: z.string(), name: z.string(), presence: z.string(), since: z.string() })),
  queueDepth: z.number().int().nonnegative(),
  /** Seconds the longest-waiting caller has waited; 0 with nobody waiting. */
  longestWaitSeconds: z.number().nonnegative(),
  /** Share answered within the threshold, of calls answered or abandoned since the server started; null before any. */
  serviceLevel: z.number().min(0).max(1).nullable(),
  serviceLevelSeconds: z.number().positive(),
  alertAfterSeconds: z.number().positive(),
  /** High-value, at-risk callers waiting longer than alertAfterSeconds. */
  alerts: z.array(z.object({ callId: z.string(), waitSeconds: z.number(), clv: z.number(), churnRisk: z.number(), language: z.string() })),
});
export type ReviewLive = z.infer<typeof reviewLiveSchema>;
