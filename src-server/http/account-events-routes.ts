import { ACCOUNT_EVENT_KINDS } from '@shared/domain/account-event';
import { accountEventsBodySchema, accountEventsResponseSchema } from '@shared/contract/server-http';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

export function accountEventsRoutes({ accountEvents }: RouteDeps) {
  return [
    defineRoute({
      method: 'POST', path: '/api/customers/events', operationId: 'ingestAccountEvents', tag: 'customers', roles: ['telephony', 'admin'],
      summary: "Billing's account events (cancelled, downgraded, renewed, payment failed, resumed): verify retention outcomes",
      description: `Each event: id (required; an id sent again changes nothing), kind (${ACCOUNT_EVENT_KINDS.join(', ')}), occurredAt (ISO date or date-time) and customerId or accountId (every customer on the billing account). `
        + 'A bad event is reported by line (1-based position), field and reason; the good ones are still stored. A cancellation marks the customer as left on their profile (desktops get it through the change feed), takes them off the outreach list and verifies claimed saves.',
      body: accountEventsBodySchema,
      responses: { 200: { description: 'Counts, per-event errors and the customers whose status changed', schema: accountEventsResponseSchema } },
      handler: async ({ body }) => accountEvents.ingest(body.events),
    }),
  ];
}
