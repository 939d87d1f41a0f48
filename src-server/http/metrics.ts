import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

/**
 * Prometheus scrape endpoint. Public like most exporters (the server listens
 * on loopback by default): it carries counts only, no customer data.
 */
export function metricsRoutes({ routing }: RouteDeps) {
  return [
    defineRoute({
      method: 'GET', path: '/metrics', operationId: 'metrics', tag: 'operations', roles: null,
      summary: 'Prometheus metrics: queue depth, waits, service level, offers, accepts, rejects, timeouts, saves, connected desktops',
      responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain; version=0.0.4' } },
      handler: async ({ reply }) => {
        const { contentType, body } = await routing.metrics.exposition();
        return reply.type(contentType).send(body);
      },
    }),
  ];
}
