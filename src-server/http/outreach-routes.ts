import { outreachQuerySchema, outreachResponseSchema } from '@shared/contract/server-http';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

export function outreachRoutes({ routing }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/api/outreach', operationId: 'outreachList', tag: 'outreach', roles: ['agent', 'supervisor'],
      summary: 'Customers to call now, ranked by expected value at risk, with why this customer and why now',
      description: 'Leaves out customers who asked not to be called, those outside their local calling hours, those at the maximum number of attempts and those contacted within the cool-off.',
      query: outreachQuerySchema,
      responses: { 200: { description: 'The ranked list', schema: outreachResponseSchema } },
      handler: async ({ query }) => routing.outreach.list(query.limit),
    }),
  ];
}
