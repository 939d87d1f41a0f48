import { z } from 'zod';
import {
  checkedRange, reviewCallsPageSchema, reviewCallsQuerySchema, reviewCohortSchema, reviewCutSchema, reviewDimensionSchema, reviewDrillSchema,
  reviewFilterFieldsSchema, reviewGrainSchema, reviewLiveSchema, reviewSummarySchema, reviewTrendSchema, type ReviewFilter,
} from '@shared/contract/review';
import { REVIEW_DIMENSIONS } from '@shared/contract/review';
import { reviewCsv } from '../review/review-csv';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

/** The review is for the people who run the floor: supervisors and admins. */
const ROLES = ['supervisor', 'admin'] as const;

const filterQuery = checkedRange(reviewFilterFieldsSchema.strict());
const trendQuery = checkedRange(reviewFilterFieldsSchema.extend({ grain: reviewGrainSchema.default('day') }).strict());
const callsQuery = checkedRange(reviewFilterFieldsSchema.extend(reviewCallsQuerySchema.shape).strict());
const exportQuery = checkedRange(reviewFilterFieldsSchema.extend({ show: reviewDrillSchema.default('calls') }).strict());
const cutParams = z.object({ dimension: reviewDimensionSchema });

/** The filter part of a parsed query. */
function filterOf(query: ReviewFilter & Record<string, unknown>): ReviewFilter {
  const filter: ReviewFilter = { from: query.from, to: query.to };
  for (const dimension of REVIEW_DIMENSIONS) if (query[dimension] !== undefined) filter[dimension] = query[dimension];
  return filter;
}

const FILTER_HELP = 'from and to are UTC days (YYYY-MM-DD, to inclusive, at most 731 days); each cut (agent, team, tier, rfm, lifecycle, offer, script, channel, direction, arm) may be filtered to one value.';

export function reviewRoutes({ review }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/api/review/summary', operationId: 'reviewSummary', tag: 'review', roles: ROLES,
      summary: 'Claimed save rate with its 95% interval, value saved, offer cost and net value kept, against the previous period of the same length',
      description: FILTER_HELP,
      query: filterQuery,
      responses: { 200: { description: 'The summary', schema: reviewSummarySchema } },
      handler: async ({ query }) => review.summary(filterOf(query)),
    }),
    defineRoute({
      method: 'GET', path: '/api/review/trend', operationId: 'reviewTrend', tag: 'review', roles: ROLES,
      summary: 'The figures per day or per ISO week (by its Monday), empty periods included',
      description: FILTER_HELP,
      query: trendQuery,
      responses: { 200: { description: 'The trend', schema: reviewTrendSchema } },
      handler: async ({ query }) => review.trend(filterOf(query), query.grain),
    }),
    defineRoute({
      method: 'GET', path: '/api/review/cuts/:dimension', operationId: 'reviewCut', tag: 'review', roles: ROLES,
      summary: 'The figures per value of one cut (agent, team, segment, offer, script, channel, direction, routing arm), with the previous period',
      description: FILTER_HELP,
      params: cutParams,
      query: filterQuery,
      responses: { 200: { description: 'One row per value', schema: reviewCutSchema } },
      handler: async ({ params, query }) => review.cut(filterOf(query), params.dimension),
    }),
    defineRoute({
      method: 'GET', path: '/api/review/calls', operationId: 'reviewCalls', tag: 'review', roles: ROLES,
      summary: 'The retention calls behind a number, newest first, with brief, notes, wrap-up, offer, outcome and verified status',
      description: `${FILTER_HELP} show=saves lists the claimed saves only; pass the page's "next" as cursor for the next page.`,
      query: callsQuery,
      responses: { 200: { description: 'One page of calls', schema: reviewCallsPageSchema } },
      handler: async ({ query }) => review.calls(filterOf(query), query),
    }),
    defineRoute({
      method: 'GET', path: '/api/review/export.csv', operationId: 'reviewExport', tag: 'review', roles: ROLES,
      summary: 'Every call of the view as CSV, streamed, with the same filters as the other review routes',
      description: FILTER_HELP,
      query: exportQuery,
      responses: { 200: { description: 'CSV with a header row', contentType: 'text/csv' } },
      handler: async ({ query, reply, request }) => {
        const filter = filterOf(query);
        const csv = reviewCsv(review.exportCalls(filter, query.show), (error) => request.log.error({ err: error }, 'review export failed mid-stream'));
        const name = `holdfast-review-${filter.from}-to-${filter.to}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/review/cohort', operationId: 'reviewCohort', tag: 'review', roles: ROLES,
      summary: 'Share still active of customers claimed saved against high-risk customers nobody contacted, by days since contact',
      description: FILTER_HELP,
      query: filterQuery,
      responses: { 200: { description: 'Both groups', schema: reviewCohortSchema } },
      handler: async ({ query }) => review.cohort(filterOf(query), new Date()),
    }),
    defineRoute({
      method: 'GET', path: '/api/review/live', operationId: 'reviewLive', tag: 'review', roles: ROLES,
      summary: "Agents' states, queue depth, longest wait, service level, and high-value at-risk callers waiting too long",
      responses: { 200: { description: 'The floor now', schema: reviewLiveSchema } },
      handler: async () => review.live(),
    }),
  ];
}
