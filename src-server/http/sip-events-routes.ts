import { ServiceError } from '../routing/service-errors';
import { kamailioEventResultSchema, kamailioEventSchema } from '../telephony/sip/kamailio-events';
import type { RouteDeps } from './routes';
import { defineRoute } from './route-table';

/** Kamailio's side of the SIP adapter (resources/telephony/kamailio.cfg): call events in. */
export function sipEventsRoutes({ sipEvents }: RouteDeps) {
  return [
    defineRoute({
      method: 'POST', path: '/api/telephony/sip/events', operationId: 'sipEvent', tag: 'calls', roles: ['telephony'],
      summary: 'Kamailio reports a call event: a call held in the queue, the caller gave up, the agent\'s phone rang, answered or failed, a hang-up, a transfer',
      description: 'Sent by resources/telephony/kamailio.cfg with the telephony key when HOLDFAST_TELEPHONY=sip. A repeated event (Kamailio retries one it got no answer to) is answered 200 "repeat" and not applied again.',
      body: kamailioEventSchema,
      responses: { 200: { description: 'Taken', schema: kamailioEventResultSchema }, 409: { description: 'The SIP adapter is not on (out_of_order)' } },
      handler: async ({ body }) => {
        if (!sipEvents) throw new ServiceError('out_of_order', 'SIP events need HOLDFAST_TELEPHONY=sip');
        return sipEvents.receive(body);
      },
    }),
  ];
}
