import { z } from 'zod';
import {
  reviewCallsPageSchema, reviewCohortSchema, reviewCutSchema, reviewDimensionSchema, reviewDrillSchema, reviewFilterSchema,
  reviewGrainSchema, reviewLiveSchema, reviewSummarySchema, reviewTrendSchema,
} from '../review';
import { none } from './shared';

/** The supervisor's retention review, asked of the routing server (which checks the role) through the desktop backend. */
export const reviewMethods = {
  'review.summary': { input: z.object({ filter: reviewFilterSchema }).strict(), output: reviewSummarySchema },
  'review.trend': { input: z.object({ filter: reviewFilterSchema, grain: reviewGrainSchema }).strict(), output: reviewTrendSchema },
  'review.cut': { input: z.object({ filter: reviewFilterSchema, dimension: reviewDimensionSchema }).strict(), output: reviewCutSchema },
  'review.calls': {
    input: z.object({ filter: reviewFilterSchema, show: reviewDrillSchema, cursor: z.string().max(300).optional(), limit: z.number().int().min(1).max(200).optional() }).strict(),
    output: reviewCallsPageSchema,
  },
  /** Streams the view's CSV from the server into a file on this machine; returns where it went. */
  'review.export': {
    input: z.object({ filter: reviewFilterSchema, show: reviewDrillSchema }).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int().nonnegative() }),
  },
  'review.cohort': { input: z.object({ filter: reviewFilterSchema }).strict(), output: reviewCohortSchema },
  'review.live': { input: none, output: reviewLiveSchema },
} as const;
