import { supervisorStateSchema, upliftReportSchema } from '@shared/contract/server-socket';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

export function supervisorRoutes({ routing }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/api/supervisor/state', operationId: 'supervisorState', tag: 'supervisor', roles: ['supervisor'],
      summary: "The floor now: agents' presence, the queue, recent outcomes, save rate and the routing uplift",
      responses: { 200: { description: 'Supervisor state', schema: supervisorStateSchema } },
      handler: async () => routing.supervisorState(),
    }),
    defineRoute({
      method: 'GET', path: '/api/supervisor/uplift', operationId: 'routingUplift', tag: 'supervisor', roles: ['supervisor'],
      summary: 'Save rate of predictive versus baseline (longest-idle) routing, with the difference and its 95% interval',
      responses: { 200: { description: 'Uplift report', schema: upliftReportSchema } },
      handler: async () => routing.upliftReport(),
    }),
  ];
}
